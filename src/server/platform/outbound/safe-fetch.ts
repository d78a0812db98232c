import type { LookupAddress } from 'node:dns';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';

import type { OutboundAllowList } from './allow-list.js';
import { OutboundError } from './outbound-error.js';
import { pinnedLookup, resolveTarget } from './resolve-target.js';

/** An HTTP request to a destination chosen by a user, such as a webhook. */
export interface OutboundRequest {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

export interface SafeFetchOptions {
  allow: OutboundAllowList;
  /** Time for the whole request, redirects and reading the response included. */
  timeoutMs?: number;
  /** Bytes of the response body read at most; the rest is dropped unread. */
  maxResponseBytes?: number;
  maxRedirects?: number;
  /** Stops the request, such as at shutdown; it then fails with an `aborted` error. */
  signal?: AbortSignal;
}

/** The final response; its body is kept only as a short excerpt for error messages. */
export interface OutboundResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** At most 200 characters of the body, without control characters. */
  excerpt: string;
  /** Redirects followed on the way. */
  redirects: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;
export const DEFAULT_MAX_REDIRECTS = 3;
const EXCERPT_CHARACTERS = 200;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Sends a request to a URL that a user chose, and rejects destinations that are not public.
 * Every address the host resolves to must be public (see `blockedAddressReason`) or allowed by
 * `PICKET_OUTBOUND_ALLOW`. The connection goes to those checked addresses only, so a DNS answer
 * that changes between the check and the connection cannot move it. Redirects are followed by
 * hand, and each new URL is checked the same way. A 303 becomes a GET without body. 301, 302,
 * 307 and 308 repeat the request with its method and body, so a webhook that moved still gets
 * its payload.
 * @throws OutboundError when no final response arrives; any HTTP status is a response.
 */
export async function safeFetch(
  request: OutboundRequest,
  options: SafeFetchOptions,
): Promise<OutboundResponse> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  // One controller per request, stopped by the timeout or the caller's signal. A listener on the
  // caller's long-lived signal is removed at the end, so that it does not pile up.
  const controller = new AbortController();
  const signal = controller.signal;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error('timed out'));
  }, timeoutMs);
  const stop = () => {
    controller.abort(options.signal?.reason);
  };
  if (options.signal?.aborted === true) {
    stop();
  }
  options.signal?.addEventListener('abort', stop, { once: true });

  let current = { ...request, url: parseUrl(request.url) };
  try {
    for (let redirects = 0; ; redirects += 1) {
      const addresses = await resolveTarget(current.url, options.allow, signal);
      const response = await send(current, addresses, signal);
      const location = response.headers.location;
      if (!REDIRECT_STATUSES.has(response.statusCode ?? 0) || location === undefined) {
        const body = await readCapped(response, options.maxResponseBytes);
        return {
          status: response.statusCode ?? 0,
          headers: response.headers,
          excerpt: excerptOf(body),
          redirects,
        };
      }

      response.resume();
      if (redirects >= maxRedirects) {
        throw new OutboundError('redirect', `too many redirects (more than ${maxRedirects})`);
      }
      current = redirectedRequest(current, response.statusCode ?? 0, location);
    }
  } catch (error) {
    throw describeFailure(error, signal, timedOut, timeoutMs);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', stop);
  }
}

interface PreparedRequest extends Omit<OutboundRequest, 'url'> {
  url: URL;
}

function parseUrl(text: string, base?: URL): URL {
  try {
    return new URL(text, base);
  } catch {
    throw new OutboundError('invalid_url', base === undefined ? 'invalid URL' : 'invalid redirect');
  }
}

function redirectedRequest(
  previous: PreparedRequest,
  status: number,
  location: string,
): PreparedRequest {
  const url = parseUrl(location, previous.url);
  if (status !== 303) {
    return { ...previous, url };
  }
  const headers = Object.fromEntries(
    Object.entries(previous.headers ?? {}).filter(
      ([name]) => !/^content-(type|length)$/i.test(name),
    ),
  );
  return { url, method: 'GET', headers };
}

function send(
  request: PreparedRequest,
  addresses: readonly LookupAddress[],
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const { url } = request;
  const client = url.protocol === 'https:' ? https : http;
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== undefined) {
    headers['Content-Length'] = String(Buffer.byteLength(request.body));
  }

  return new Promise((resolve, reject) => {
    const outgoing = client.request(
      {
        protocol: url.protocol,
        host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers,
        // A fresh connection per request, so that no pooled socket skips the address check.
        agent: false,
        lookup: pinnedLookup(addresses),
        signal,
      },
      resolve,
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

async function readCapped(
  response: IncomingMessage,
  maxBytes = DEFAULT_MAX_RESPONSE_BYTES,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    const buffer = chunk as Buffer;
    chunks.push(buffer.subarray(0, maxBytes - size));
    size += buffer.length;
    if (size >= maxBytes) {
      response.destroy();
      break;
    }
  }
  return Buffer.concat(chunks);
}

/** Returns the start of a response body as one line of text, safe to store and log. */
export function excerptOf(body: Buffer): string {
  const text = body
    .toString('utf8')
    .replace(/[\p{Cc}\p{Cf}\s]+/gu, ' ')
    .trim();
  return Array.from(text).slice(0, EXCERPT_CHARACTERS).join('');
}

function describeFailure(
  error: unknown,
  signal: AbortSignal,
  timedOut: boolean,
  timeoutMs: number,
): OutboundError {
  if (timedOut) {
    return new OutboundError('timeout', `timed out after ${timeoutMs / 1_000} s`, { cause: error });
  }
  if (signal.aborted) {
    return new OutboundError('aborted', 'the request was stopped', { cause: error });
  }
  if (error instanceof OutboundError) {
    return error;
  }
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  const withCode = code === undefined || message.includes(code) ? message : `${code}: ${message}`;
  return new OutboundError('network', withCode, { cause: error });
}
