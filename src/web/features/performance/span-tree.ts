import type { TraceSpan } from '../../../shared/api/performance';

/** One row of the trace waterfall: a span with its depth in the span tree. */
export interface SpanTreeRow {
  span: TraceSpan;
  depth: number;
  childCount: number;
}

/** The earliest start and the latest end of a trace's spans, in epoch seconds. */
export interface TraceBounds {
  start: number;
  end: number;
}

const byStart = (a: TraceSpan, b: TraceSpan) => a.startTimestamp - b.startTimestamp;

/**
 * Orders a trace's spans depth first: each root, then its children by start time, each child
 * followed by its own subtree. A span whose parent is not in the trace is a root. Spans that no
 * root reaches, because their parents form a cycle, are added as roots at the end, so that no
 * span is lost.
 */
export function buildSpanTree(spans: readonly TraceSpan[]): SpanTreeRow[] {
  const ids = new Set(spans.map((span) => span.spanID));
  const children = new Map<string, TraceSpan[]>();
  const roots: TraceSpan[] = [];

  for (const span of spans) {
    const parent = span.parentSpanID;
    if (parent === null || parent === span.spanID || !ids.has(parent)) {
      roots.push(span);
      continue;
    }
    const siblings = children.get(parent);
    if (siblings === undefined) {
      children.set(parent, [span]);
    } else {
      siblings.push(span);
    }
  }

  const rows: SpanTreeRow[] = [];
  const visited = new Set<TraceSpan>();
  const visit = (root: TraceSpan) => {
    // An explicit stack instead of recursion, as a trace can nest thousands of spans deep.
    const stack: { span: TraceSpan; depth: number }[] = [{ span: root, depth: 0 }];
    for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
      const { span, depth } = entry;
      if (visited.has(span)) {
        continue;
      }
      visited.add(span);
      const spanChildren = [...(children.get(span.spanID) ?? [])].sort(byStart);
      rows.push({ span, depth, childCount: spanChildren.length });
      for (const child of spanChildren.reverse()) {
        stack.push({ span: child, depth: depth + 1 });
      }
    }
  };

  [...roots].sort(byStart).forEach(visit);
  [...spans].sort(byStart).forEach((span) => {
    if (!visited.has(span)) {
      visit(span);
    }
  });

  return rows;
}

export function traceBounds(spans: readonly TraceSpan[]): TraceBounds {
  if (spans.length === 0) {
    return { start: 0, end: 0 };
  }

  return {
    start: Math.min(...spans.map((span) => span.startTimestamp)),
    end: Math.max(...spans.map((span) => span.endTimestamp)),
  };
}
