import '../../styles/performance.css';

import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';

import type { Trace } from '../../../shared/api/performance';
import { EmptyState } from '../../components/empty-state';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Panel } from '../../components/panel';
import { isRequestError } from '../../lib/api-client';
import { useDocumentTitle } from '../../lib/use-document-title';
import { formatDuration } from './format-duration';
import { traceOptions } from './performance-query-options';
import { SpanDetails } from './span-details';
import { buildSpanTree, traceBounds } from './span-tree';
import { TraceWaterfall } from './trace-waterfall';

const countFormat = new Intl.NumberFormat('en');

/** Renders a trace as a span waterfall; `?span=` selects the span whose details are shown. */
export function TracePage() {
  const { orgSlug = '', traceId = '' } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const traceQuery = useQuery(traceOptions(orgSlug, traceId));
  const spans = traceQuery.data?.spans;
  const rows = useMemo(() => buildSpanTree(spans ?? []), [spans]);
  const bounds = useMemo(() => traceBounds(spans ?? []), [spans]);
  const performancePath = `/organizations/${orgSlug}/performance/`;
  useDocumentTitle([`Trace ${traceId.slice(0, 8)}`, 'Performance', orgSlug]);

  function selectSpan(spanId: string | null) {
    const next = new URLSearchParams(searchParams);
    if (spanId === null) {
      next.delete('span');
    } else {
      next.set('span', spanId);
    }
    setSearchParams(next, { replace: true });
  }

  if (traceQuery.isPending) {
    return <LoadingIndicator label="Loading trace…" />;
  }

  if (traceQuery.isError) {
    return (
      <main className="page">
        {isRequestError(traceQuery.error, 404) || isRequestError(traceQuery.error, 400) ? (
          <EmptyState title="Trace not found">
            <p>
              No transactions or spans of this trace are stored. The SDK may not have sampled it, or
              retention deleted it.
            </p>
            <Link to={performancePath} className="button">
              Back to performance
            </Link>
          </EmptyState>
        ) : (
          <LoadError
            message="Unable to load the trace."
            onRetry={() => void traceQuery.refetch()}
          />
        )}
      </main>
    );
  }

  const trace = traceQuery.data;
  const selected = rows.find((row) => row.span.spanID === searchParams.get('span'))?.span;

  return (
    <main className="page page-wide trace-page">
      <nav className="breadcrumb-nav" aria-label="Breadcrumb">
        <Link to={performancePath}>Performance</Link>
        <span aria-hidden="true"> › </span>
        <span>Trace {trace.traceID.slice(0, 8)}</span>
      </nav>
      <TraceHeader trace={trace} durationMs={(bounds.end - bounds.start) * 1000} />
      {trace.isTruncated ? (
        <div className="alert alert-warning" role="status">
          This trace has more spans than can be shown; the first{' '}
          {countFormat.format(trace.spans.length)} are listed.
        </div>
      ) : null}
      <div className={selected === undefined ? 'trace-layout' : 'trace-layout trace-layout-split'}>
        <Panel title="Spans" className="trace-waterfall-panel">
          <TraceWaterfall
            rows={rows}
            bounds={bounds}
            selectedSpanId={selected?.spanID ?? null}
            onSelect={selectSpan}
          />
        </Panel>
        {selected === undefined ? null : (
          <SpanDetails
            span={selected}
            bounds={bounds}
            orgSlug={orgSlug}
            onClose={() => {
              selectSpan(null);
            }}
          />
        )}
      </div>
    </main>
  );
}

function TraceHeader({ trace, durationMs }: { trace: Trace; durationMs: number }) {
  const projects = [...new Set(trace.spans.map((span) => span.projectSlug))];

  return (
    <header className="trace-header">
      <h1>
        Trace <span className="mono trace-id">{trace.traceID}</span>
      </h1>
      <div className="chip-list">
        <span className="chip">
          <span className="chip-key">duration</span>
          <span className="chip-value">{formatDuration(durationMs)}</span>
        </span>
        <span className="chip">
          <span className="chip-key">spans</span>
          <span className="chip-value">{countFormat.format(trace.spans.length)}</span>
        </span>
        <span className="chip">
          <span className="chip-key">transactions</span>
          <span className="chip-value">{countFormat.format(trace.transactions.length)}</span>
        </span>
        <span className="chip">
          <span className="chip-key">{projects.length === 1 ? 'project' : 'projects'}</span>
          <span className="chip-value">{projects.join(', ')}</span>
        </span>
      </div>
    </header>
  );
}
