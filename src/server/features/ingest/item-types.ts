const KIB = 1024;
const MIB = 1024 * KIB;

/**
 * Maximum payload size per envelope item, in bytes: Relay's default per-type limits
 * (`relay-config` `Limits`, 2025-26). `replay` applies to each replay item as sent, and
 * `default` to every item type without its own limit.
 */
export const ITEM_SIZE_LIMITS = {
  event: 1 * MIB,
  transaction: 1 * MIB,
  attachment: 200 * MIB,
  check_in: 100 * KIB,
  client_report: 100 * KIB,
  log: 2 * MIB,
  span: 10 * MIB,
  profile: 50 * MIB,
  replay: 10 * MIB,
  default: 1 * MIB,
} as const;

export type ItemSizeLimitName = keyof typeof ITEM_SIZE_LIMITS;

const SIZE_LIMIT_BY_ITEM_TYPE = new Map<string, ItemSizeLimitName>([
  ['event', 'event'],
  ['transaction', 'transaction'],
  ['attachment', 'attachment'],
  ['check_in', 'check_in'],
  ['client_report', 'client_report'],
  ['log', 'log'],
  ['span', 'span'],
  ['profile', 'profile'],
  ['profile_chunk', 'profile'],
  ['replay_event', 'replay'],
  ['replay_recording', 'replay'],
  ['replay_video', 'replay'],
]);

// Relay `DataCategory` names. `profile_chunk` and its Android alias `profile_chunk_ui` map to
// `profile` as in the JavaScript SDK, while Relay counts them as `profile_chunk(_ui)`.
const DATA_CATEGORY_BY_ITEM_TYPE = new Map<string, string>([
  ['event', 'error'],
  ['transaction', 'transaction'],
  ['attachment', 'attachment'],
  ['session', 'session'],
  ['sessions', 'session'],
  ['client_report', 'internal'],
  ['user_report', 'default'],
  ['feedback', 'feedback'],
  ['profile', 'profile'],
  ['profile_chunk', 'profile'],
  ['profile_chunk_ui', 'profile'],
  ['replay_event', 'replay'],
  ['replay_recording', 'replay'],
  ['replay_video', 'replay'],
  ['check_in', 'monitor'],
  ['span', 'span'],
  ['log', 'log_item'],
  ['otel_log', 'log_item'],
  ['trace_metric', 'trace_metric'],
  ['raw_security', 'security'],
  ['nel', 'security'],
  ['statsd', 'metric_bucket'],
  ['metric_meta', 'metric_bucket'],
]);

/** Returns the rate-limit data category of an envelope item type, or `unknown`. */
export function dataCategoryOf(itemType: string): string {
  return DATA_CATEGORY_BY_ITEM_TYPE.get(itemType) ?? 'unknown';
}

/** Returns the maximum payload size in bytes for an envelope item type. */
export function itemSizeLimit(type: string): number {
  return ITEM_SIZE_LIMITS[SIZE_LIMIT_BY_ITEM_TYPE.get(type) ?? 'default'];
}
