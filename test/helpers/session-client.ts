/**
 * A minimal browser stand-in for API tests of web sessions: it keeps the cookies the server
 * sets and sends the CSRF token on requests that change state, as the web UI does.
 */
export interface SessionResponse {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

export class SessionClient {
  readonly cookies = new Map<string, string>();
  readonly #baseUrl: string;

  constructor(baseUrl: string) {
    this.#baseUrl = baseUrl;
  }

  async request(method: string, pathname: string, body?: unknown): Promise<SessionResponse> {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    const csrf = this.cookies.get('picket_csrf');
    if (method !== 'GET' && csrf !== undefined) {
      headers['x-csrf-token'] = csrf;
    }
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
    }

    const response = await fetch(`${this.#baseUrl}${pathname}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    this.#storeCookies(response.headers.getSetCookie());
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
    };
  }

  get(pathname: string) {
    return this.request('GET', pathname);
  }

  /** Posts the password step of a login. */
  logIn(email: string, password: string) {
    return this.request('POST', '/api/0/auth/login/', { email, password });
  }

  #storeCookies(setCookies: string[]) {
    for (const line of setCookies) {
      const [pair = ''] = line.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const isDeletion = /max-age=0/i.test(line) || /expires=thu, 01 jan 1970/i.test(line);
      if (isDeletion || value === '') {
        this.cookies.delete(name);
      } else {
        this.cookies.set(name, value);
      }
    }
  }
}
