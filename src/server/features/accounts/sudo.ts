import type { FastifyRequest } from 'fastify';

import { AppError, AuthError } from '../../platform/errors.js';
import { requireAuth, type RequestAuth } from './request-auth.js';

/** How long after the password or a factor was entered a session may change its security. */
export const SUDO_WINDOW_MS = 15 * 60_000;

/**
 * Returns the caller of a request made with a web session. API tokens cannot manage passwords,
 * factors or sessions.
 * @throws AuthError 401 without a session, 403 for an API token.
 */
export function requireSession(request: FastifyRequest): RequestAuth & { sessionIdHash: string } {
  const auth = requireAuth(request);

  if (auth.via !== 'session' || auth.sessionIdHash === undefined) {
    throw new AuthError(403, 'This endpoint needs a web session; API tokens cannot use it');
  }
  return { ...auth, sessionIdHash: auth.sessionIdHash };
}

/**
 * Returns the session caller if the password or a second factor was entered within the last
 * 15 minutes, as Sentry's "sudo" mode requires before security changes.
 * @throws AppError 401 `sudo-required` when the window has passed; `POST
 * /api/0/auth/reauthenticate/` opens it again.
 */
export function requireRecentAuth(request: FastifyRequest, now = Date.now()) {
  const auth = requireSession(request);

  if (auth.lastAuthAt === undefined || auth.lastAuthAt === null) {
    throw sudoRequired();
  }
  if (now - auth.lastAuthAt > SUDO_WINDOW_MS) {
    throw sudoRequired();
  }
  return auth;
}

function sudoRequired(): AppError {
  return new AppError(
    401,
    'sudo-required',
    'Confirm your password first: this change needs the password or a code entered in the last 15 minutes',
  );
}
