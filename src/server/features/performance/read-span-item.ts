import { isRecord } from '../processing/normalize-values.js';
import {
  normalizeV1Span,
  normalizeV2Span,
  type PreparedSpan,
  type SpanRejection,
} from './normalize-span.js';

/** The `content_type` of a `span` item that contains a v2 container (span streaming). */
export const SPAN_V2_CONTENT_TYPE = 'application/vnd.sentry.items.span.v2+json';

/** Sentry's limit of spans in one v2 container item. */
export const MAX_SPANS_PER_CONTAINER = 1000;

/** Reason for rejecting a whole container, which is also its outcome reason. */
export type ContainerRejection = 'invalid_span_container' | 'invalid_item_count' | 'too_many_spans';

export interface SpanItemResult {
  /** Valid spans, times not yet corrected for clock drift. */
  spans: PreparedSpan[];
  /** Number of rejected spans per reason. */
  rejected: Map<SpanRejection | ContainerRejection, number>;
}

/**
 * Reads the spans of one `span` envelope item: one v1 span object, or, when the item's
 * `content_type` is the v2 container type, `{"items": [...]}` whose `item_count` header must
 * equal the number of items. Invalid spans are counted by reason and the others are kept; a
 * malformed container is rejected as a whole. Bad data is returned as rejections, not thrown.
 */
export function readSpanItem(
  item: unknown,
  itemHeaders: Record<string, unknown>,
  dscTraceId: string | undefined,
): SpanItemResult {
  const result: SpanItemResult = { spans: [], rejected: new Map() };

  if (!isV2Container(itemHeaders)) {
    addResult(result, normalizeV1Span(item, { traceId: dscTraceId }));
    return result;
  }

  const items = isRecord(item) ? item.items : undefined;
  if (!Array.isArray(items)) {
    result.rejected.set('invalid_span_container', claimedCount(itemHeaders));
    return result;
  }

  const containerRejection = checkContainer(items, itemHeaders.item_count);
  if (containerRejection !== undefined) {
    result.rejected.set(containerRejection, Math.max(items.length, 1));
    return result;
  }

  for (const span of items) {
    addResult(result, normalizeV2Span(span));
  }

  return result;
}

function isV2Container(itemHeaders: Record<string, unknown>): boolean {
  const contentType = itemHeaders.content_type;
  if (typeof contentType !== 'string') {
    return false;
  }

  return contentType.split(';')[0]?.trim().toLowerCase() === SPAN_V2_CONTENT_TYPE;
}

function checkContainer(items: unknown[], itemCount: unknown): ContainerRejection | undefined {
  if (typeof itemCount !== 'number' || !Number.isInteger(itemCount) || itemCount < 0) {
    return 'invalid_item_count';
  }

  if (itemCount !== items.length) {
    return 'invalid_item_count';
  }

  return items.length > MAX_SPANS_PER_CONTAINER ? 'too_many_spans' : undefined;
}

/**
 * Returns the number of spans a malformed container claims to contain, for its outcome. The
 * header is untrusted, so the claim is capped at the container limit.
 */
function claimedCount(itemHeaders: Record<string, unknown>): number {
  const itemCount = itemHeaders.item_count;
  return typeof itemCount === 'number' && Number.isInteger(itemCount) && itemCount > 0
    ? Math.min(itemCount, MAX_SPANS_PER_CONTAINER)
    : 1;
}

function addResult(result: SpanItemResult, span: ReturnType<typeof normalizeV1Span>): void {
  if (span.ok) {
    result.spans.push(span.span);
    return;
  }

  result.rejected.set(span.reason, (result.rejected.get(span.reason) ?? 0) + 1);
}
