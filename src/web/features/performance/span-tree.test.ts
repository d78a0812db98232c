import { describe, expect, it } from 'vitest';

import type { TraceSpan } from '../../../shared/api/performance';
import { buildSpanTree, traceBounds } from './span-tree';

function span(spanID: string, parentSpanID: string | null, start: number, end = start + 1) {
  return {
    spanID,
    parentSpanID,
    traceID: 'a'.repeat(32),
    projectID: '1',
    projectSlug: 'web',
    op: 'function',
    description: spanID,
    status: 'ok',
    kind: null,
    origin: null,
    startTimestamp: start,
    endTimestamp: end,
    duration: (end - start) * 1000,
    transactionID: null,
    isTransaction: parentSpanID === null,
    data: {},
    tags: null,
  } satisfies TraceSpan;
}

const layout = (spans: TraceSpan[]) =>
  buildSpanTree(spans).map((row) => `${'-'.repeat(row.depth)}${row.span.spanID}`);

describe('buildSpanTree', () => {
  it('orders children by start under their parent', () => {
    const spans = [
      span('db', 'root', 3),
      span('root', null, 1, 10),
      span('render', 'root', 2),
      span('file', 'render', 2.5),
    ];

    expect(layout(spans)).toEqual(['root', '-render', '--file', '-db']);
  });

  it('shows a span with an unknown parent as a root', () => {
    expect(layout([span('orphan', 'missing', 2), span('root', null, 1)])).toEqual([
      'root',
      'orphan',
    ]);
  });

  it('keeps spans whose parents form a cycle', () => {
    const rows = buildSpanTree([span('a', 'b', 1), span('b', 'a', 2)]);

    expect(rows.map((row) => row.span.spanID).sort()).toEqual(['a', 'b']);
  });

  it('counts children', () => {
    const rows = buildSpanTree([span('root', null, 1), span('x', 'root', 2), span('y', 'root', 3)]);

    expect(rows[0]!.childCount).toBe(2);
  });

  it('handles a deeply nested chain', () => {
    const chain = Array.from({ length: 20_000 }, (_, index) =>
      span(`s${index}`, index === 0 ? null : `s${index - 1}`, index),
    );

    const rows = buildSpanTree(chain);

    expect(rows.at(-1)?.depth).toBe(19_999);
  });
});

describe('traceBounds', () => {
  it('spans the earliest start to the latest end', () => {
    expect(traceBounds([span('a', null, 5, 6), span('b', 'a', 4, 9)])).toEqual({
      start: 4,
      end: 9,
    });
  });
});
