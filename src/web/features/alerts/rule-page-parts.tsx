import type { ReactNode } from 'react';
import { Link } from 'react-router';

import { EmptyState } from '../../components/empty-state';
import { LoadError } from '../../components/load-error';
import { isRequestError } from '../../lib/api-client';
import { ruleListPage } from './alerts-api';

interface BreadcrumbProps {
  orgSlug: string;
  current: string;
  children?: ReactNode;
}

/** Renders the path from the rule list to the page, with the rule's link when given. */
export function Breadcrumb({ orgSlug, current, children }: BreadcrumbProps) {
  return (
    <nav className="breadcrumb-nav" aria-label="Breadcrumb">
      <Link to={ruleListPage(orgSlug)}>Alert rules</Link>
      <span aria-hidden="true"> › </span>
      {children === undefined ? null : (
        <>
          {children}
          <span aria-hidden="true"> › </span>
        </>
      )}
      <span>{current}</span>
    </nav>
  );
}

interface RuleLoadErrorProps {
  orgSlug: string;
  error: unknown;
  onRetry: () => unknown;
}

/** Renders why a rule did not load: not found (or not visible), or another failure. */
export function RuleLoadError({ orgSlug, error, onRetry }: RuleLoadErrorProps) {
  return (
    <main className="page">
      {isRequestError(error, 404) ? (
        <EmptyState title="Alert rule not found">
          <p>It may have been deleted, or it belongs to a project you cannot see.</p>
          <Link to={ruleListPage(orgSlug)} className="button">
            Back to alert rules
          </Link>
        </EmptyState>
      ) : (
        <LoadError message="Unable to load the alert rule." onRetry={() => void onRetry()} />
      )}
    </main>
  );
}
