import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';

import { EventText } from '../../components/event-text';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Panel } from '../../components/panel';
import { RelativeTime } from '../../components/relative-time';
import { describeFailure } from '../../lib/user-message';
import { issueHashesOptions, useUnmerge } from './issue-workflow-api';

interface MergedHashesPanelProps {
  orgSlug: string;
  issueId: string;
}

/**
 * Lists the issue's grouping hashes with their latest event, and moves the selected ones into a
 * new issue (unmerge). At least one hash must stay, so the action needs two or more hashes.
 */
export function MergedHashesPanel({ orgSlug, issueId }: MergedHashesPanelProps) {
  const hashes = useQuery(issueHashesOptions(orgSlug, issueId));
  const unmerge = useUnmerge(orgSlug, issueId);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());

  function toggle(hash: string) {
    const next = new Set(selected);
    if (next.has(hash)) {
      next.delete(hash);
    } else {
      next.add(hash);
    }
    setSelected(next);
  }

  const count = hashes.data?.length ?? 0;
  const canUnmerge = selected.size > 0 && selected.size < count;

  return (
    <Panel title="Merged hashes" className="merged-hashes">
      {hashes.isPending ? <LoadingIndicator /> : null}
      {hashes.isError ? (
        <LoadError message="Unable to load hashes." onRetry={() => void hashes.refetch()} />
      ) : null}
      {hashes.isSuccess ? (
        <>
          <ul className="hash-list">
            {hashes.data.map((hash) => (
              <li key={hash.id}>
                <label>
                  <input
                    type="checkbox"
                    checked={selected.has(hash.id)}
                    disabled={count < 2}
                    onChange={() => {
                      toggle(hash.id);
                    }}
                  />{' '}
                  <code>{hash.id}</code>
                </label>
                {hash.latestEvent === null ? (
                  <span className="muted"> No events</span>
                ) : (
                  <span className="hash-event">
                    {' '}
                    <Link
                      to={`/organizations/${encodeURIComponent(orgSlug)}/issues/${encodeURIComponent(issueId)}/?event=${encodeURIComponent(hash.latestEvent.eventID)}`}
                    >
                      <EventText>{hash.latestEvent.title}</EventText>
                    </Link>{' '}
                    <RelativeTime date={hash.latestEvent.dateCreated} />
                  </span>
                )}
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="button"
            disabled={!canUnmerge || unmerge.isPending}
            onClick={() => {
              unmerge.mutate([...selected], {
                onSuccess: () => {
                  setSelected(new Set());
                },
              });
            }}
          >
            Unmerge selected
          </button>
          {count < 2 ? (
            <p className="muted">This issue has one hash, so there is nothing to unmerge.</p>
          ) : null}
          {unmerge.isSuccess ? (
            <p role="status">
              Moved into{' '}
              <Link to={`/organizations/${encodeURIComponent(orgSlug)}/issues/${unmerge.data.id}/`}>
                a new issue
              </Link>
              .
            </p>
          ) : null}
          {unmerge.isError ? (
            <div className="alert alert-error" role="alert">
              {describeFailure('unmerge', unmerge.error)}
            </div>
          ) : null}
        </>
      ) : null}
    </Panel>
  );
}
