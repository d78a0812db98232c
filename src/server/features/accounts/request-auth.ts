import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';

import { AuthError } from '../../platform/errors.js';
import type { AccountRepository, SessionRecord, UserRecord } from './account-repository.js';
import {
  CSRF_COOKIE,
  SESSION_COOKIE,
  isSessionExpired,
  sessionCookieName,
  type SessionSettings,
} from './login-session.js';
import { hashSecret, safeEqual } from './secrets.js';

export { CSRF_COOKIE, SESSION_COOKIE };
export const CSRF_HEADER = 'x-csrf-token';

/** Caller of a web API request and the credential it used. */
export interface RequestAuth {
  user: UserRecord;
  via: 'session' | 'token';
  /** Scopes of the API token; undefined for sessions, which get their role's scopes. */
  tokenScopes: ReadonlySet<string> | undefined;
  sessionIdHash: string | undefined;
  /** Id of the API token used, for the audit log. */
  tokenId?: number;
  /**
   * Organization of an organization token (`sntrys_`), which acts only there and with its own
   * scopes, whatever its creator's role.
   */
  tokenOrganizationId?: number;
  /** For sessions: when the password or a second factor was last entered in this session. */
  lastAuthAt?: number | null;
  /** Whether the user has a second factor; queried on the first call only. */
  hasTwoFactor: () => Promise<boolean>;
}

/**
 * A session whose password step is done but whose second factor is still due. It reaches only
 * the second-step routes and logout: `request.auth` stays undefined for it.
 */
export interface PendingLogin {
  user: UserRecord;
  session: SessionRecord;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth | undefined;
    pendingLogin: PendingLogin | undefined;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SESSION_TOUCH_INTERVAL_MS = 60_000;
const TOKEN_TOUCH_INTERVAL_MS = 60_000;

/**
 * Resolves the caller of every `/api/0/` request from a bearer token or a session cookie.
 * Session requests that change state must carry the CSRF token in `X-CSRF-Token`. An ended
 * session (idle or absolute timeout) is deleted and the request goes on unauthenticated.
 */
export function registerRequestAuth(
  app: FastifyInstance,
  accounts: AccountRepository,
  settings: SessionSettings,
): void {
  const cookieName = sessionCookieName(settings);
  app.decorateRequest('auth', undefined);
  app.decorateRequest('pendingLogin', undefined);

  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/0/')) {
      return;
    }

    const authorization = request.headers.authorization;
    if (authorization !== undefined && /^bearer /i.test(authorization)) {
      request.auth = await authenticateToken(accounts, authorization.slice(7).trim());
      return;
    }

    const sessionId = request.cookies[cookieName];
    if (sessionId !== undefined && sessionId !== '') {
      await authenticateSession(accounts, settings, request, sessionId);
    }
  });
}

async function authenticateToken(accounts: AccountRepository, token: string) {
  const record = await accounts.findToken(hashSecret(token));

  if (record === undefined || (record.expiresAt !== null && record.expiresAt < Date.now())) {
    throw new AuthError(401, 'Invalid or expired API token');
  }

  const user = await accounts.findUserById(record.userId);
  if (user === undefined || user.isActive !== 1) {
    throw new AuthError(401, 'Invalid or expired API token');
  }

  const now = Date.now();
  if (record.lastUsedAt === null || now - record.lastUsedAt > TOKEN_TOUCH_INTERVAL_MS) {
    await accounts.touchToken(record.id, now);
  }

  const scopes = new Set(record.scopes.split(' ').filter((scope) => scope !== ''));
  const auth: RequestAuth = {
    user,
    via: 'token',
    tokenScopes: scopes,
    sessionIdHash: undefined,
    tokenId: record.id,
    hasTwoFactor: memoize(() => accounts.hasTwoFactor(user.id)),
  };
  if (record.kind === 'org' && record.organizationId !== null) {
    auth.tokenOrganizationId = record.organizationId;
  }
  return auth;
}

async function authenticateSession(
  accounts: AccountRepository,
  settings: SessionSettings,
  request: FastifyRequest,
  sessionId: string,
): Promise<void> {
  const idHash = hashSecret(sessionId);
  const session = await accounts.findSession(idHash);
  const now = Date.now();

  if (session === undefined) {
    return;
  }

  if (isSessionExpired(session, settings, now)) {
    await accounts.deleteSession(idHash);
    return;
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
  if (user === undefined || user.isActive !== 1) {
    return;
  }

  if (now - session.lastSeenAt > SESSION_TOUCH_INTERVAL_MS) {
    await accounts.touchSession(idHash, now);
  }

  if (session.authLevel !== 'complete') {
    request.pendingLogin = { user, session };
    return;
  }

  request.auth = {
    user,
    via: 'session',
    tokenScopes: undefined,
    sessionIdHash: idHash,
    lastAuthAt: session.lastAuthAt,
    hasTwoFactor: memoize(() => accounts.hasTwoFactor(user.id)),
  };
}

function memoize<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= load());
}

/**
 * Returns the caller or rejects the request.
 * @throws AuthError 401 when the request carries no valid credential.
 */
export function requireAuth(request: FastifyRequest): RequestAuth {
  if (request.auth !== undefined) {
    return request.auth;
  }

  if (request.pendingLogin !== undefined) {
    throw new AuthError(401, 'Finish logging in: enter the code of your second factor first');
  }
  throw new AuthError(401, 'Authentication credentials were not provided');
}
