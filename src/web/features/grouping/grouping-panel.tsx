import './grouping.css';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';

import type { GroupingComponentJson, GroupingVariantJson } from '../../../shared/api/grouping';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Panel } from '../../components/panel';
import { groupingInfoOptions } from './query-options';

interface GroupingPanelProps {
  orgSlug: string;
  projectSlug: string;
  eventId: string;
}

/** Orders variants as Sentry shows them: the one behind the issue's hash first. */
function sortVariants(variants: GroupingVariantJson[]): GroupingVariantJson[] {
  return [...variants].sort(
    (a, b) =>
      Number(b.isPrimary) - Number(a.isPrimary) ||
      Number(b.contributes) - Number(a.contributes) ||
      a.key.localeCompare(b.key),
  );
}

/**
 * Explains how the event was grouped: which variant produced the issue's hash, and the tree of
 * grouping components, contributing ones marked and the others greyed with their hint.
 */
export function GroupingPanel({ orgSlug, projectSlug, eventId }: GroupingPanelProps) {
  const [isOpen, setIsOpen] = useState(false);
  const infoQuery = useQuery({
    ...groupingInfoOptions(orgSlug, projectSlug, eventId),
    enabled: isOpen,
  });

  const toggle = (
    <button
      type="button"
      className="button button-small"
      aria-expanded={isOpen}
      onClick={() => {
        setIsOpen(!isOpen);
      }}
    >
      {isOpen ? 'Hide grouping info' : 'Show grouping info'}
    </button>
  );

  return (
    <Panel title="Grouping" actions={toggle} className="grouping-panel">
      {!isOpen ? (
        <p className="muted grouping-summary">
          How this event was grouped into its issue, computed with the project&apos;s current rules.
        </p>
      ) : null}
      {isOpen && infoQuery.isPending ? <LoadingIndicator label="Loading grouping info…" /> : null}
      {isOpen && infoQuery.isError ? (
        <LoadError
          message="Unable to load the grouping info."
          onRetry={() => void infoQuery.refetch()}
        />
      ) : null}
      {isOpen && infoQuery.isSuccess
        ? sortVariants(Object.values(infoQuery.data)).map((variant) => (
            <GroupingVariant key={variant.key} variant={variant} />
          ))
        : null}
    </Panel>
  );
}

function GroupingVariant({ variant }: { variant: GroupingVariantJson }) {
  return (
    <section
      className={variant.contributes ? 'grouping-variant' : 'grouping-variant is-ignored'}
      aria-label={`Variant ${variant.key}`}
    >
      <header className="grouping-variant-header">
        <strong>{variant.description}</strong>
        {variant.isPrimary ? <span className="badge grouping-badge">issue hash</span> : null}
        {variant.hashMismatch ? (
          <span className="badge grouping-badge-warning">rules changed since</span>
        ) : null}
      </header>
      <dl className="grouping-facts">
        <dt>Variant</dt>
        <dd className="mono">{variant.key}</dd>
        <dt>Hash</dt>
        <dd className="mono">{variant.hash ?? 'none'}</dd>
        {variant.hint === null ? null : (
          <>
            <dt>Note</dt>
            <dd>{variant.hint}</dd>
          </>
        )}
        {variant.matchedRule === undefined ? null : (
          <>
            <dt>Matched rule</dt>
            <dd className="mono">{variant.matchedRule}</dd>
          </>
        )}
        {variant.values === undefined ? null : (
          <>
            <dt>Fingerprint</dt>
            <dd className="mono">{variant.values.join(', ')}</dd>
          </>
        )}
      </dl>
      {variant.component === undefined ? null : (
        <ul className="grouping-tree">
          <GroupingNode component={variant.component} />
        </ul>
      )}
    </section>
  );
}

/**
 * Renders one component; empty ones (no values at all) are left out, as in Sentry's view. A
 * component counts as contributing only when all its ancestors do too, because an ignored
 * parent keeps every value below it out of the hash.
 */
function GroupingNode({
  component,
  parentContributes = true,
}: {
  component: GroupingComponentJson;
  parentContributes?: boolean;
}) {
  if (component.values.length === 0) {
    return null;
  }

  const contributes = parentContributes && component.contributes;
  const leaves = component.values.filter((value): value is string => typeof value === 'string');
  const children = component.values.filter(
    (value): value is GroupingComponentJson => typeof value !== 'string',
  );

  return (
    <li
      className={contributes ? 'grouping-node is-contributing' : 'grouping-node'}
      data-contributes={contributes}
      data-component={component.id}
    >
      <span className="grouping-node-name">
        {component.name}
        {contributes ? <span aria-label="contributes"> ✓</span> : null}
      </span>
      {leaves.map((leaf, index) => (
        <span key={index} className="grouping-leaf mono">
          {leaf}
        </span>
      ))}
      {component.hint === null ? null : <span className="grouping-hint">({component.hint})</span>}
      {children.length === 0 ? null : (
        <ul>
          {children.map((child, index) => (
            <GroupingNode
              key={`${child.id}-${index}`}
              component={child}
              parentContributes={contributes}
            />
          ))}
        </ul>
      )}
    </li>
  );
}
