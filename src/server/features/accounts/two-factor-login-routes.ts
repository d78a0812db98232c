import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';

import { AuthError, ValidationError } from '../../platform/errors.js';
import { recordAudit } from '../audit/index.js';
import { completeLogin, serializeUser, type AccountContext } from './login-completion.js';
import { clearSessionCookies } from './login-session.js';
import { LOGIN_LIMITS, countLoginAttempt, ruleFor, tooManyAttempts } from './login-throttle.js';
import { verifyPassword } from './passwords.js';
import type { PendingLogin } from './request-auth.js';
import { listMethods, verifySecondFactor } from './second-factor.js';
import { parseSecondFactorProof } from './second-factor-schema.js';
import { requireSession } from './sudo.js';
import { createAuthenticationOptions, parseWebAuthnConfig, relyingPartyOf } from './webauthn.js';

const reauthenticateSchema = z.union([
  z.object({ password: z.string().min(1).max(1024) }),
  z.object({ code: z.string().min(1).max(64) }),
]);

/**
 * Returns the session waiting for its second factor.
 * @throws AuthError 401 when the request has no such session.
 */
function requirePendingLogin(request: FastifyRequest): PendingLogin {
  if (request.pendingLogin === undefined) {
    throw new AuthError(401, 'No login is waiting for a second factor: log in with your password');
  }
  return request.pendingLogin;
}

/**
 * Registers the second login step (TOTP code, security key or recovery code) and re-authentication of a
 * logged-in session before security changes.
 */
export function registerTwoFactorLoginRoutes(app: FastifyInstance, context: AccountContext) {
  const { accounts, authenticators, throttle } = context;
  const store = { secrets: context.secrets, secureCookies: context.sessions.secureCookies };

  app.get('/api/0/auth/2fa/', async (request) => {
    const { user } = requirePendingLogin(request);
    const recoveryCodes = await authenticators.summarizeRecoveryCodes(user.id);
    const methods = listMethods(await authenticators.list(user.id), recoveryCodes.remaining);
    return { twoFactorRequired: true, methods };
  });

  app.post('/api/0/auth/2fa/webauthn/options/', async (request, reply) => {
    const { user, session } = requirePendingLogin(request);
    const keys = (await authenticators.list(user.id))
      .filter((authenticator) => authenticator.type === 'webauthn')
      .map(parseWebAuthnConfig);

    if (keys.length === 0) {
      throw new ValidationError('No security key is registered for this account');
    }
    return createAuthenticationOptions(store, reply, {
      rp: relyingPartyOf(request, context.publicUrl),
      sessionIdHash: session.idHash,
      keys,
    });
  });

  app.post('/api/0/auth/2fa/', async (request, reply) => {
    const { user, session } = requirePendingLogin(request);
    const proof = parseSecondFactorProof(request.body);
    const userRule = ruleFor('secondStepPerUser', String(user.id));
    const userState = await throttle.peek(userRule);

    if (userState.count >= userRule.limit) {
      throw tooManyAttempts([{ ...userState, allowed: false }]);
    }

    const valid = await verifySecondFactor(context, request, reply, {
      userId: user.id,
      sessionIdHash: session.idHash,
      rp: relyingPartyOf(request, context.publicUrl),
      proof,
    });

    if (!valid) {
      await throttle.hit(userRule);
      const sessionResult = await throttle.hit(ruleFor('secondStepPerSession', session.idHash));
      await recordAudit(context.db, request, {
        organizationId: null,
        event: 'user.login-failed',
        actor: { userId: user.id, label: user.email },
        data: { step: 'second-factor', method: proof.method },
      });

      if (sessionResult.count >= LOGIN_LIMITS.secondStepPerSession.limit) {
        await accounts.deleteSession(session.idHash);
        clearSessionCookies(context.sessions, reply);
        return reply.status(401).send({
          detail: 'Too many wrong codes: the login was cancelled, log in again',
          code: 'unauthorized',
        });
      }
      throw new AuthError(401, 'Invalid code or security key: try again');
    }

    await accounts.deleteSession(session.idHash);
    await throttle.reset(ruleFor('secondStepPerSession', session.idHash).key);
    await completeLogin(context, request, reply, { user, method: proof.method });
    return reply.send({ user: serializeUser(user) });
  });

  app.post('/api/0/auth/reauthenticate/', async (request, reply) => {
    const auth = requireSession(request);
    const parsed = reauthenticateSchema.safeParse(request.body);
    if (!parsed.success) {
      throw new ValidationError('Send {"password": "..."} or {"code": "<TOTP code>"}');
    }

    let valid: boolean;
    if ('password' in parsed.data) {
      await countLoginAttempt(throttle, request.ip, auth.user.email);
      valid = await verifyPassword(auth.user.passwordHash, parsed.data.password);
    } else {
      const userRule = ruleFor('secondStepPerUser', String(auth.user.id));
      const userState = await throttle.peek(userRule);
      if (userState.count >= userRule.limit) {
        throw tooManyAttempts([{ ...userState, allowed: false }]);
      }
      valid = await verifySecondFactor(context, request, reply, {
        userId: auth.user.id,
        sessionIdHash: auth.sessionIdHash,
        rp: relyingPartyOf(request, context.publicUrl),
        proof: { method: 'totp', code: parsed.data.code },
      });
      if (!valid) {
        await throttle.hit(userRule);
      }
    }

    // 403, not 401: the session stays valid, and clients read 401 as "logged out".
    if (!valid) {
      throw new AuthError(403, 'The password or code is incorrect');
    }

    await accounts.markSessionAuthenticated(auth.sessionIdHash, Date.now());
    return reply.status(204).send();
  });
}
