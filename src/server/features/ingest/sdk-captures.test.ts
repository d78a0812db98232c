import { readdirSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';

import { describe, expect, it } from 'vitest';

import { checkDsnMatch, extractAuth } from './auth.js';
import { parseEnvelope } from './envelope-parser.js';
import { normalizeEventId, parseJsonPayload } from './json-payload.js';
import { readBody } from './read-body.js';
import { decodeStoreBody } from './store-body.js';

// Requests recorded from unmodified Sentry SDKs and sentry-cli, described in that folder's README.
const CAPTURES_DIR = new URL('../../../../test/fixtures/sdk-captures/', import.meta.url);
const CAPTURE_PUBLIC_KEY = 'publickey';
const CAPTURE_PROJECT_ID = 42;

interface Capture {
  name: string;
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, string>;
  content_encoding: string | null;
  body: string;
  envelope?: {
    header: Record<string, unknown>;
    items: { header: { type: string }; payload: unknown }[];
  };
  json?: unknown;
}

function loadIngestCaptures(): Capture[] {
  const files = readdirSync(CAPTURES_DIR, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.json'))
    .sort();

  return files
    .map((file) => ({
      name: file,
      ...(JSON.parse(readFileSync(new URL(file, CAPTURES_DIR), 'utf8')) as Omit<Capture, 'name'>),
    }))
    .filter((capture) => /^\/api\/\d+\/(envelope|store)\/$/.test(capture.path));
}

// File names read `NNN-envelope-<item type>-…`, e.g. `002-envelope-client_report-gzip.json`.
function itemTypeFromFileName(name: string): string | undefined {
  return /\d{3}-envelope-([a-z_]+)/.exec(name)?.[1];
}

function chunkedStream(data: Buffer, chunkSize: number): Readable {
  async function* chunks() {
    for (let offset = 0; offset < data.length; offset += chunkSize) {
      await nextTurn();
      yield data.subarray(offset, offset + chunkSize);
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

const CAPTURES = loadIngestCaptures();
const ENVELOPE_CAPTURES = CAPTURES.filter((capture) => capture.path.endsWith('/envelope/'));
const STORE_CAPTURES = CAPTURES.filter((capture) => capture.path.endsWith('/store/'));
// Sessions, client reports and check-ins carry no event id in their payload.
const EVENT_ID_CAPTURES = ENVELOPE_CAPTURES.filter((capture) => {
  const payload = capture.envelope?.items[0]?.payload as Record<string, unknown> | undefined;
  return typeof payload?.event_id === 'string';
});
const DSN_CAPTURES = ENVELOPE_CAPTURES.filter(
  (capture) => typeof capture.envelope?.header.dsn === 'string',
);

describe('SDK captures', () => {
  it('finds the recorded envelope and store requests', () => {
    // 78 envelope and 5 store requests were recorded, and more may be added.
    expect(ENVELOPE_CAPTURES.length).toBeGreaterThanOrEqual(78);
    expect(STORE_CAPTURES.length).toBeGreaterThanOrEqual(5);
    expect(EVENT_ID_CAPTURES.length).toBeGreaterThan(0);
    expect(DSN_CAPTURES.length).toBeGreaterThan(0);
  });

  describe.each(CAPTURES)('$name', (capture) => {
    const body = Buffer.from(capture.body, 'utf8');

    it('reads the body in 1 KiB chunks', async () => {
      const wire = capture.content_encoding === 'gzip' ? gzipSync(body) : body;

      const read = await readBody(chunkedStream(wire, 1024), {
        contentEncoding: capture.headers['content-encoding'],
        maxBytes: 1024 * 1024,
        maxWireBytes: 1024 * 1024,
        idleTimeoutMs: 5_000,
      });

      expect(read.equals(body)).toBe(true);
    });

    it('extracts the public key from the request', () => {
      const auth = extractAuth({ headers: capture.headers, query: capture.query });

      expect(auth?.publicKey).toBe(CAPTURE_PUBLIC_KEY);
      expect(auth?.sentryVersion).toBe(7);
    });
  });

  describe.each(ENVELOPE_CAPTURES)('envelope $name', (capture) => {
    const body = Buffer.from(capture.body, 'utf8');
    const recordedItems = capture.envelope?.items ?? [];

    it('parses without a framing error', () => {
      expect(parseEnvelope(body).framingError).toBeUndefined();
    });

    it('parses the item type named in the file name', () => {
      const types = parseEnvelope(body).items.map((item) => item.headers.type);

      expect(types).toEqual([itemTypeFromFileName(capture.name)]);
    });

    it('parses the items the recorder saw', () => {
      const parsed = parseEnvelope(body);

      expect(parsed.headers).toEqual(capture.envelope?.header);
      expect(parsed.items.map((item) => item.headers)).toEqual(
        recordedItems.map((item) => item.header),
      );
    });

    it('parses every payload as the recorded JSON object', () => {
      const payloads = parseEnvelope(body).items.map((item) => {
        const result = parseJsonPayload(item.payload);
        return result.ok ? result.value : result.message;
      });

      expect(payloads).toEqual(recordedItems.map((item) => item.payload));
    });
  });

  describe.each(EVENT_ID_CAPTURES)('envelope with event_id $name', (capture) => {
    const parsed = parseEnvelope(Buffer.from(capture.body, 'utf8'));

    it('matches envelope and payload event_id', () => {
      const payload = parseJsonPayload(parsed.items[0]?.payload ?? Buffer.alloc(0));
      const payloadEventId = payload.ok
        ? normalizeEventId((payload.value as Record<string, unknown>).event_id)
        : undefined;

      expect(payloadEventId).toMatch(/^[0-9a-f]{32}$/);
      expect(normalizeEventId(parsed.headers.event_id)).toBe(payloadEventId);
    });
  });

  describe.each(DSN_CAPTURES)('envelope with dsn $name', (capture) => {
    const parsed = parseEnvelope(Buffer.from(capture.body, 'utf8'));

    it('matches the DSN header to request auth', () => {
      const auth = extractAuth({ headers: capture.headers, query: capture.query });

      expect(auth).toBeDefined();
      expect(() => {
        checkDsnMatch(auth!, parsed.headers.dsn!, CAPTURE_PROJECT_ID);
      }).not.toThrow();
    });
  });

  describe.each(STORE_CAPTURES)('store $name', (capture) => {
    const body = Buffer.from(capture.body, 'utf8');

    it('decodes the body as event JSON', () => {
      const decoded = decodeStoreBody(body, capture.headers['content-type']);
      const payload = decoded.kind === 'event' ? parseJsonPayload(decoded.payload) : undefined;

      expect(decoded.kind).toBe('event');
      expect(payload).toMatchObject({ ok: true, value: capture.json });
    });
  });
});
