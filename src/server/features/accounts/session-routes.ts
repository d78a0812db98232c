import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import { AuthError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { recordAudit } from '../audit/index.js';
import type { SessionRecord } from './account-repository.js';
import { restartSessions, type AccountContext } from './login-completion.js';
import { clearSessionCookies } from './login-session.js';
import { countLoginAttempt } from './login-throttle.js';
import {
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  hashPassword,
  verifyPassword,
} from './passwords.js';
import { hashSecret } from './secrets.js';
import { requireSession } from './sudo.js';

const passwordChangeSchema = z.object({
  currentPassword: z.string().min(1).max(MAX_PASSWORD_LENGTH),
  newPassword: z.string(),
});
const sessionParamsSchema = z.object({ id: z.string().regex(/^[0-9a-f]{24}$/) });

/**
 * Derives the public id of a session from its stored hash, so that the session list shows
 * neither the cookie value nor the key the session is looked up by.
 */
function publicSessionId(idHash: string): string {
  return hashSecret(`session:${idHash}`).slice(0, 24);
}

function serializeSession(session: SessionRecord, currentIdHash: string) {
  return {
    id: publicSessionId(session.idHash),
    dateCreated: new Date(session.createdAt).toISOString(),
    lastSeen: new Date(session.lastSeenAt).toISOString(),
    expires: new Date(session.expiresAt).toISOString(),
    ipAddress: session.ipAddress,
    userAgent: session.userAgent,
    current: session.idHash === currentIdHash,
  };
}

/** Registers the current user's session routes (list, revoke, log out everywhere) and password change. */
export function registerSessionRoutes(app: FastifyInstance, context: AccountContext): void {
  const { accounts } = context;

  app.get('/api/0/users/me/sessions/', async (request) => {
    const auth = requireSession(request);
    const sessions = await accounts.listSessions(auth.user.id);
    return sessions
      .filter((session) => session.authLevel === 'complete')
      .map((session) => serializeSession(session, auth.sessionIdHash));
  });

  app.delete('/api/0/users/me/sessions/', async (request, reply) => {
    const auth = requireSession(request);
    await accounts.deleteUserSessions(auth.user.id);
    await recordAudit(context.db, request, {
      organizationId: null,
      event: 'user.logout-everywhere',
      targetType: 'user',
      targetId: auth.user.id,
    });
    clearSessionCookies(context.sessions, reply);
    return reply.status(204).send();
  });

  app.delete('/api/0/users/me/sessions/:id/', async (request, reply) => {
    const auth = requireSession(request);
    const params = sessionParamsSchema.safeParse(request.params);
    const sessions = await accounts.listSessions(auth.user.id);
    const session = params.success
      ? sessions.find((candidate) => publicSessionId(candidate.idHash) === params.data.id)
      : undefined;

    if (session === undefined) {
      throw new NotFoundError('Session not found');
    }

    await accounts.deleteSession(session.idHash);
    await recordAudit(context.db, request, {
      organizationId: null,
      event: 'user.logout',
      targetType: 'session',
      targetId: publicSessionId(session.idHash),
    });
    if (session.idHash === auth.sessionIdHash) {
      clearSessionCookies(context.sessions, reply);
    }
    return reply.status(204).send();
  });

  app.put('/api/0/users/me/password/', async (request, reply) => {
    const auth = requireSession(request);
    const parsed = passwordChangeSchema.safeParse(request.body);
    if (!parsed.success) {
      throw new ValidationError('Send {"currentPassword": "...", "newPassword": "..."}');
    }

    const { currentPassword, newPassword } = parsed.data;
    if (newPassword.length < MIN_PASSWORD_LENGTH || newPassword.length > MAX_PASSWORD_LENGTH) {
      throw new ValidationError(
        `The new password must have ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`,
        { newPassword: ['Invalid length'] },
      );
    }

    // The current password is guessed through this route at the login rate at most.
    await countLoginAttempt(context.throttle, request.ip, auth.user.email);
    if (!(await verifyPassword(auth.user.passwordHash, currentPassword))) {
      // 403, not 401: the session stays valid, and clients read 401 as "logged out".
      throw new AuthError(403, 'The current password is incorrect');
    }

    await accounts.updatePassword(
      auth.user.id,
      await hashPassword(newPassword),
      auth.sessionIdHash,
    );
    await accounts.markSessionAuthenticated(auth.sessionIdHash, Date.now());
    await restartSessions(context, request, reply, {
      userId: auth.user.id,
      sessionIdHash: auth.sessionIdHash,
    });
    await recordAudit(context.db, request, {
      organizationId: null,
      event: 'user.password-change',
      targetType: 'user',
      targetId: auth.user.id,
    });
    return reply.status(204).send();
  });
}
