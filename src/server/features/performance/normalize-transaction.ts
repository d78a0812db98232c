import { getUserTagValue, extractTags } from '../processing/event-tags.js';
import type { EventError, JsonValue } from '../processing/event-types.js';
import { trimDatabagObject } from '../processing/normalize-databag.js';
import { computeClockDrift, parseTimestamp } from '../processing/normalize-timestamp.js';
import { isRecord } from '../processing/normalize-values.js';
import { normalizeEvent } from '../processing/normalize.js';
import { normalizeV1Span, type PreparedSpan, type SpanRejection } from './normalize-span.js';
import { toV1SpanJson } from './span-json.js';
import {
  MAX_ENUM_CHARS,
  MAX_OP_CHARS,
  readSpanId,
  readText,
  readTraceId,
  resolveTimeShift,
  UNLABELED_TRANSACTION,
} from './trace-values.js';

/** Context of a queued transaction, from its envelope and request. */
export interface TransactionContext {
  /** The envelope's `event_id`; it wins over the payload's. */
  eventId: string | undefined;
  /** Receive time in epoch milliseconds. */
  receivedAt: number;
  sentAt: string | undefined;
  clientIp: string | undefined;
  client: string | undefined;
}

/** A valid transaction, normalized, with times in epoch seconds after the clock correction. */
export interface PreparedTransaction {
  eventId: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  op: string | null;
  status: string | null;
  start: number;
  end: number;
  release: string | null;
  environment: string | null;
  platform: string;
  userTag: string | null;
  /** The event to store, in Sentry's transaction layout (snake_case, `spans` included). */
  payload: Record<string, unknown>;
  /** The child spans, each with the transaction's root span as its segment. */
  spans: PreparedSpan[];
}

/** Reason for rejecting a transaction, which is also its outcome reason. */
export type TransactionRejection =
  | 'missing_timestamp'
  | 'end_before_start'
  | 'missing_trace_context'
  | 'invalid_trace_id'
  | 'invalid_span_id'
  | 'invalid_spans'
  | 'invalid_span';

export type TransactionResult =
  | { ok: true; transaction: PreparedTransaction }
  | { ok: false; reason: TransactionRejection; detail: string };

interface TraceContext {
  traceId: string;
  spanId: string;
  trace: Record<string, JsonValue>;
}

function reject(reason: TransactionRejection, detail: string): TransactionResult {
  return { ok: false, reason, detail };
}

function readTraceContext(raw: Record<string, unknown>): TraceContext | TransactionResult {
  const contexts = isRecord(raw.contexts) ? raw.contexts : undefined;
  if (!isRecord(contexts?.trace)) {
    return reject('missing_trace_context', 'The transaction has no contexts.trace object');
  }

  const trace = trimDatabagObject(contexts.trace);
  const traceId = readTraceId(trace.trace_id);
  if (traceId === undefined) {
    return reject('invalid_trace_id', 'contexts.trace.trace_id is not 32 hex digits');
  }

  const spanId = readSpanId(trace.span_id);
  if (spanId === undefined) {
    return reject('invalid_span_id', 'contexts.trace.span_id is not 16 hex digits');
  }

  return { traceId, spanId, trace };
}

function readChildSpans(
  raw: Record<string, unknown>,
  traceId: string,
): PreparedSpan[] | TransactionResult {
  if (raw.spans === undefined || raw.spans === null) {
    return [];
  }

  if (!Array.isArray(raw.spans)) {
    return reject('invalid_spans', 'spans is not an array');
  }

  const spans: PreparedSpan[] = [];
  for (const [index, value] of raw.spans.entries()) {
    const result = normalizeV1Span(value, { traceId });
    if (!result.ok) {
      // As in Relay, one broken child span invalidates the whole transaction.
      return reject('invalid_span', describeSpanRejection(index, result.reason));
    }
    spans.push(result.span);
  }

  return spans;
}

function describeSpanRejection(index: number, reason: SpanRejection): string {
  return `spans[${index}] was rejected: ${reason}`;
}

/**
 * Validates and normalizes a transaction event (`transaction` envelope item). Bad data is
 * returned as rejected with a reason instead of thrown: a transaction without both timestamps,
 * ending before it starts, without a valid `contexts.trace`, or with a broken child span.
 */
export function normalizeTransaction(
  raw: Record<string, unknown>,
  context: TransactionContext,
): TransactionResult {
  const start = parseTimestamp(raw.start_timestamp);
  const end = parseTimestamp(raw.timestamp);
  if (start === undefined || end === undefined) {
    return reject('missing_timestamp', 'start_timestamp and timestamp are both required');
  }
  if (end < start) {
    return reject('end_before_start', 'timestamp is earlier than start_timestamp');
  }

  const traceContext = readTraceContext(raw);
  if ('ok' in traceContext) {
    return traceContext;
  }

  const spans = readChildSpans(raw, traceContext.traceId);
  if (!Array.isArray(spans)) {
    return spans;
  }

  const receivedSeconds = context.receivedAt / 1000;
  const drift = computeClockDrift(context.sentAt, receivedSeconds);
  const shift = resolveTimeShift(end, receivedSeconds, drift);

  return {
    ok: true,
    transaction: buildTransaction(raw, context, {
      traceContext,
      spans,
      start: start + shift.seconds,
      end: end + shift.seconds,
      shiftSeconds: shift.seconds,
      timeErrors: shift.errors,
    }),
  };
}

interface TransactionParts {
  traceContext: TraceContext;
  spans: PreparedSpan[];
  start: number;
  end: number;
  shiftSeconds: number;
  timeErrors: EventError[];
}

function buildTransaction(
  raw: Record<string, unknown>,
  context: TransactionContext,
  parts: TransactionParts,
): PreparedTransaction {
  const { traceId, spanId, trace } = parts.traceContext;
  // The timestamp is taken out, so that normalizeEvent neither replaces nor reports it: the
  // whole transaction was already shifted as one.
  const event = normalizeEvent(
    { ...raw, timestamp: undefined, level: raw.level ?? 'info' },
    { ...context, defaultType: 'default' },
  );
  const tags = extractTags(event);
  const name = event.transaction ?? UNLABELED_TRANSACTION;
  const parentSpanId = readSpanId(trace.parent_span_id) ?? null;
  const traceData = isRecord(trace.data) ? trace.data : {};
  const op = readText(trace.op, MAX_OP_CHARS) ?? readText(traceData['sentry.op'], MAX_OP_CHARS);
  const status = readText(trace.status, MAX_ENUM_CHARS) ?? null;

  for (const span of parts.spans) {
    span.start += parts.shiftSeconds;
    span.end += parts.shiftSeconds;
    span.segmentId = spanId;
    span.release = event.release ?? null;
    span.environment = event.environment ?? null;
  }

  const contextsTrace: Record<string, JsonValue> = {
    ...trace,
    trace_id: traceId,
    span_id: spanId,
    type: 'trace',
  };
  if (parentSpanId === null) {
    delete contextsTrace.parent_span_id;
  } else {
    contextsTrace.parent_span_id = parentSpanId;
  }

  const payload: Record<string, unknown> = {
    ...event,
    type: 'transaction',
    timestamp: parts.end,
    start_timestamp: parts.start,
    transaction: name,
    title: name,
    tags,
    contexts: { ...event.contexts, trace: contextsTrace },
    spans: parts.spans.map(toV1SpanJson),
    errors: [...parts.timeErrors, ...event.errors],
  };
  copyRecord(raw, payload, 'measurements');
  copyRecord(raw, payload, 'transaction_info');

  return {
    eventId: event.event_id,
    traceId,
    spanId,
    parentSpanId,
    name,
    op: op ?? null,
    status,
    start: parts.start,
    end: parts.end,
    release: event.release ?? null,
    environment: event.environment ?? null,
    platform: event.platform,
    userTag: getUserTagValue(event.user) ?? null,
    payload,
    spans: parts.spans,
  };
}

function copyRecord(
  source: Record<string, unknown>,
  target: Record<string, unknown>,
  key: string,
): void {
  if (isRecord(source[key])) {
    target[key] = trimDatabagObject(source[key]);
  }
}
