import { deflateSync } from 'node:zlib';

import { describe, expect, it } from 'vitest';

import { AppError } from '../../platform/errors.js';
import { decodeStoreBody } from './store-body.js';

const EVENT_JSON = '{"event_id":"9ec79c33ec9942ab8353589fcb2e04dc","message":"boom"}';

function catchError(action: () => unknown): AppError | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof AppError) {
      return error;
    }
    throw error;
  }
  return undefined;
}

function base64Zlib(text: string | Buffer): Buffer {
  return Buffer.from(deflateSync(text).toString('base64'));
}

describe('decodeStoreBody', () => {
  it('returns a JSON body as it is', () => {
    const body = Buffer.from(EVENT_JSON);

    const decoded = decodeStoreBody(body, 'application/json');

    expect(decoded).toEqual({ kind: 'event', payload: body });
  });

  it('treats a body starting with whitespace and "{" as JSON', () => {
    const body = Buffer.from(`\r\n\t ${EVENT_JSON}`);

    const decoded = decodeStoreBody(body, undefined);

    expect(decoded.kind === 'event' ? decoded.payload : undefined).toBe(body);
  });

  it('decodes base64 of zlib-compressed JSON', () => {
    const decoded = decodeStoreBody(base64Zlib(EVENT_JSON), 'application/octet-stream');

    expect(decoded.kind === 'event' ? decoded.payload.toString() : undefined).toBe(EVENT_JSON);
  });

  it('decodes base64 split over several lines', () => {
    const encoded = base64Zlib(EVENT_JSON)
      .toString()
      .replace(/(.{20})/g, '$1\n');

    const decoded = decodeStoreBody(Buffer.from(encoded), undefined);

    expect(decoded.kind === 'event' ? decoded.payload.toString() : undefined).toBe(EVENT_JSON);
  });

  it('decodes URL-safe base64', () => {
    const encoded = deflateSync(EVENT_JSON).toString('base64url');

    const decoded = decodeStoreBody(Buffer.from(encoded), undefined);

    expect(decoded.kind === 'event' ? decoded.payload.toString() : undefined).toBe(EVENT_JSON);
  });

  it.each(['application/x-sentry-envelope', 'Application/X-Sentry-Envelope; charset=utf-8'])(
    'returns envelope for Content-Type %s',
    (contentType) => {
      const decoded = decodeStoreBody(Buffer.from('{}\n{"type":"event"}\n{}'), contentType);

      expect(decoded).toEqual({ kind: 'envelope' });
    },
  );

  it('rejects an empty body with 400', () => {
    const error = catchError(() => decodeStoreBody(Buffer.from(' \n'), 'application/json'));

    expect(error?.status).toBe(400);
    expect(error?.detail).toBe('Store request body is empty');
  });

  it('rejects a body that is neither JSON nor base64 with 400', () => {
    const error = catchError(() => decodeStoreBody(Buffer.from('<html>'), undefined));

    expect(error?.status).toBe(400);
    expect(error?.detail).toMatch(/neither JSON nor base64/);
  });

  it('rejects base64 that is not zlib data with 400', () => {
    const body = Buffer.from(Buffer.from('plain text, not zlib').toString('base64'));

    const error = catchError(() => decodeStoreBody(body, undefined));

    expect(error?.status).toBe(400);
    expect(error?.detail).toMatch(/^Store request body is base64 but not valid zlib data/);
  });

  it('rejects base64 of truncated zlib data with 400', () => {
    const truncated = deflateSync(EVENT_JSON).subarray(0, 10);

    const error = catchError(() =>
      decodeStoreBody(Buffer.from(truncated.toString('base64')), undefined),
    );

    expect(error?.status).toBe(400);
  });

  it('rejects a zlib bomb with 413 without inflating it all', () => {
    const body = base64Zlib(Buffer.alloc(64 * 1024 * 1024));
    const started = performance.now();

    const error = catchError(() => decodeStoreBody(body, undefined, { maxBytes: 1024 * 1024 }));

    expect(error?.status).toBe(413);
    expect(error?.code).toBe('payload_too_large');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('limits inflated bodies to 1 MiB by default', () => {
    const body = base64Zlib(Buffer.alloc(1024 * 1024 + 1, 0x20));

    const error = catchError(() => decodeStoreBody(body, undefined));

    expect(error?.status).toBe(413);
  });

  it('accepts an inflated body of exactly maxBytes', () => {
    const decoded = decodeStoreBody(base64Zlib(Buffer.alloc(1000, 0x20)), undefined, {
      maxBytes: 1000,
    });

    expect(decoded.kind === 'event' ? decoded.payload.length : undefined).toBe(1000);
  });
});
