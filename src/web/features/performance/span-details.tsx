import type { TraceSpan } from '../../../shared/api/performance';
import { KeyValueTable, type KeyValueRow } from '../../components/key-value-table';
import { Panel } from '../../components/panel';
import { eventJsonPath } from '../../lib/query-options';
import { formatDuration } from './format-duration';
import type { TraceBounds } from './span-tree';

interface SpanDetailsProps {
  span: TraceSpan;
  bounds: TraceBounds;
  orgSlug: string;
  onClose: () => void;
}

/** Renders the fields, data and tags of the span selected in the waterfall. */
export function SpanDetails({ span, bounds, orgSlug, onClose }: SpanDetailsProps) {
  const offsetMs = (span.startTimestamp - bounds.start) * 1000;
  const rows: KeyValueRow[] = [
    { key: 'Operation', value: span.op },
    { key: 'Description', value: span.description },
    { key: 'Status', value: span.status },
    { key: 'Duration', value: formatDuration(span.duration) },
    { key: 'Start', value: `+${formatDuration(offsetMs)}` },
    { key: 'Span ID', value: span.spanID },
    { key: 'Parent span ID', value: span.parentSpanID },
    { key: 'Project', value: span.projectSlug },
  ];
  if (span.kind !== null) {
    rows.push({ key: 'Kind', value: span.kind });
  }
  if (span.origin !== null) {
    rows.push({ key: 'Origin', value: span.origin });
  }
  const dataRows = Object.entries(span.data).map(([key, value]) => ({ key, value }));
  const tagRows = Object.entries(span.tags ?? {}).map(([key, value]) => ({ key, value }));

  return (
    <Panel
      title={span.isTransaction ? 'Transaction details' : 'Span details'}
      className="span-details"
      actions={
        <button type="button" className="button button-small" onClick={onClose}>
          Close
        </button>
      }
    >
      <KeyValueTable rows={rows} />
      {span.transactionID === null ? null : (
        <p className="span-details-links">
          <a
            className="button button-small"
            href={eventJsonPath(orgSlug, span.projectSlug, span.transactionID)}
            target="_blank"
            rel="noopener noreferrer"
            title="Open the transaction event as JSON in a new tab"
          >
            Transaction JSON
          </a>
        </p>
      )}
      {dataRows.length === 0 ? null : (
        <section className="subsection">
          <h3 className="subsection-title">Data</h3>
          <KeyValueTable rows={dataRows} />
        </section>
      )}
      {tagRows.length === 0 ? null : (
        <section className="subsection">
          <h3 className="subsection-title">Tags</h3>
          <KeyValueTable rows={tagRows} />
        </section>
      )}
    </Panel>
  );
}
