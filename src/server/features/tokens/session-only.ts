import type { FastifyRequest } from 'fastify';

import { AuthError } from '../../platform/errors.js';
import { requireAuth, type RequestAuth } from '../accounts/request-auth.js';

/**
 * Returns the caller of a request made with a login session. A request authenticated by an API
 * token is rejected, so that no token can list, create or delete tokens: a leaked token with
 * few scopes must not lead to the user's other tokens (Sentry fixed that class of bug as CVE-2023-39349 in 23.7.2).
 * @throws AuthError 401 without credentials, 403 for a token.
 */
export function requireSession(request: FastifyRequest): RequestAuth {
  const auth = requireAuth(request);
  if (auth.via !== 'session') {
    throw new AuthError(
      403,
      'API tokens cannot manage tokens: log in to the web interface to list, create or delete tokens',
    );
  }
  return auth;
}
