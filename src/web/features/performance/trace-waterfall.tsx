import type { CSSProperties } from 'react';

import { EventText } from '../../components/event-text';
import { ShowAllToggle } from '../../components/show-all-toggle';
import { useListLimit } from '../../lib/use-list-limit';
import { formatDuration } from './format-duration';
import type { SpanTreeRow, TraceBounds } from './span-tree';

/** Rows rendered before "Show all": a trace may hold 10,000 spans. */
const VISIBLE_ROWS = 500;
/** Indentation stops growing at this depth, so that deep trees keep room for their labels. */
const MAX_INDENT_DEPTH = 24;
const INDENT_PX = 14;
const TICKS = [0, 0.25, 0.5, 0.75, 1];

interface TraceWaterfallProps {
  rows: SpanTreeRow[];
  bounds: TraceBounds;
  selectedSpanId: string | null;
  onSelect: (spanId: string) => void;
}

/**
 * Renders a trace's span tree as a waterfall: one row per span, indented under its parent, with
 * a bar placed by its start and sized by its duration on the trace's time axis.
 */
export function TraceWaterfall({ rows, bounds, selectedSpanId, onSelect }: TraceWaterfallProps) {
  const list = useListLimit(rows, VISIBLE_ROWS);
  const totalMs = (bounds.end - bounds.start) * 1000;

  return (
    <div className="waterfall">
      <div className="waterfall-scale" aria-hidden="true">
        <span className="waterfall-scale-label">Span</span>
        <span className="waterfall-scale-axis">
          {TICKS.map((tick) => (
            <span key={tick} className="waterfall-tick" style={{ left: `${tick * 100}%` }}>
              {formatDuration(totalMs * tick)}
            </span>
          ))}
        </span>
      </div>
      <ol className="waterfall-rows" aria-label="Span tree">
        {list.visibleItems.map((row, index) => (
          <WaterfallRow
            key={`${row.span.projectID}:${row.span.spanID}:${index}`}
            row={row}
            bounds={bounds}
            isSelected={row.span.spanID === selectedSpanId}
            onSelect={onSelect}
          />
        ))}
      </ol>
      <ShowAllToggle list={list} noun="spans" />
    </div>
  );
}

interface WaterfallRowProps {
  row: SpanTreeRow;
  bounds: TraceBounds;
  isSelected: boolean;
  onSelect: (spanId: string) => void;
}

function WaterfallRow({ row, bounds, isSelected, onSelect }: WaterfallRowProps) {
  const { span, depth } = row;
  const total = bounds.end - bounds.start;
  const offset = total > 0 ? (span.startTimestamp - bounds.start) / total : 0;
  const width = total > 0 ? (span.endTimestamp - span.startTimestamp) / total : 1;
  const barStyle: CSSProperties = { left: `${offset * 100}%`, width: `${width * 100}%` };
  const label = placeDurationLabel(offset, width);
  const isError = span.status !== null && span.status !== 'ok' && span.status !== 'unset';
  const classNames = [
    'waterfall-row',
    span.isTransaction ? 'waterfall-row-transaction' : '',
    isError ? 'waterfall-row-error' : '',
    isSelected ? 'waterfall-row-selected' : '',
  ].filter((name) => name !== '');

  return (
    <li className={classNames.join(' ')} data-span-id={span.spanID}>
      <button
        type="button"
        className="waterfall-button"
        aria-pressed={isSelected}
        title={depth > MAX_INDENT_DEPTH ? `Depth ${depth}` : undefined}
        onClick={() => {
          onSelect(span.spanID);
        }}
      >
        <span
          className="waterfall-label"
          style={{ paddingLeft: `${Math.min(depth, MAX_INDENT_DEPTH) * INDENT_PX}px` }}
        >
          {row.childCount > 0 ? (
            <span className="waterfall-children" aria-label={`${row.childCount} child spans`}>
              {row.childCount}
            </span>
          ) : (
            <span className="waterfall-children waterfall-children-none" aria-hidden="true" />
          )}
          <EventText className="waterfall-op">{span.op ?? 'span'}</EventText>
          {span.description === null ? null : (
            <EventText className="waterfall-description">{span.description}</EventText>
          )}
        </span>
        <span className="waterfall-timeline">
          <span className="waterfall-bar" style={barStyle} />
          <span className={label.className} style={label.style}>
            {formatDuration(span.duration)}
          </span>
        </span>
      </button>
    </li>
  );
}

/**
 * Places a bar's duration: right of the bar, or, when the bar ends near the right edge, inside
 * it if the bar is wide enough, else left of it.
 */
function placeDurationLabel(offset: number, width: number) {
  if (offset + width <= 0.85) {
    return { className: 'waterfall-duration', style: { left: `${(offset + width) * 100}%` } };
  }

  if (width >= 0.15) {
    return {
      className: 'waterfall-duration waterfall-duration-inside',
      style: { right: `${(1 - offset - width) * 100}%` },
    };
  }

  return { className: 'waterfall-duration', style: { right: `${(1 - offset) * 100}%` } };
}
