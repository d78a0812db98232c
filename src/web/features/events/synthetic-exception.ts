import type { ExceptionEntry, ExceptionValue } from '../../../shared/api/events';

/**
 * Checks whether an exception only carries a stack trace. SDKs invent such exceptions for
 * messages: @sentry/node's `captureMessage` with `attachStacktrace` sends one marked
 * `mechanism.synthetic`, and other SDKs send one without a type. Its type is then not real.
 */
export function isSyntheticException(value: ExceptionValue): boolean {
  return value.mechanism?.synthetic === true || value.type == null || value.type === '';
}

/**
 * Checks whether every exception of the entry is synthetic, so that the entry is shown as a
 * "Stack Trace" section instead of an "Exception" section, as Sentry does.
 */
export function isStackTraceOnly(entry: ExceptionEntry): boolean {
  return entry.data.values.length > 0 && entry.data.values.every(isSyntheticException);
}
