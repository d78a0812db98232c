import type { Generated } from 'kysely';

/** Tables of transactions, spans and traces. */
export interface PerformanceTables {
  transactions: TransactionsTable;
  spans: SpansTable;
}

/**
 * One row per transaction event, and per segment span of span streaming, which Sentry's UI
 * lists as a transaction too. Times are epoch milliseconds as doubles, so that the microseconds
 * SDKs send survive.
 */
export interface TransactionsTable {
  id: Generated<number>;
  projectId: number;
  /** The event id; for a segment span, an id derived from its trace and span ids. */
  eventId: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  op: string | null;
  status: string | null;
  startMs: number;
  endMs: number;
  durationMs: number;
  receivedAt: number;
  release: string | null;
  environment: string | null;
  platform: string;
  userTag: string | null;
  /** The normalized transaction (or segment span) as JSON, compressed with deflate. */
  payload: Buffer;
  size: number;
}

/**
 * Spans of every origin: the child spans of a transaction, standalone v1 spans and the spans of
 * v2 containers. A span is stored once per project, trace and span id.
 */
export interface SpansTable {
  id: Generated<number>;
  projectId: number;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  /** Span id of the segment (transaction root) the span belongs to, when known. */
  segmentId: string | null;
  /** Event id of the transaction that carried the span, or of the segment's transaction row. */
  transactionEventId: string | null;
  isSegment: number;
  /** The v1 `description` or the v2 `name`. */
  name: string | null;
  op: string | null;
  status: string | null;
  /** OpenTelemetry span kind (`server`, `client`, ...) of v2 spans. */
  kind: string | null;
  origin: string | null;
  startMs: number;
  endMs: number;
  durationMs: number;
  receivedAt: number;
  release: string | null;
  environment: string | null;
  /** The v1 `data` or the v2 `attributes` with their values only, as a JSON object. */
  data: string;
  /** The v1 `tags` as a JSON object, or null. */
  tags: string | null;
}
