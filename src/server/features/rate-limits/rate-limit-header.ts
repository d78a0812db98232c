import type { RateLimit } from './quotas.js';

/**
 * Formats the `X-Sentry-Rate-Limits` header value: limits separated by `, `, each
 * `retry_after:categories:scope:reason_code` with categories joined by `;`, as Relay writes
 * it. An empty category list would mean every category.
 * See https://develop.sentry.dev/sdk/expected-features/rate-limiting/
 *
 * @example formatRateLimits([{ retryAfterSeconds: 42, categories: ['error'], scope: 'key', reason: 'key_quota' }])
 * // '42:error:key:key_quota'
 */
export function formatRateLimits(limits: readonly RateLimit[]): string {
  return limits
    .map(
      (limit) =>
        `${limit.retryAfterSeconds}:${limit.categories.join(';')}:${limit.scope}:${limit.reason}`,
    )
    .join(', ');
}

/** Returns the `Retry-After` value in integer seconds: the longest of the limits. */
export function retryAfterSeconds(limits: readonly RateLimit[]): number {
  return Math.max(1, ...limits.map((limit) => Math.ceil(limit.retryAfterSeconds)));
}

/**
 * Merges limits with the same scope, reason and categories, keeping the longest, so that a
 * header names each limit once.
 */
export function mergeRateLimits(limits: readonly RateLimit[]): RateLimit[] {
  const merged = new Map<string, RateLimit>();

  for (const limit of limits) {
    const key = `${limit.scope}|${limit.reason}|${limit.categories.join(';')}`;
    const existing = merged.get(key);
    if (existing === undefined || existing.retryAfterSeconds < limit.retryAfterSeconds) {
      merged.set(key, limit);
    }
  }

  return [...merged.values()];
}
