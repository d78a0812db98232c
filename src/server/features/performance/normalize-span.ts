import type { JsonValue } from '../processing/event-types.js';
import { trimDatabag, trimDatabagObject } from '../processing/normalize-databag.js';
import { parseTimestamp } from '../processing/normalize-timestamp.js';
import { isRecord, setOwnProperty } from '../processing/normalize-values.js';
import {
  MAX_ENUM_CHARS,
  MAX_NAME_CHARS,
  MAX_OP_CHARS,
  readSpanId,
  readStringMap,
  readText,
  readTraceId,
} from './trace-values.js';

/**
 * A span read from any of the formats, with times in epoch seconds. The processors shift the
 * times for clock drift before storing it.
 */
export interface PreparedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  segmentId: string | null;
  isSegment: boolean;
  /** The v1 `description` or the v2 `name`. */
  name: string | null;
  op: string | null;
  status: string | null;
  kind: string | null;
  origin: string | null;
  start: number;
  end: number;
  release: string | null;
  environment: string | null;
  /** `sentry.segment.name`: the transaction name of the span's segment. */
  segmentName: string | null;
  data: Record<string, JsonValue>;
  tags: Record<string, string> | null;
  /** Fields of the v1 format that have no column (`measurements`, `exclusive_time`, ...). */
  extra: Record<string, JsonValue>;
}

/** Reason for rejecting a span, which is also its outcome reason. */
export type SpanRejection =
  | 'span_not_object'
  | 'invalid_trace_id'
  | 'invalid_span_id'
  | 'missing_timestamp'
  | 'end_before_start';

export type SpanResult = { ok: true; span: PreparedSpan } | { ok: false; reason: SpanRejection };

export interface SpanDefaults {
  /** Trace id for a span that has none, as the transaction's child spans may omit it. */
  traceId?: string | undefined;
}

const V1_EXTRA_FIELDS = [
  'measurements',
  'exclusive_time',
  'same_process_as_parent',
  'profile_id',
  'links',
] as const;

interface SpanCore {
  traceId: string;
  spanId: string;
  start: number;
  end: number;
}

function readCore(
  raw: Record<string, unknown>,
  endField: 'timestamp' | 'end_timestamp',
  defaults: SpanDefaults,
): SpanCore | SpanRejection {
  const traceId = raw.trace_id === undefined ? defaults.traceId : readTraceId(raw.trace_id);
  if (traceId === undefined) {
    return 'invalid_trace_id';
  }

  const spanId = readSpanId(raw.span_id);
  if (spanId === undefined) {
    return 'invalid_span_id';
  }

  const start = parseTimestamp(raw.start_timestamp);
  const end = parseTimestamp(raw[endField]);
  if (start === undefined || end === undefined) {
    return 'missing_timestamp';
  }

  if (end < start) {
    return 'end_before_start';
  }

  return { traceId, spanId, start, end };
}

/**
 * Reads a span in the v1 format: a child span of a transaction, or a standalone `span` item.
 * Bad data is returned as rejected instead of thrown: a span without ids or times, or one that
 * ends before it starts.
 */
export function normalizeV1Span(raw: unknown, defaults: SpanDefaults = {}): SpanResult {
  if (!isRecord(raw)) {
    return { ok: false, reason: 'span_not_object' };
  }

  const core = readCore(raw, 'timestamp', defaults);
  if (typeof core === 'string') {
    return { ok: false, reason: core };
  }

  const data = trimDatabagObject(raw.data);
  const extra: Record<string, JsonValue> = {};
  for (const field of V1_EXTRA_FIELDS) {
    const value = trimDatabag(raw[field]);
    if (value !== undefined && value !== null) {
      extra[field] = value;
    }
  }

  const isSegment = raw.is_segment === true;

  return {
    ok: true,
    span: {
      ...core,
      parentSpanId: readSpanId(raw.parent_span_id) ?? null,
      segmentId: readSpanId(raw.segment_id) ?? (isSegment ? core.spanId : null),
      isSegment,
      name: readText(raw.description, MAX_NAME_CHARS) ?? null,
      op: readText(raw.op, MAX_OP_CHARS) ?? readAttributeText(data, 'sentry.op', MAX_OP_CHARS),
      status: readText(raw.status, MAX_ENUM_CHARS) ?? null,
      kind: null,
      origin: readText(raw.origin, MAX_ENUM_CHARS) ?? null,
      release: readAttributeText(data, 'sentry.release', MAX_NAME_CHARS),
      environment: readAttributeText(data, 'sentry.environment', MAX_ENUM_CHARS),
      segmentName: readAttributeText(data, 'sentry.segment.name', MAX_NAME_CHARS),
      data,
      tags: readStringMap(raw.tags) ?? null,
      extra,
    },
  };
}

/**
 * Reads a span in the v2 format of span streaming (and of OTLP traces converted to it), whose
 * operation, release, environment and segment come from typed attributes such as `sentry.op`.
 */
export function normalizeV2Span(raw: unknown): SpanResult {
  if (!isRecord(raw)) {
    return { ok: false, reason: 'span_not_object' };
  }

  const core = readCore(raw, 'end_timestamp', {});
  if (typeof core === 'string') {
    return { ok: false, reason: core };
  }

  const data = flattenAttributes(raw.attributes);
  const parentSpanId = readSpanId(raw.parent_span_id) ?? null;
  const segmentId = readAttributeText(data, 'sentry.segment.id', 16);
  const isSegment =
    typeof raw.is_segment === 'boolean'
      ? raw.is_segment
      : parentSpanId === null || raw.is_remote === true || segmentId === core.spanId;
  const links = trimDatabag(raw.links);

  return {
    ok: true,
    span: {
      ...core,
      parentSpanId,
      segmentId: readSpanId(segmentId) ?? (isSegment ? core.spanId : null),
      isSegment,
      name: readText(raw.name, MAX_NAME_CHARS) ?? null,
      op: readAttributeText(data, 'sentry.op', MAX_OP_CHARS),
      status: readText(raw.status, MAX_ENUM_CHARS) ?? null,
      kind: readText(raw.kind, MAX_ENUM_CHARS) ?? null,
      origin: readAttributeText(data, 'sentry.origin', MAX_ENUM_CHARS),
      release: readAttributeText(data, 'sentry.release', MAX_NAME_CHARS),
      environment: readAttributeText(data, 'sentry.environment', MAX_ENUM_CHARS),
      segmentName: readAttributeText(data, 'sentry.segment.name', MAX_NAME_CHARS),
      data,
      tags: null,
      extra: Array.isArray(links) && links.length > 0 ? { links } : {},
    },
  };
}

/**
 * Turns typed attributes (`{"key": {"type": "string", "value": "x"}}`) into `{"key": "x"}`. A
 * value sent without the `{type, value}` wrapper is kept as it is.
 */
export function flattenAttributes(raw: unknown): Record<string, JsonValue> {
  if (!isRecord(raw)) {
    return {};
  }

  const flat: Record<string, unknown> = {};
  for (const [key, attribute] of Object.entries(raw)) {
    setOwnProperty(
      flat,
      key,
      isRecord(attribute) && 'value' in attribute ? attribute.value : attribute,
    );
  }

  return trimDatabagObject(flat);
}

function readAttributeText(
  data: Record<string, JsonValue>,
  key: string,
  maxChars: number,
): string | null {
  return Object.hasOwn(data, key) ? (readText(data[key], maxChars) ?? null) : null;
}
