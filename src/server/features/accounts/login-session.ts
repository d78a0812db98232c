import type { FastifyReply, FastifyRequest } from 'fastify';

import type { AccountRepository } from './account-repository.js';
import { hashSecret, randomHex } from './secrets.js';

/** Session cookie on plain http, where the `__Host-` prefix is not allowed. */
export const SESSION_COOKIE = 'picket_session';
/** Session cookie with `Secure`: the prefix makes browsers refuse it without Secure, Path=/ or with a Domain. */
export const SECURE_SESSION_COOKIE = '__Host-picket_session';
export const CSRF_COOKIE = 'picket_csrf';

/** A session waiting for its second factor ends this soon, whatever the timeouts. */
const PENDING_LIFETIME_MS = 10 * 60_000;
const MAX_USER_AGENT = 512;

/** Session settings: cookie flags and the two timeouts. */
export interface SessionSettings {
  secureCookies: boolean;
  /** A session unused for this long ends (`PICKET_SESSION_IDLE_MINUTES`). */
  idleMs: number;
  /** A session ends this long after login, used or not (`PICKET_SESSION_MAX_DAYS`). */
  maxAgeMs: number;
}

/** Returns the session cookie name for the cookie settings. */
export function sessionCookieName(settings: Pick<SessionSettings, 'secureCookies'>): string {
  return settings.secureCookies ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

/**
 * Tells whether a session has ended: past its stored end, past the absolute timeout counted
 * from login, or unused for longer than the idle timeout.
 */
export function isSessionExpired(
  session: { createdAt: number; expiresAt: number; lastSeenAt: number },
  settings: Pick<SessionSettings, 'idleMs' | 'maxAgeMs'>,
  now: number,
): boolean {
  return (
    session.expiresAt <= now ||
    session.createdAt + settings.maxAgeMs <= now ||
    session.lastSeenAt + settings.idleMs <= now
  );
}

export interface OpenSessionOptions {
  userId: number;
  /** `password` opens a session that only reaches the second login step. */
  authLevel: 'password' | 'complete';
  /** When the password or a factor was last entered; defaults to now. */
  lastAuthAt?: number | null;
  /** Login time of the session being replaced, so rotation does not extend the absolute timeout. */
  createdAt?: number;
}

/**
 * Opens a session with a fresh random id (256 bits, stored as its SHA-256) and CSRF token, and
 * sets both cookies on the reply. Callers delete the session it replaces, so a session id
 * never survives a login step or a change of password or factors.
 */
export async function openSession(
  accounts: AccountRepository,
  settings: SessionSettings,
  request: FastifyRequest,
  reply: FastifyReply,
  options: OpenSessionOptions,
): Promise<void> {
  const now = Date.now();
  const sessionId = randomHex(32);
  const csrfToken = randomHex(16);
  const createdAt = options.createdAt ?? now;
  const expiresAt =
    options.authLevel === 'password' ? now + PENDING_LIFETIME_MS : createdAt + settings.maxAgeMs;
  const userAgent = request.headers['user-agent'];

  await accounts.createSession({
    idHash: hashSecret(sessionId),
    userId: options.userId,
    csrfToken,
    createdAt,
    expiresAt,
    authLevel: options.authLevel,
    lastAuthAt: options.lastAuthAt === undefined ? now : options.lastAuthAt,
    ipAddress: request.ip,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, MAX_USER_AGENT) : null,
  });

  const maxAge = Math.max(1, Math.floor((expiresAt - now) / 1000));
  const base = { path: '/', sameSite: 'lax', secure: settings.secureCookies, maxAge } as const;
  reply
    .setCookie(sessionCookieName(settings), sessionId, { ...base, httpOnly: true })
    .setCookie(CSRF_COOKIE, csrfToken, { ...base, httpOnly: false });
}

/** Removes the session and CSRF cookies from the browser. */
export function clearSessionCookies(settings: SessionSettings, reply: FastifyReply): void {
  const base = { path: '/', sameSite: 'lax', secure: settings.secureCookies } as const;
  reply.clearCookie(sessionCookieName(settings), base).clearCookie(CSRF_COOKIE, base);
}
