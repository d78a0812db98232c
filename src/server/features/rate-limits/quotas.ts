/**
 * Quotas that ingest enforces and the rate limits they produce, in Relay's terms: a quota
 * counts the items of some data categories per fixed time window, and a rate limit is what a
 * client receives once a quota rejected data.
 */

/**
 * Data categories that a key or project rate limit covers. Sentry's key and project quotas use
 * `DataCategory.error_categories()`: `default`, `error` and `security`, not transactions.
 */
export const ERROR_CATEGORIES = ['default', 'error', 'security'] as const;

/** Reason codes sent in `X-Sentry-Rate-Limits` and stored as `rate_limited` outcome reasons. */
export type QuotaReason = 'key_quota' | 'project_quota' | 'spike_protection';

/** Informational scope of a rate limit, as Relay names it. */
export type QuotaScope = 'key' | 'project';

/** A limit of `count` items per `window` seconds, as Sentry's key API writes it. */
export interface RateLimitSetting {
  window: number;
  count: number;
}

export interface Quota {
  /** Name of the counter in the counter store, unique per scope and categories. */
  counter: string;
  categories: readonly string[];
  scope: QuotaScope;
  reason: QuotaReason;
  limit: number;
  windowSeconds: number;
  /**
   * Shift of the window boundaries in seconds. Sentry shifts each quota's windows by its
   * scope id modulo the window, so that windows of different keys do not all end together.
   */
  offsetSeconds: number;
  /** Whether the counter keeps per-minute totals, which spike protection reads. */
  keepHistory?: boolean;
}

/** A limit in force, as announced to clients. */
export interface RateLimit {
  retryAfterSeconds: number;
  categories: readonly string[];
  scope: QuotaScope;
  reason: QuotaReason;
}

/** Returns the key quota for a key's rate limit setting, or undefined when it has none. */
export function createKeyQuota(keyId: number, setting: RateLimitSetting | null): Quota | undefined {
  if (setting === null) {
    return undefined;
  }

  return {
    counter: `key:${keyId}`,
    categories: ERROR_CATEGORIES,
    scope: 'key',
    reason: 'key_quota',
    limit: setting.count,
    windowSeconds: setting.window,
    offsetSeconds: keyId % setting.window,
  };
}

/** Returns the project quota for a project's rate limit setting, or undefined without one. */
export function createProjectQuota(
  projectId: number,
  setting: RateLimitSetting | null,
): Quota | undefined {
  if (setting === null) {
    return undefined;
  }

  return {
    counter: `project:${projectId}`,
    categories: ERROR_CATEGORIES,
    scope: 'project',
    reason: 'project_quota',
    limit: setting.count,
    windowSeconds: setting.window,
    offsetSeconds: projectId % setting.window,
  };
}

/** Returns the start of the quota's window that contains `nowMs`, in milliseconds. */
export function windowStart(quota: Pick<Quota, 'windowSeconds' | 'offsetSeconds'>, nowMs: number) {
  const windowMs = quota.windowSeconds * 1000;
  const offsetMs = quota.offsetSeconds * 1000;
  return Math.floor((nowMs - offsetMs) / windowMs) * windowMs + offsetMs;
}

/** Builds the rate limit that a quota imposes until the end of its current window. */
export function toRateLimit(quota: Quota, nowMs: number): RateLimit {
  const endMs = windowStart(quota, nowMs) + quota.windowSeconds * 1000;
  return {
    retryAfterSeconds: Math.max(1, Math.ceil((endMs - nowMs) / 1000)),
    categories: quota.categories,
    scope: quota.scope,
    reason: quota.reason,
  };
}
