import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';

import { AuthError } from '../../platform/errors.js';
import type { AccountRepository, UserRecord } from './account-repository.js';
import { hashSecret, safeEqual } from './secrets.js';

export const SESSION_COOKIE = 'picket_session';
export const CSRF_COOKIE = 'picket_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** Caller of a web API request and the credential it used. */
export interface RequestAuth {
  user: UserRecord;
  via: 'session' | 'token';
  /** Scopes of the API token; undefined for sessions, which get their role's scopes. */
  tokenScopes: ReadonlySet<string> | undefined;
  sessionIdHash: string | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth | undefined;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SESSION_TOUCH_INTERVAL_MS = 60_000;

/**
 * Resolves the caller of every `/api/0/` request from a bearer token or a session cookie.
 * Session requests that change state must carry the CSRF token in `X-CSRF-Token`.
 */
export function registerRequestAuth(app: FastifyInstance, accounts: AccountRepository): void {
  app.decorateRequest('auth', undefined);

  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/0/')) {
      return;
    }

    const authorization = request.headers.authorization;
    if (authorization !== undefined && /^bearer /i.test(authorization)) {
      request.auth = await authenticateToken(accounts, authorization.slice(7).trim());
      return;
    }

    const sessionId = request.cookies[SESSION_COOKIE];
    if (sessionId !== undefined && sessionId !== '') {
      request.auth = await authenticateSession(accounts, request, sessionId);
    }
  });
}

async function authenticateToken(accounts: AccountRepository, token: string) {
  const record = await accounts.findToken(hashSecret(token));

  if (record === undefined || (record.expiresAt !== null && record.expiresAt < Date.now())) {
    throw new AuthError(401, 'Invalid or expired API token');
  }

  const user = await accounts.findUserById(record.userId);
  if (user === undefined) {
    throw new AuthError(401, 'Invalid or expired API token');
  }

  const scopes = new Set(record.scopes.split(' ').filter((scope) => scope !== ''));
  return { user, via: 'token', tokenScopes: scopes, sessionIdHash: undefined } as const;
}

async function authenticateSession(
  accounts: AccountRepository,
  request: FastifyRequest,
  sessionId: string,
): Promise<RequestAuth | undefined> {
  const idHash = hashSecret(sessionId);
  const session = await accounts.findSession(idHash);
  const now = Date.now();

  if (session === undefined || session.expiresAt < now) {
    return undefined;
  }

  if (!SAFE_METHODS.has(request.method)) {
    const header = request.headers[CSRF_HEADER];
    if (typeof header !== 'string' || !safeEqual(header, session.csrfToken)) {
      throw new AuthError(
        403,
        'CSRF token missing or incorrect: send the picket_csrf cookie value in X-CSRF-Token',
      );
    }
  }

  const user = await accounts.findUserById(session.userId);
  if (user === undefined) {
    return undefined;
  }

  if (now - session.lastSeenAt > SESSION_TOUCH_INTERVAL_MS) {
    await accounts.touchSession(idHash, now);
  }

  return { user, via: 'session', tokenScopes: undefined, sessionIdHash: idHash };
}

/**
 * Returns the caller or rejects the request.
 * @throws AuthError 401 when the request carries no valid credential.
 */
export function requireAuth(request: FastifyRequest): RequestAuth {
  if (request.auth === undefined) {
    throw new AuthError(401, 'Authentication credentials were not provided');
  }
  return request.auth;
}
