import type { ApiErrorBody } from '../../shared/api/accounts';

const CSRF_COOKIE = 'picket_csrf';
const CSRF_HEADER = 'X-CSRF-Token';

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RequestOptions {
  method?: HttpMethod;
  /** Serialized as JSON. */
  body?: unknown;
  /**
   * Query string parameters; `undefined` values are left out. Empty strings are sent, because
   * Sentry reads `query=` as "all issues" but a missing `query` as "unresolved issues".
   */
  query?: Record<string, string | number | undefined>;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  data: T;
  headers: Headers;
}

/**
 * A failed API request. `message` names the method, path and status for logs; `detail` is the
 * server's explanation, fit to show to the user.
 */
export class RequestError extends Error {
  readonly method: HttpMethod;
  readonly path: string;
  readonly status: number;
  readonly detail: string | null;
  /** The server's error code, such as `2fa-required` or `sudo-required`. */
  readonly code: string | null;
  /** The parsed JSON body, such as Sentry's `{field: [message]}` of a 400; null when not JSON. */
  readonly body: unknown;

  constructor(
    method: HttpMethod,
    path: string,
    status: number,
    detail: string | null,
    code: string | null = null,
    body: unknown = null,
  ) {
    super(`${method} ${path} failed with status ${status}`);
    this.name = 'RequestError';
    this.method = method;
    this.path = path;
    this.status = status;
    this.detail = detail;
    this.code = code;
    this.body = body;
  }
}

export function isRequestError(error: unknown, status?: number): error is RequestError {
  return error instanceof RequestError && (status === undefined || error.status === status);
}

/**
 * Sends a request to Picket's API with the session cookie and returns the parsed JSON body
 * with the response headers. Non-GET requests carry the CSRF token that the server set as a
 * readable cookie at login.
 *
 * @throws RequestError when the response status is not 2xx.
 */
export async function requestApi<T>(
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const method = options.method ?? 'GET';
  const headers = new Headers({ Accept: 'application/json' });

  if (options.body !== undefined) {
    headers.set('Content-Type', 'application/json');
  }

  const csrfToken = readCookie(CSRF_COOKIE);
  if (method !== 'GET' && csrfToken !== null) {
    headers.set(CSRF_HEADER, csrfToken);
  }

  const response = await fetch(buildUrl(path, options.query), {
    method,
    headers,
    body: options.body === undefined ? null : JSON.stringify(options.body),
    credentials: 'same-origin',
    signal: options.signal ?? null,
  });

  if (!response.ok) {
    const error = await readErrorBody(response);
    throw new RequestError(method, path, response.status, error.detail, error.code, error.body);
  }

  // 204 and some 202 responses (a monitor deletion, for one) have an empty body.
  const text = await response.text();
  const data: unknown = text === '' ? undefined : JSON.parse(text);

  return { data: data as T, headers: response.headers };
}

/** Same as {@link requestApi}, for callers that need only the body. */
export async function fetchApi<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await requestApi<T>(path, options);
  return response.data;
}

function buildUrl(path: string, query: RequestOptions['query']): string {
  if (query === undefined) {
    return path;
  }

  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) {
      params.set(name, String(value));
    }
  }

  const search = params.toString();
  return search === '' ? path : `${path}?${search}`;
}

async function readErrorBody(response: Response) {
  try {
    const body = (await response.json()) as Partial<ApiErrorBody> & { code?: unknown };
    return {
      detail: typeof body.detail === 'string' ? body.detail : null,
      code: typeof body.code === 'string' ? body.code : null,
      body: body as unknown,
    };
  } catch {
    // The body was empty or not JSON (a proxy error page, for example): there is no detail.
    return { detail: null, code: null, body: null };
  }
}

function readCookie(name: string): string | null {
  const prefix = `${name}=`;
  const cookie = document.cookie.split('; ').find((part) => part.startsWith(prefix));
  return cookie === undefined ? null : decodeURIComponent(cookie.slice(prefix.length));
}
