const MINUTE_MS = 60_000;

/**
 * Formats a duration in milliseconds for span and transaction lists: "0.42 ms", "12.35 ms",
 * "1.20 s", "2.5 min". Sub-millisecond spans keep two decimals, because SDKs time spans in
 * microseconds.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) {
    return '—';
  }

  if (ms < 1000) {
    return `${ms.toFixed(2)} ms`;
  }

  if (ms < MINUTE_MS) {
    return `${(ms / 1000).toFixed(2)} s`;
  }

  return `${(ms / MINUTE_MS).toFixed(1)} min`;
}
