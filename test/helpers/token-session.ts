import type { PicketInstance } from './picket.js';

/** A logged-in browser session reduced to its two cookies, for API tests of session-only routes. */
export interface TokenSessionClient {
  request(method: string, pathname: string, body?: unknown): Promise<Response>;
}

/**
 * Logs in with e-mail and password and returns a client that sends the session cookie, and the
 * CSRF header that state-changing session requests need.
 */
export async function logInSession(
  picket: PicketInstance,
  email: string,
  password: string,
): Promise<TokenSessionClient> {
  const response = await fetch(`${picket.url}/api/0/auth/login/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) {
    throw new Error(`login as ${email} failed with ${response.status}: ${await response.text()}`);
  }
  const cookies = new Map<string, string>();
  for (const header of response.headers.getSetCookie()) {
    const [pair = ''] = header.split(';');
    const index = pair.indexOf('=');
    cookies.set(pair.slice(0, index), pair.slice(index + 1));
  }
  const csrf = decodeURIComponent(cookies.get('picket_csrf') ?? '');
  const cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');

  return {
    request: (method, pathname, body) =>
      fetch(`${picket.url}${pathname}`, {
        method,
        headers: {
          cookie,
          'x-csrf-token': csrf,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
  };
}

/** Sends a request with a bearer token and returns the response as is. */
export function tokenRequest(
  picket: PicketInstance,
  token: string,
  method: string,
  pathname: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${picket.url}${pathname}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
