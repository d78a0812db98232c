import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, useParams } from 'react-router';

import { EmptyState } from '../components/empty-state';
import { LoadError } from '../components/load-error';
import { LoadingIndicator } from '../components/loading-indicator';
import { organizationsOptions } from '../lib/query-options';
import { AppHeader } from './app-header';

/** Layout of signed-in pages outside an organization: the organization picker and creation. */
export function PlainLayout() {
  return (
    <div className="app">
      <AppHeader />
      <Outlet />
    </div>
  );
}

/**
 * Layout of pages under `/organizations/:orgSlug/` and `/settings/:orgSlug/`. It renders the
 * header for the organization, and a notice instead of the page when the user is not a member.
 */
export function OrganizationLayout() {
  const { orgSlug = '' } = useParams();

  return (
    <div className="app">
      <AppHeader orgSlug={orgSlug} />
      <OrganizationOutlet orgSlug={orgSlug} />
    </div>
  );
}

function OrganizationOutlet({ orgSlug }: { orgSlug: string }) {
  const organizationsQuery = useQuery(organizationsOptions());

  if (organizationsQuery.isPending) {
    return <LoadingIndicator />;
  }

  if (organizationsQuery.isError) {
    return (
      <main className="page">
        <LoadError
          message="Unable to load your organizations."
          onRetry={() => void organizationsQuery.refetch()}
        />
      </main>
    );
  }

  if (!organizationsQuery.data.some((organization) => organization.slug === orgSlug)) {
    return (
      <main className="page">
        <EmptyState title={`Organization "${orgSlug}" not found`}>
          <p>It does not exist, or you are not a member of it.</p>
          <Link to="/" className="button">
            Go to your organizations
          </Link>
        </EmptyState>
      </main>
    );
  }

  return <Outlet />;
}
