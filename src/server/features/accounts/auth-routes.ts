import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import { AuthError, ValidationError } from '../../platform/errors.js';
import { recordAudit } from '../audit/index.js';
import { completeLogin, serializeUser, type AccountContext } from './login-completion.js';
import { clearSessionCookies, openSession } from './login-session.js';
import { countLoginAttempt } from './login-throttle.js';
import { verifyPassword } from './passwords.js';
import { requireAuth } from './request-auth.js';
import { listMethods } from './second-factor.js';

const MAX_ACTOR_LABEL = 200;

const loginSchema = z.object({
  email: z.string().min(1).max(320),
  password: z.string().min(1).max(1024),
});

/**
 * Login, logout and "who am I" for the web UI. A user with a second factor gets a session that
 * reaches only the second step (see `two-factor-login-routes.ts`) until a factor is verified.
 */
export function registerAuthRoutes(app: FastifyInstance, context: AccountContext): void {
  const { accounts } = context;

  app.post('/api/0/auth/login/', async (request, reply) => {
    const parsed = loginSchema.safeParse(request.body);
    if (!parsed.success) {
      throw new ValidationError('Send a JSON body with "email" and "password"');
    }

    const email = parsed.data.email.trim();
    await countLoginAttempt(context.throttle, request.ip, email);
    const user = await accounts.findUserByEmail(email);
    const valid = await verifyPassword(user?.passwordHash, parsed.data.password);

    // A deactivated user gets the same response as a wrong password, so it reveals nothing.
    if (user === undefined || !valid || user.isActive !== 1) {
      request.log.info({ event: 'login_failed' }, 'login failed');
      await recordAudit(context.db, request, {
        organizationId: null,
        event: 'user.login-failed',
        actor: { userId: null, label: email.slice(0, MAX_ACTOR_LABEL) },
        data: { step: 'password' },
      });
      throw new AuthError(401, 'Invalid e-mail or password');
    }

    const previous = request.auth?.sessionIdHash ?? request.pendingLogin?.session.idHash;
    if (previous !== undefined) {
      await accounts.deleteSession(previous);
    }

    const authenticators = await context.authenticators.list(user.id);
    if (authenticators.length === 0) {
      await completeLogin(context, request, reply, { user, method: 'password' });
      return reply.send({ user: serializeUser(user) });
    }

    const recoveryCodes = await context.authenticators.summarizeRecoveryCodes(user.id);
    await openSession(accounts, context.sessions, request, reply, {
      userId: user.id,
      authLevel: 'password',
    });
    request.log.info({ userId: user.id }, 'login needs a second factor');
    return reply.send({
      twoFactorRequired: true,
      methods: listMethods(authenticators, recoveryCodes.remaining),
    });
  });

  app.post('/api/0/auth/logout/', async (request, reply) => {
    const idHash = request.auth?.sessionIdHash ?? request.pendingLogin?.session.idHash;
    if (request.pendingLogin === undefined) {
      requireAuth(request);
    }

    if (idHash !== undefined) {
      await accounts.deleteSession(idHash);
      await recordAudit(context.db, request, {
        organizationId: null,
        event: 'user.logout',
        ...(request.pendingLogin === undefined
          ? {}
          : {
              actor: {
                userId: request.pendingLogin.user.id,
                label: request.pendingLogin.user.email,
              },
            }),
      });
    }

    clearSessionCookies(context.sessions, reply);
    return reply.status(204).send();
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
