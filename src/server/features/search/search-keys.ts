/**
 * Keys whose values the search parser reads as something other than text. Sentry types its
 * keys the same way, so `firstSeen:-2w` is a relative date while `random:-2w` is text.
 */

/** Date keys: they take ISO 8601 dates with an optional operator, or relative times. */
export const DATE_KEYS = new Set([
  'firstSeen',
  'first_seen',
  'lastSeen',
  'last_seen',
  'age',
  'timestamp',
  'event.timestamp',
]);

/** Numeric keys: they take numbers with an optional operator and `k`/`m`/`b` suffix. */
export const NUMERIC_KEYS = new Set([
  'times_seen',
  'timesSeen',
  'user.count',
  'userCount',
  'users',
  'stack.lineno',
  'stack.colno',
  'stack.stack_level',
]);

/** Duration keys: they take a number and a unit (`500ms`, `2s`, `1h`). */
export const DURATION_KEYS = new Set([
  'transaction.duration',
  'span.duration',
  'span.self_time',
  'exclusive_time',
]);

/** Size keys: they take a number and a unit of bytes (`10kb`, `2mib`). */
export const SIZE_KEYS = new Set(['measurements.size', 'http.response_content_length']);

/** Boolean keys: `true`, `false`, `1` or `0` (any case) make a boolean filter. */
export const BOOLEAN_KEYS = new Set([
  'stack.in_app',
  'error.handled',
  'error.unhandled',
  'error.mechanism.handled',
  'error.main_thread',
  'is_application',
]);
