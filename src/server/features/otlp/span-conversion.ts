import {
  addAttributes,
  addReleaseAndEnvironment,
  copyAttributes,
  createBaseAttributes,
  setIfMissing,
  stringValue,
  type SentryAttributes,
  type SizedAttributes,
} from './otlp-attributes.js';
import type { OtlpSpan, TraceRequest } from './otlp-model.js';

/**
 * A span of Sentry's span v2 protocol, the payload of a `span` item with content type
 * `application/vnd.sentry.items.span.v2+json` (https://develop.sentry.dev/sdk/telemetry/spans/).
 */
export interface SpanV2 {
  trace_id: string;
  span_id: string;
  parent_span_id?: string;
  name: string;
  status: 'ok' | 'error';
  kind: SpanKind;
  /** Seconds since the epoch, with microseconds. */
  start_timestamp: number;
  end_timestamp: number;
  is_remote: boolean;
  attributes: SentryAttributes;
}

export type SpanKind = 'internal' | 'server' | 'client' | 'producer' | 'consumer';

export type SpanRejection = 'invalid_trace_id' | 'invalid_span_id' | 'invalid_timestamp';

export interface SpanConversion {
  spans: SpanV2[];
  /** Spans left out, counted by reason. */
  rejected: Map<SpanRejection, number>;
}

// OTLP `SpanKind` values 1 to 5. Unspecified (0) and unknown values read as internal, which
// opentelemetry-proto allows receivers to assume for an unspecified kind.
const SPAN_KINDS: Record<number, SpanKind> = {
  1: 'internal',
  2: 'server',
  3: 'client',
  4: 'producer',
  5: 'consumer',
};

const STATUS_CODE_ERROR = 2;
const FLAG_HAS_IS_REMOTE = 0x100;
const FLAG_IS_REMOTE = 0x200;
const TRACE_ID = /^(?!0{32})[0-9a-f]{32}$/;
const SPAN_ID = /^(?!0{16})[0-9a-f]{16}$/;

/**
 * Converts the spans of an OTLP trace request to Sentry span v2 items. Each span gets the
 * attributes of its resource and scope, then its own, then derived ones: `sentry.op`,
 * `sentry.release`, `sentry.environment`, `sentry.segment.name` and `sentry.segment.id`.
 * Spans with malformed ids or times are left out and counted in `rejected`.
 */
export function convertTraceRequest(request: TraceRequest): SpanConversion {
  const spans: SpanV2[] = [];
  const rejected = new Map<SpanRejection, number>();

  for (const group of request) {
    const base = createBaseAttributes(group.resource, group.scope);

    for (const span of group.entries) {
      const rejection = checkSpan(span);
      if (rejection !== undefined) {
        rejected.set(rejection, (rejected.get(rejection) ?? 0) + 1);
        continue;
      }
      spans.push(convertSpan(span, base));
    }
  }

  addSegments(spans);
  return { spans, rejected };
}

function checkSpan(span: OtlpSpan): SpanRejection | undefined {
  if (!TRACE_ID.test(span.traceId)) {
    return 'invalid_trace_id';
  }
  if (
    !SPAN_ID.test(span.spanId) ||
    (span.parentSpanId !== '' && !/^[0-9a-f]{16}$/.test(span.parentSpanId))
  ) {
    return 'invalid_span_id';
  }
  if (span.startTimeUnixNano === 0n || span.endTimeUnixNano < span.startTimeUnixNano) {
    return 'invalid_timestamp';
  }
  return undefined;
}

function convertSpan(span: OtlpSpan, base: SizedAttributes): SpanV2 {
  const kind = SPAN_KINDS[span.kind] ?? 'internal';
  const sized = copyAttributes(base);
  addAttributes(sized, span.attributes);
  const attributes = sized.attributes;

  const op = stringValue(attributes, 'sentry.op') ?? deriveOp(attributes, kind);
  setIfMissing(attributes, 'sentry.op', op);
  setIfMissing(attributes, 'sentry.status.message', span.statusMessage);
  addReleaseAndEnvironment(attributes);

  const hasParent = span.parentSpanId !== '' && span.parentSpanId !== '0'.repeat(16);

  return {
    trace_id: span.traceId,
    span_id: span.spanId,
    ...(hasParent ? { parent_span_id: span.parentSpanId } : {}),
    name: span.name === '' ? op : span.name,
    status: span.statusCode === STATUS_CODE_ERROR ? 'error' : 'ok',
    kind,
    start_timestamp: toEpochSeconds(span.startTimeUnixNano),
    end_timestamp: toEpochSeconds(span.endTimeUnixNano),
    is_remote:
      (span.flags & FLAG_HAS_IS_REMOTE) !== 0 ? (span.flags & FLAG_IS_REMOTE) !== 0 : false,
    attributes,
  };
}

/**
 * Derives Sentry's operation from OpenTelemetry's semantic conventions: HTTP spans by their
 * kind, then database, generative AI, RPC, messaging and FaaS spans, else `default`.
 */
export function deriveOp(attributes: SentryAttributes, kind: SpanKind): string {
  const has = (key: string) => attributes[key] !== undefined;

  if (has('http.request.method') || has('http.method')) {
    if (kind === 'server') {
      return 'http.server';
    }
    return kind === 'client' ? 'http.client' : 'http';
  }
  if (has('db.system.name') || has('db.system')) {
    return 'db';
  }
  if (has('gen_ai.provider.name') || has('gen_ai.system')) {
    return 'gen_ai';
  }
  if (has('rpc.service') || has('rpc.system')) {
    return 'rpc';
  }
  if (has('messaging.system')) {
    return 'message';
  }
  return stringValue(attributes, 'faas.trigger') ?? 'default';
}

/**
 * Sets `sentry.segment.name` and `sentry.segment.id` of each span to those of its segment: the
 * nearest ancestor in this request whose parent is missing from the request or remote.
 */
function addSegments(spans: SpanV2[]): void {
  const byId = new Map(spans.map((span) => [`${span.trace_id}:${span.span_id}`, span]));

  for (const span of spans) {
    let segment = span;
    // Bounded by the number of spans, so that a cycle of parent ids cannot loop forever.
    for (let step = 0; step < spans.length && !segment.is_remote; step += 1) {
      const parent =
        segment.parent_span_id === undefined
          ? undefined
          : byId.get(`${segment.trace_id}:${segment.parent_span_id}`);
      if (parent === undefined) {
        break;
      }
      segment = parent;
    }

    // A span whose parent came in another request is no segment of its own, unless it starts
    // the work of a service (a root, a remote parent, or a server or consumer span).
    const startsSegment =
      segment.parent_span_id === undefined ||
      segment.is_remote ||
      segment.kind === 'server' ||
      segment.kind === 'consumer';
    if (!startsSegment) {
      continue;
    }
    setIfMissing(span.attributes, 'sentry.segment.name', segment.name);
    setIfMissing(span.attributes, 'sentry.segment.id', segment.span_id);
  }
}

/** Converts nanoseconds since the epoch to seconds, keeping microseconds. */
export function toEpochSeconds(nanoseconds: bigint): number {
  return Number(nanoseconds / 1_000n) / 1_000_000;
}
