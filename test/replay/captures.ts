/**
 * Loads the recorded SDK requests in test/fixtures/sdk-captures and sends them again to a
 * running server, rewritten for one of its projects.
 *
 * Every capture was recorded with the DSN `http://publickey@127.0.0.1:18765/42`. A replay puts
 * the real project id into the ingest path and the real public key wherever the capture carries
 * the key: the `sentry_key` query parameter, the `X-Sentry-Auth` header and the envelope's `dsn`
 * header. A web API request (`/api/0/...`) gets the real API token. The capture stores the
 * decoded body, so a body that the client sent gzip-compressed is compressed again. Everything
 * else goes out as recorded, including odd headers such as sentry-ruby's empty
 * `Content-Encoding` and the Node SDK's chunked transfer encoding.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const CAPTURE_PROJECT_ID = '42';

export const CAPTURES_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../fixtures/sdk-captures',
);

/** Capture sets in replay order. Within a set, requests are replayed in arrival order. */
export const CAPTURE_SETS = [
  'node',
  'browser',
  'python',
  'ruby',
  'sentry-cli-misc',
  'browser-nocors',
] as const;

/** Every capture set that sends to the ingest endpoints, including rate-limited runs. */
export const ALL_INGEST_CAPTURE_SETS = [
  'node',
  'node-static-tracing',
  'node-crash',
  'node-ratelimit',
  'browser',
  'browser-static-tracing',
  'browser-ratelimit',
  'browser-nocors',
  'browser-symbolication',
  'python',
  'python-ratelimit',
  'ruby',
  'ruby-ratelimit',
  'sentry-cli-misc',
] as const;

export interface EnvelopeItem {
  header: { type: string } & Record<string, unknown>;
  payload: unknown;
}

/** One recorded HTTP request, with the field names of the capture files. */
export interface Capture {
  /** `<set>/<file>`, used in test names. */
  label: string;
  method: string;
  path: string;
  query: Record<string, string>;
  raw_headers: string[];
  /** `gzip` when the client compressed the body. `body` is always the decoded text. */
  decoded_with: string | null;
  body?: string;
  body_base64?: string;
  envelope?: { header: Record<string, unknown>; items: EnvelopeItem[] };
  /** The parsed body of store and web API requests. */
  json?: unknown;
}

export interface ReplayTarget {
  baseUrl: string;
  projectId: string;
  publicKey: string;
  dsn: string;
  apiToken: string;
}

export interface ReplayResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown;
}

export function loadCaptures(sets: readonly string[] = CAPTURE_SETS): Capture[] {
  const captures: Capture[] = [];
  for (const set of sets) {
    const folder = path.join(CAPTURES_DIR, set);
    for (const file of fs
      .readdirSync(folder)
      .filter((name) => name.endsWith('.json'))
      .sort()) {
      const capture = JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8')) as Capture;
      captures.push({ ...capture, label: `${set}/${file}` });
    }
  }
  return captures;
}

function isIngestPath(requestPath: string): boolean {
  return requestPath.startsWith(`/api/${CAPTURE_PROJECT_ID}/`);
}

function rewritePath(capture: Capture, target: ReplayTarget): string {
  const requestPath = isIngestPath(capture.path)
    ? `/api/${target.projectId}/${capture.path.slice(`/api/${CAPTURE_PROJECT_ID}/`.length)}`
    : capture.path;

  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(capture.query)) {
    query.append(name, name === 'sentry_key' ? target.publicKey : value);
  }
  const search = query.toString();
  return search === '' ? requestPath : `${requestPath}?${search}`;
}

function rewriteBody(capture: Capture, target: ReplayTarget): Buffer | undefined {
  if (capture.body_base64 !== undefined) {
    throw new Error(`${capture.label}: binary bodies are not supported by this replayer`);
  }
  if (capture.body === undefined || capture.body === '') {
    return undefined;
  }

  let text = capture.body;
  if (capture.envelope?.header.dsn !== undefined) {
    // The envelope header is the first line, and only its dsn changes.
    const newline = text.indexOf('\n');
    const header = JSON.parse(newline === -1 ? text : text.slice(0, newline)) as Record<
      string,
      unknown
    >;
    header.dsn = target.dsn;
    text = JSON.stringify(header) + (newline === -1 ? '' : text.slice(newline));
  }

  const bytes = Buffer.from(text, 'utf8');
  if (capture.decoded_with === null) {
    return bytes;
  }
  if (capture.decoded_with === 'gzip') {
    return gzipSync(bytes);
  }
  throw new Error(`${capture.label}: unsupported recorded encoding ${capture.decoded_with}`);
}

function rewriteHeaders(
  capture: Capture,
  target: ReplayTarget,
  body: Buffer | undefined,
): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = {};
  let chunked = false;

  for (let index = 0; index + 1 < capture.raw_headers.length; index += 2) {
    const name = capture.raw_headers[index]!;
    const value = capture.raw_headers[index + 1]!;
    switch (name.toLowerCase()) {
      case 'host':
      case 'connection':
      case 'content-length':
        // Set by Node's HTTP client for the new address and the rewritten body.
        break;
      case 'transfer-encoding':
        chunked = value.toLowerCase() === 'chunked';
        break;
      case 'x-sentry-auth':
        headers[name] = value.replace(/sentry_key=[^,\s]*/, `sentry_key=${target.publicKey}`);
        break;
      case 'authorization':
        headers[name] = value.replace(/^Bearer .*/i, `Bearer ${target.apiToken}`);
        break;
      default:
        headers[name] = value;
    }
  }

  if (chunked) {
    headers['Transfer-Encoding'] = 'chunked';
  } else if (body !== undefined) {
    headers['Content-Length'] = String(body.length);
  }
  return headers;
}

/** Sends one capture to the target and returns the response. */
export async function replayCapture(
  capture: Capture,
  target: ReplayTarget,
): Promise<ReplayResponse> {
  const body = rewriteBody(capture, target);
  const headers = rewriteHeaders(capture, target, body);
  const url = new URL(rewritePath(capture, target), target.baseUrl);

  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: capture.method, headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Envelope items and store bodies of a capture, with their item type (`event` for store). */
export function capturedItems(capture: Capture): EnvelopeItem[] {
  if (capture.envelope !== undefined) {
    return capture.envelope.items;
  }
  if (capture.path.endsWith('/store/') && capture.json !== undefined) {
    const payload = capture.json as { type?: string };
    return [{ header: { type: payload.type ?? 'event' }, payload }];
  }
  return [];
}

/** Returns the error or message event that a capture carries, if any. */
export function capturedErrorEvent(capture: Capture): Record<string, unknown> | undefined {
  const item = capturedItems(capture).find((candidate) => candidate.header.type === 'event');
  return item?.payload as Record<string, unknown> | undefined;
}

/**
 * Returns the event id the response must contain. Relay returns the envelope header's
 * `event_id` (or the store body's) as 32 lowercase hex digits, also when sentry-cli sent a
 * hyphenated UUID.
 */
export function expectedResponseId(capture: Capture): string | undefined {
  const id =
    capture.envelope?.header.event_id ?? (capture.json as { event_id?: unknown })?.event_id;
  if (typeof id !== 'string' || !isIngestPath(capture.path)) {
    return undefined;
  }
  return id.replaceAll('-', '').toLowerCase();
}

const ISO_DATE = /(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)/g;
const DAY_MS = 86_400_000;

/** Moves every ISO date in the body forward by the whole days that put the latest one within a day. */
export function shiftCaptureDates(capture: Capture, now: number): Capture {
  const body = capture.body ?? '';
  const times = [...body.matchAll(ISO_DATE)].map((match) => Date.parse(`${match[1]}T${match[2]}`));
  const days = times.length === 0 ? 0 : Math.floor((now - Math.max(...times)) / DAY_MS);
  if (days <= 0) {
    return capture;
  }

  const shifted = body.replace(ISO_DATE, (_match, date: string, time: string) => {
    const moved = new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS)
      .toISOString()
      .slice(0, 10);
    return `${moved}T${time}`;
  });
  return { ...capture, body: shifted };
}
