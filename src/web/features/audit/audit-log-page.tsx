import '../tokens/tokens.css';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { useParams } from 'react-router';

import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Pagination } from '../../components/pagination';
import { Panel } from '../../components/panel';
import { RelativeTime } from '../../components/relative-time';
import { useDocumentTitle } from '../../lib/use-document-title';
import { describeFailure } from '../../lib/user-message';
import { membersOptions } from '../issues/issue-list-api';
import { auditExportUrl, auditLogOptions, type AuditFilters } from './audit-api';

const NO_FILTERS: AuditFilters = { event: '', actor: '', start: '', end: '' };

/**
 * Renders the organization's audit log (`/settings/{org}/audit-log/`): filters by event, actor
 * and time range (UTC), pages of 50 rows, and CSV and JSON exports of every matching row.
 */
export function AuditLogPage() {
  const { orgSlug = '' } = useParams();
  useDocumentTitle(['Audit Log', orgSlug]);
  const [draft, setDraft] = useState<AuditFilters>(NO_FILTERS);
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const [cursors, setCursors] = useState<string[]>(['']);
  const cursor = cursors.at(-1) ?? '';

  const logQuery = useQuery({
    ...auditLogOptions(orgSlug, filters, cursor),
    placeholderData: keepPreviousData,
  });
  const membersQuery = useQuery(membersOptions(orgSlug));

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setFilters(draft);
    setCursors(['']);
  }

  const update = (field: keyof AuditFilters, value: string) => {
    setDraft((current) => ({ ...current, [field]: value }));
  };

  return (
    <main className="page">
      <div className="page-heading">
        <h1>Audit Log</h1>
        <div className="button-group">
          <a className="button" href={auditExportUrl(orgSlug, filters, 'csv')} download>
            Export CSV
          </a>
          <a className="button" href={auditExportUrl(orgSlug, filters, 'json')} download>
            Export JSON
          </a>
        </div>
      </div>

      <Panel>
        <form className="form audit-filters" onSubmit={handleSubmit} aria-label="Audit log filters">
          <div className="field-row">
            <label className="field">
              <span className="field-label">Event</span>
              <select
                value={draft.event}
                onChange={(event) => {
                  update('event', event.target.value);
                }}
              >
                <option value="">Any event</option>
                {(logQuery.data?.options ?? []).map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="field-label">Actor</span>
              <select
                value={draft.actor}
                onChange={(event) => {
                  update('actor', event.target.value);
                }}
              >
                <option value="">Anyone</option>
                {(membersQuery.data ?? []).map((member) =>
                  member.user === null ? null : (
                    <option key={member.id} value={member.user.id}>
                      {member.name} ({member.email})
                    </option>
                  ),
                )}
              </select>
            </label>
            <label className="field">
              <span className="field-label">From (UTC)</span>
              <input
                type="datetime-local"
                value={draft.start}
                onChange={(event) => {
                  update('start', event.target.value);
                }}
              />
            </label>
            <label className="field">
              <span className="field-label">To (UTC)</span>
              <input
                type="datetime-local"
                value={draft.end}
                onChange={(event) => {
                  update('end', event.target.value);
                }}
              />
            </label>
          </div>
          <div className="form-actions">
            <button type="submit" className="button button-primary">
              Apply filters
            </button>
          </div>
        </form>
      </Panel>

      {logQuery.isPending ? <LoadingIndicator /> : null}
      {logQuery.isError ? (
        <LoadError
          message={describeFailure('load the audit log', logQuery.error)}
          onRetry={() => void logQuery.refetch()}
        />
      ) : null}
      {logQuery.data !== undefined ? (
        <Panel title="Entries">
          {logQuery.data.rows.length === 0 ? (
            <p>No entries match these filters.</p>
          ) : (
            <table className="data-table" aria-label="Audit log" aria-busy={logQuery.isFetching}>
              <thead>
                <tr>
                  <th>Time</th>
                  <th>Actor</th>
                  <th>Event</th>
                  <th>Details</th>
                  <th>IP address</th>
                </tr>
              </thead>
              <tbody>
                {logQuery.data.rows.map((row) => (
                  <tr key={row.id}>
                    <td title={row.dateCreated}>
                      <RelativeTime date={row.dateCreated} />
                    </td>
                    <td>
                      {row.actor.name}
                      {row.actor.tokenId === null ? null : (
                        <span className="muted"> (token {row.actor.tokenId})</span>
                      )}
                    </td>
                    <td className="mono">{row.event}</td>
                    <td>{row.note}</td>
                    <td className="mono">{row.ipAddress ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pagination
            hasPrevious={cursors.length > 1}
            hasNext={logQuery.data.links.next?.hasResults === true}
            onPrevious={() => {
              setCursors((current) => current.slice(0, -1));
            }}
            onNext={() => {
              const next = logQuery.data.links.next?.cursor;
              if (next !== undefined) {
                setCursors((current) => [...current, next]);
              }
            }}
          />
        </Panel>
      ) : null}
    </main>
  );
}
