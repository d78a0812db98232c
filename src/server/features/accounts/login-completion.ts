import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';

import type { SecretBox } from '../../platform/crypto/secret-box.js';
import type { Database } from '../../platform/db/index.js';
import { recordAudit } from '../audit/index.js';
import type { AccountRepository, UserRecord } from './account-repository.js';
import { AuthenticatorRepository } from './authenticator-repository.js';
import { AuthThrottle } from './auth-throttle.js';
import { openSession, type SessionSettings } from './login-session.js';
import type { SecondFactorMethod } from './second-factor.js';

/** Dependencies that the account routes share: storage, the secret box and the session settings. */
export interface AccountContext {
  db: Kysely<Database>;
  accounts: AccountRepository;
  authenticators: AuthenticatorRepository;
  throttle: AuthThrottle;
  secrets: SecretBox;
  sessions: SessionSettings;
  /** `PICKET_URL`, whose host is the WebAuthn relying party when set. */
  publicUrl: string | undefined;
}

export interface AccountContextOptions {
  db: Kysely<Database>;
  accounts: AccountRepository;
  secrets: SecretBox;
  sessions: SessionSettings;
  publicUrl: string | undefined;
}

/** Builds the context of the account routes from the app's dependencies. */
export function createAccountContext(options: AccountContextOptions): AccountContext {
  return {
    ...options,
    authenticators: new AuthenticatorRepository(options.db),
    throttle: new AuthThrottle(options.db),
  };
}

/** Serializes the current user in Sentry's shape. */
export function serializeUser(user: UserRecord) {
  return {
    id: String(user.id),
    email: user.email,
    name: user.name,
    username: user.email,
    isSuperuser: user.isSuperuser === 1,
  };
}

/**
 * Opens the full session of a login whose every step succeeded, records the login time and
 * writes the `user.login` audit row.
 */
export async function completeLogin(
  context: AccountContext,
  request: FastifyRequest,
  reply: FastifyReply,
  input: { user: UserRecord; method: 'password' | SecondFactorMethod },
): Promise<void> {
  const now = Date.now();
  await openSession(context.accounts, context.sessions, request, reply, {
    userId: input.user.id,
    authLevel: 'complete',
    lastAuthAt: now,
  });
  await context.accounts.recordLogin(input.user.id, now);
  await recordAudit(context.db, request, {
    organizationId: null,
    event: 'user.login',
    targetType: 'user',
    targetId: input.user.id,
    actor: { userId: input.user.id, label: input.user.email },
    data: { method: input.method },
  });
  request.log.info({ userId: input.user.id, method: input.method }, 'login succeeded');
}

/**
 * Ends every session of the user, the current one included, and opens a fresh one for this
 * request with the same login time and re-authentication time. Called after the password or a
 * factor changed, so that other browsers must log in again and the current id is replaced.
 */
export async function restartSessions(
  context: AccountContext,
  request: FastifyRequest,
  reply: FastifyReply,
  current: { userId: number; sessionIdHash: string },
): Promise<void> {
  const session = await context.accounts.findSession(current.sessionIdHash);
  await context.accounts.deleteUserSessions(current.userId);
  await openSession(context.accounts, context.sessions, request, reply, {
    userId: current.userId,
    authLevel: 'complete',
    lastAuthAt: session?.lastAuthAt ?? null,
    ...(session === undefined ? {} : { createdAt: session.createdAt }),
  });
}
