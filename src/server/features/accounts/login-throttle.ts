import { AppError } from '../../platform/errors.js';
import type { AuthThrottle, ThrottleResult, ThrottleRule } from './auth-throttle.js';

/**
 * Limits of password and second-step attempts. Sentry's `auth.ip-rate-limit` and
 * `auth.user-rate-limit` are off by default; these are the values self-hosted guides set, on.
 */
export const LOGIN_LIMITS = {
  /** Login and re-authentication attempts per client IP address per minute. */
  perIp: { limit: 10, windowMs: 60_000 },
  /** Login attempts per e-mail address per minute, whether or not the account exists. */
  perAccount: { limit: 5, windowMs: 60_000 },
  /** Wrong second-step codes per session per 5 minutes; the session ends at the limit. */
  secondStepPerSession: { limit: 5, windowMs: 5 * 60_000 },
  /** Wrong second-step codes per user per hour, across sessions. */
  secondStepPerUser: { limit: 20, windowMs: 60 * 60_000 },
} as const;

const TOO_MANY_ATTEMPTS = 'Too many login attempts: wait before trying again';

/** Returns the throttle rule of a limit for one key. */
export function ruleFor(limit: keyof typeof LOGIN_LIMITS, subject: string): ThrottleRule {
  return { key: `${limit}:${subject}`, ...LOGIN_LIMITS[limit] };
}

/** Builds the 429 error of a rejected attempt; its body never depends on the account. */
export function tooManyAttempts(results: readonly ThrottleResult[]): AppError {
  const retryAfter = Math.max(
    1,
    ...results.filter((result) => !result.allowed).map((result) => result.retryAfterSeconds),
  );
  return new AppError(429, 'rate_limited', TOO_MANY_ATTEMPTS, {
    headers: { 'Retry-After': String(retryAfter) },
  });
}

/**
 * Counts a login attempt for the client's IP address and for the e-mail address as typed
 * (normalized), before the password is checked.
 * @throws AppError 429 `rate_limited` with `Retry-After` when either limit is passed.
 */
export async function countLoginAttempt(throttle: AuthThrottle, ip: string, email: string) {
  const results = [
    await throttle.hit(ruleFor('perIp', ip)),
    await throttle.hit(ruleFor('perAccount', email.trim().toLowerCase())),
  ];

  if (results.some((result) => !result.allowed)) {
    throw tooManyAttempts(results);
  }
}
