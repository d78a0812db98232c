import './logs.css';

import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';

import { EmptyState } from '../../components/empty-state';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Pagination } from '../../components/pagination';
import { isRequestError } from '../../lib/api-client';
import { useDocumentTitle } from '../../lib/use-document-title';
import { LogFilters } from './log-filters';
import { readLogListParams, updateLogListSearch, type LogListChanges } from './log-list-params';
import { LogRow } from './log-row';
import { logListOptions, type LogListResult } from './query-options';

/**
 * Renders an organization's logs, newest first, with level, text and trace filters kept in the
 * URL. A row's message expands to its attributes, and a trace id filters the list by it.
 */
export function LogsPage() {
  const { orgSlug = '' } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const params = readLogListParams(searchParams);
  const logsQuery = useQuery(logListOptions(orgSlug, params));
  useDocumentTitle(['Logs', orgSlug]);

  function handleChange(changes: LogListChanges) {
    setSearchParams(updateLogListSearch(searchParams, changes));
  }

  const pageLinks = logsQuery.data?.pageLinks;
  const hasFilters = params.levels.length > 0 || params.query !== '' || params.traceId !== '';

  return (
    <main className="page page-wide">
      <div className="page-heading">
        <h1>Logs</h1>
      </div>
      <LogFilters params={params} onChange={handleChange} />

      <section className="panel log-list" aria-busy={logsQuery.isFetching}>
        <LogListBody
          query={logsQuery}
          hasFilters={hasFilters}
          onTraceSelect={(traceId) => {
            handleChange({ traceId });
          }}
        />
      </section>

      {pageLinks === undefined ||
      (pageLinks.previous?.hasResults !== true && pageLinks.next?.hasResults !== true) ? null : (
        <Pagination
          hasPrevious={pageLinks.previous?.hasResults === true}
          hasNext={pageLinks.next?.hasResults === true}
          onPrevious={() => {
            handleChange({ cursor: pageLinks.previous?.cursor ?? null });
          }}
          onNext={() => {
            handleChange({ cursor: pageLinks.next?.cursor ?? null });
          }}
        />
      )}
    </main>
  );
}

interface LogListBodyProps {
  query: UseQueryResult<LogListResult>;
  hasFilters: boolean;
  onTraceSelect: (traceId: string) => void;
}

function LogListBody({ query, hasFilters, onTraceSelect }: LogListBodyProps) {
  const [expandedIds, setExpandedIds] = useState<ReadonlySet<string>>(new Set());

  function handleToggle(logId: string) {
    setExpandedIds((current) => {
      const next = new Set(current);
      if (!next.delete(logId)) {
        next.add(logId);
      }
      return next;
    });
  }

  if (query.isPending) {
    return <LoadingIndicator label="Loading logs…" />;
  }

  if (query.isError) {
    // A 400 names the filter the server cannot use, and retrying cannot help.
    const error = query.error;
    if (isRequestError(error, 400) && error.detail !== null) {
      return <LoadError message={error.detail} />;
    }
    return <LoadError message="Unable to load logs." onRetry={() => void query.refetch()} />;
  }

  if (query.data.logs.length === 0) {
    return hasFilters ? (
      <EmptyState title="No logs match these filters." />
    ) : (
      <EmptyState title="No logs yet.">
        <p className="muted">
          Logs appear here when an SDK sends them (Sentry.logger in the JavaScript SDKs) or an
          OpenTelemetry exporter posts to the project&apos;s OTLP logs endpoint.
        </p>
      </EmptyState>
    );
  }

  return (
    <table className="log-table">
      <thead>
        <tr>
          <th scope="col" className="log-time">
            Time
          </th>
          <th scope="col" className="log-level">
            Level
          </th>
          <th scope="col">Message</th>
          <th scope="col" className="log-trace">
            Trace
          </th>
        </tr>
      </thead>
      <tbody>
        {query.data.logs.map((log) => (
          <LogRow
            key={log.id}
            log={log}
            isExpanded={expandedIds.has(log.id)}
            onToggle={() => {
              handleToggle(log.id);
            }}
            onTraceSelect={onTraceSelect}
          />
        ))}
      </tbody>
    </table>
  );
}
