/**
 * Formats a crash-free rate (a percentage from 0 to 100) as Sentry's release list does: up to
 * three decimals, without rounding a rate below 100 up to "100%". Null, for a release without
 * sessions or users, reads as a dash.
 */
export function formatCrashFreeRate(rate: number | null): string {
  if (rate === null) {
    return '—';
  }
  if (rate >= 100) {
    return '100%';
  }

  const truncated = Math.floor(rate * 1000) / 1000;
  return `${truncated.toLocaleString('en', { maximumFractionDigits: 3 })}%`;
}

/** Returns the class that colours a crash-free rate: green from 99.5%, amber from 95%, else red. */
export function crashFreeClassName(rate: number | null): string {
  if (rate === null) {
    return 'health-rate';
  }
  if (rate >= 99.5) {
    return 'health-rate health-rate-good';
  }
  return rate >= 95 ? 'health-rate health-rate-fair' : 'health-rate health-rate-poor';
}
