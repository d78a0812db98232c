import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import { AuthError, ValidationError } from '../../platform/errors.js';
import type { AccountRepository } from './account-repository.js';
import { verifyPassword } from './passwords.js';
import { CSRF_COOKIE, SESSION_COOKIE, requireAuth } from './request-auth.js';
import { hashSecret, randomHex } from './secrets.js';

const SESSION_LIFETIME_MS = 14 * 24 * 3600 * 1000;

const loginSchema = z.object({
  email: z.string().min(1).max(320),
  password: z.string().min(1).max(1024),
});

export interface AuthRoutesOptions {
  accounts: AccountRepository;
  secureCookies: boolean;
}

function serializeUser(user: { id: number; email: string; name: string; isSuperuser: number }) {
  return {
    id: String(user.id),
    email: user.email,
    name: user.name,
    username: user.email,
    isSuperuser: user.isSuperuser === 1,
  };
}

/** Login, logout and "who am I" for the web UI. */
export function registerAuthRoutes(app: FastifyInstance, options: AuthRoutesOptions): void {
  const { accounts, secureCookies } = options;
  const cookieBase = { path: '/', sameSite: 'lax', secure: secureCookies } as const;

  app.post('/api/0/auth/login/', async (request, reply) => {
    const parsed = loginSchema.safeParse(request.body);
    if (!parsed.success) {
      throw new ValidationError('Send a JSON body with "email" and "password"');
    }

    const user = await accounts.findUserByEmail(parsed.data.email.trim());
    const valid = await verifyPassword(user?.passwordHash, parsed.data.password);
    if (user === undefined || !valid) {
      request.log.info({ event: 'login_failed' }, 'login failed');
      throw new AuthError(401, 'Invalid e-mail or password');
    }

    if (request.auth?.sessionIdHash !== undefined) {
      await accounts.deleteSession(request.auth.sessionIdHash);
    }

    const sessionId = randomHex(32);
    const csrfToken = randomHex(16);
    const expiresAt = Date.now() + SESSION_LIFETIME_MS;
    await accounts.createSession({
      idHash: hashSecret(sessionId),
      userId: user.id,
      csrfToken,
      expiresAt,
    });
    request.log.info({ userId: user.id }, 'login succeeded');

    const maxAge = SESSION_LIFETIME_MS / 1000;
    return reply
      .setCookie(SESSION_COOKIE, sessionId, { ...cookieBase, httpOnly: true, maxAge })
      .setCookie(CSRF_COOKIE, csrfToken, { ...cookieBase, httpOnly: false, maxAge })
      .send({ user: serializeUser(user) });
  });

  app.post('/api/0/auth/logout/', async (request, reply) => {
    const auth = requireAuth(request);
    if (auth.sessionIdHash !== undefined) {
      await accounts.deleteSession(auth.sessionIdHash);
    }
    return reply
      .clearCookie(SESSION_COOKIE, cookieBase)
      .clearCookie(CSRF_COOKIE, cookieBase)
      .status(204)
      .send();
  });

  app.get('/api/0/auth/', (request) => {
    const auth = requireAuth(request);
    return { user: serializeUser(auth.user) };
  });

  app.get('/api/0/', (request) => {
    const auth = request.auth;
    if (auth === undefined) {
      return { version: '0', auth: null, user: null };
    }
    const scopes = auth.tokenScopes === undefined ? [] : [...auth.tokenScopes];
    return { version: '0', auth: { scopes }, user: serializeUser(auth.user) };
  });
}
