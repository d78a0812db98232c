/**
 * Envelope item types that are queued for the worker, each with the queue record kind that the
 * worker's processor for it reads. Types not listed are acknowledged and counted as outcomes.
 *
 * `json` items are checked to be one JSON object at ingest; `binary` items are kept as bytes.
 */
export interface QueuedItemKind {
  kind: string;
  payload: 'json' | 'binary';
  /**
   * Maximum number of items of this group in one envelope. The rest are counted as `invalid`
   * with `reason`. Relay allows 100 `session` and `sessions` items together.
   */
  envelopeLimit?: { group: string; max: number; reason: string };
}

const SESSION_LIMIT = { group: 'session', max: 100, reason: 'too_many_sessions' };
// SDKs send one check-in per envelope; the cap keeps one request from queueing a flood of them.
const CHECK_IN_LIMIT = { group: 'check_in', max: 100, reason: 'too_many_check_ins' };

export const QUEUED_ITEM_KINDS: ReadonlyMap<string, QueuedItemKind> = new Map([
  ['event', { kind: 'event', payload: 'json' }],
  ['attachment', { kind: 'attachment', payload: 'binary' }],
  ['feedback', { kind: 'feedback', payload: 'json' }],
  ['user_report', { kind: 'user_report', payload: 'json' }],
  // A browser security report, turned into an error event at ingest.
  ['raw_security', { kind: 'event', payload: 'json' }],
  ['log', { kind: 'log', payload: 'json' }],
  ['transaction', { kind: 'transaction', payload: 'json' }],
  ['span', { kind: 'span', payload: 'json' }],
  ['session', { kind: 'session', payload: 'json', envelopeLimit: SESSION_LIMIT }],
  ['sessions', { kind: 'sessions', payload: 'json', envelopeLimit: SESSION_LIMIT }],
  ['check_in', { kind: 'check_in', payload: 'json', envelopeLimit: CHECK_IN_LIMIT }],
] satisfies [string, QueuedItemKind][]);

/**
 * Context of a queued item other than an error event, written by ingest beside the item's
 * payload as `{"meta": ItemMeta, "item": <payload>}`.
 */
export interface ItemMeta {
  /** The envelope's `event_id` header, as 32 lowercase hex digits, when it had one. */
  eventId: string | undefined;
  sentAt: string | undefined;
  clientIp: string | undefined;
  client: string | undefined;
  /** The envelope's `sdk` header. */
  sdk: { name?: string; version?: string } | undefined;
  /** The envelope's dynamic sampling context (`trace` header). */
  trace: Record<string, unknown> | undefined;
  /** The item's own headers (`type`, `content_type`, `item_count`, `filename`, ...). */
  itemHeaders: Record<string, unknown>;
}

/** The parsed body of a queue record written by {@link ItemMeta}'s format. */
export interface ItemRecordBody {
  meta: ItemMeta;
  item: unknown;
}
