import { inflateSync } from 'node:zlib';

import { AppError, PayloadTooLargeError } from '../../platform/errors.js';
import { ITEM_SIZE_LIMITS } from './item-types.js';

export type StoreBody = { kind: 'event'; payload: Buffer } | { kind: 'envelope' };

export interface DecodeStoreBodyOptions {
  /** Maximum size of a base64 + zlib body after inflating, in bytes. Default 1 MiB. */
  maxBytes?: number;
}

const ENVELOPE_CONTENT_TYPE = 'application/x-sentry-envelope';
const OPEN_BRACE = 0x7b;
// Standard and URL-safe alphabets with optional padding, checked after removing whitespace.
const BASE64_PATTERN = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Decodes the body of the legacy `/api/{project_id}/store/` endpoint. A body whose first
 * non-whitespace byte is `{` is event JSON. Any other body is base64 of zlib-compressed event
 * JSON, as old SDKs send it. With `Content-Type: application/x-sentry-envelope` the body is an
 * envelope, which the caller parses.
 *
 * @throws AppError 400 `bad_request` when the body is empty or is neither JSON nor valid
 *   base64 + zlib data.
 * @throws AppError 413 `payload_too_large` when the body inflates past `maxBytes`.
 */
export function decodeStoreBody(
  body: Buffer,
  contentType: string | undefined,
  options: DecodeStoreBodyOptions = {},
): StoreBody {
  if (mediaType(contentType) === ENVELOPE_CONTENT_TYPE) {
    return { kind: 'envelope' };
  }

  const start = firstNonWhitespace(body);
  if (start === -1) {
    throw new AppError(400, 'bad_request', 'Store request body is empty');
  }
  if (body[start] === OPEN_BRACE) {
    return { kind: 'event', payload: body };
  }

  return {
    kind: 'event',
    payload: inflateBase64(body, options.maxBytes ?? ITEM_SIZE_LIMITS.event),
  };
}

function inflateBase64(body: Buffer, maxBytes: number): Buffer {
  const text = body.toString('latin1').replace(/\s+/g, '');

  // Buffer.from(…, 'base64') skips invalid characters, so the alphabet is checked first.
  if (!BASE64_PATTERN.test(text) || text.length % 4 === 1) {
    throw new AppError(
      400,
      'bad_request',
      'Store request body is neither JSON nor base64: it must start with "{" or be base64 of zlib-compressed JSON',
    );
  }

  try {
    return inflateSync(Buffer.from(text, 'base64'), { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new PayloadTooLargeError(
        `Store request body inflates to more than the maximum of ${maxBytes} bytes`,
      );
    }
    throw new AppError(
      400,
      'bad_request',
      `Store request body is base64 but not valid zlib data: ${errorMessage(error)}`,
      { cause: error },
    );
  }
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
}

function firstNonWhitespace(body: Buffer): number {
  for (let index = 0; index < body.length; index++) {
    const byte = body[index];

    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) {
      return index;
    }
  }
  return -1;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
