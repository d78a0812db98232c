import type { RateLimitSetting } from './quotas.js';
import type { KeyControls } from './rate-limiter.js';

/** Maximum rate-limit window in seconds: one day, as in Sentry's key API. */
export const MAX_RATE_LIMIT_WINDOW = 86_400;
export const DEFAULT_ALLOWED_DOMAINS: readonly string[] = ['*'];

/** The columns of a key row joined with its project's ingest settings. */
export interface StoredKeyControls {
  id: number;
  projectId: number;
  rateLimitCount: number | null;
  rateLimitWindow: number | null;
  allowedDomains: string;
  projectRateLimitCount: number | null;
  projectRateLimitWindow: number | null;
  /** Null when the project has no settings row: spike protection is then on. */
  spikeProtection: number | null;
}

/**
 * Returns the rate limit stored in a count and window column pair, or null when either is
 * unset or zero: as in Sentry, a zero count or window means no limit.
 */
export function toRateLimitSetting(
  count: number | null,
  window: number | null,
): RateLimitSetting | null {
  if (count === null || window === null || count <= 0 || window <= 0) {
    return null;
  }
  return { count: Number(count), window: Number(window) };
}

/** Reads the `allowed_domains` column, a JSON array of patterns; anything else allows all. */
export function readAllowedDomains(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value) && value.every((entry) => typeof entry === 'string')) {
      return value;
    }
  } catch {
    // Only Picket writes this column, always as JSON; a hand-edited value falls through.
  }
  return [...DEFAULT_ALLOWED_DOMAINS];
}

/** Builds a key's ingest settings from its stored row. */
export function parseStoredKeyControls(row: StoredKeyControls): KeyControls {
  return {
    keyId: Number(row.id),
    projectId: Number(row.projectId),
    rateLimit: toRateLimitSetting(row.rateLimitCount, row.rateLimitWindow),
    allowedDomains: readAllowedDomains(row.allowedDomains),
    projectRateLimit: toRateLimitSetting(row.projectRateLimitCount, row.projectRateLimitWindow),
    spikeProtection: row.spikeProtection !== 0,
  };
}
