import type { JsonValue } from '../processing/event-types.js';
import type { PreparedSpan } from './normalize-span.js';

/**
 * Writes a span in the v1 layout that transaction events carry and that Sentry's `spans` event
 * entry returns: snake_case, times in epoch seconds.
 */
export function toV1SpanJson(span: PreparedSpan): Record<string, JsonValue> {
  const json: Record<string, JsonValue> = {
    trace_id: span.traceId,
    span_id: span.spanId,
    start_timestamp: span.start,
    timestamp: span.end,
  };

  putOptional(json, 'parent_span_id', span.parentSpanId);
  putOptional(json, 'op', span.op);
  putOptional(json, 'description', span.name);
  putOptional(json, 'status', span.status);
  putOptional(json, 'origin', span.origin);
  putOptional(json, 'kind', span.kind);
  if (Object.keys(span.data).length > 0) {
    json.data = span.data;
  }
  if (span.tags !== null) {
    json.tags = span.tags;
  }

  return { ...json, ...span.extra };
}

function putOptional(json: Record<string, JsonValue>, key: string, value: string | null): void {
  if (value !== null) {
    json[key] = value;
  }
}
