/** A small HTTP client for the security tests: raw status and text, never throwing on 4xx/5xx. */

export interface HttpResult {
  status: number;
  text: string;
  headers: Headers;
}

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
}

/**
 * Sends one request with Node's fetch, which keeps connections alive per origin. A network
 * failure becomes status 0 with the error message as text, so callers can count it.
 */
export async function send(request: HttpRequest): Promise<HttpResult> {
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
    });
    return { status: response.status, text: await response.text(), headers: response.headers };
  } catch (error) {
    return { status: 0, text: String(error), headers: new Headers() };
  }
}

/** Runs `task` over `items` with at most `limit` running at once, keeping the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await task(items[index] as T, index);
    }
  });
  await Promise.all(runners);
  return results;
}
