/**
 * The parts of OTLP's `ExportTraceServiceRequest` and `ExportLogsServiceRequest` that Picket
 * reads, decoded from either JSON or protobuf into one shape. Field names follow
 * opentelemetry-proto (`opentelemetry/proto/{common,resource,trace,logs}/v1/*.proto`). Ids are
 * lowercase hex ('' when absent) and times are nanoseconds since the epoch (0n when absent).
 */

/** OTLP's `AnyValue`, one of its seven kinds. */
export type AnyValue =
  | { kind: 'string'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'int'; value: bigint }
  | { kind: 'double'; value: number }
  | { kind: 'bytes'; value: Uint8Array }
  | { kind: 'array'; values: AnyValue[] }
  | { kind: 'kvlist'; values: KeyValue[] };

export interface KeyValue {
  key: string;
  /** Undefined for an empty `AnyValue`, which OTLP allows. */
  value: AnyValue | undefined;
}

export interface InstrumentationScope {
  name: string;
  version: string;
  attributes: KeyValue[];
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** `SpanKind`: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: KeyValue[];
  /** `Status.code`: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  statusMessage: string;
  /** `SpanFlags`: bit 8 (0x100) is set when bit 9 (0x200, the parent is remote) is valid. */
  flags: number;
}

export interface OtlpLogRecord {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  /** `SeverityNumber`: 0 unspecified, 1-4 trace ... 21-24 fatal. */
  severityNumber: number;
  severityText: string;
  body: AnyValue | undefined;
  attributes: KeyValue[];
  traceId: string;
  spanId: string;
  eventName: string;
}

/** The spans or log records of one instrumentation scope within one resource. */
export interface ScopeEntries<T> {
  resource: KeyValue[];
  scope: InstrumentationScope | undefined;
  entries: T[];
  /**
   * Entries past {@link MAX_ENTRIES_PER_REQUEST}, counted but not decoded. Absent when none
   * were left out.
   */
  skipped?: number;
}

/**
 * Spans or log records decoded from one request; the decoders count the rest without decoding
 * them. The OpenTelemetry SDK's batch processor exports at most 512 per request by default
 * (`OTEL_BSP_MAX_EXPORT_BATCH_SIZE`), so this leaves room for collectors that merge batches.
 */
export const MAX_ENTRIES_PER_REQUEST = 10_000;

/** Counts the entries of one request that the decoders keep, up to the limit. */
export class EntryCounter {
  #decoded = 0;

  /** Takes a place for one more entry, or returns false when the request is full. */
  take(): boolean {
    if (this.#decoded >= MAX_ENTRIES_PER_REQUEST) {
      return false;
    }
    this.#decoded += 1;
    return true;
  }
}

/** Sums the entries the decoders left out of a request. */
export function countSkipped(request: ScopeEntries<unknown>[]): number {
  return request.reduce((total, group) => total + (group.skipped ?? 0), 0);
}

/** Spans of an export request, flattened to one list per resource and scope. */
export type TraceRequest = ScopeEntries<OtlpSpan>[];

/** Log records of an export request, flattened to one list per resource and scope. */
export type LogsRequest = ScopeEntries<OtlpLogRecord>[];

/** Raised for an OTLP body that does not decode as the expected request. */
export class OtlpDecodeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OtlpDecodeError';
  }
}

/**
 * Maximum nesting of array and key-value list values. Both decoders reject deeper values, so
 * that their recursion stays shallow.
 */
export const MAX_VALUE_DEPTH = 16;
