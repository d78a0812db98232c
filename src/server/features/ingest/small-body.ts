import { Readable } from 'node:stream';
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';

import { AppError, PayloadTooLargeError } from '../../platform/errors.js';
import { hasZlibHeader, parseContentEncoding } from './body-decoders.js';
import { readBody, type ReadBodyOptions } from './read-body.js';

/** Bodies up to this size on the wire are inflated in one synchronous call. */
export const SMALL_BODY_BYTES = 64 * 1024;

// Output cap of the synchronous path. A body that inflates past it goes through the streaming
// decoder instead, which stops a bomb as soon as it passes the real limit.
const SYNC_OUTPUT_CAP = 8 * 1024 * 1024;

/**
 * Reads a body whose Content-Length is at most `SMALL_BODY_BYTES`. One synchronous inflate of
 * a few kilobytes costs far less than setting up a zlib stream per request, which matters
 * because most SDK requests are this small.
 *
 * @throws AppError with the same codes as `readBody`.
 */
export async function readSmallBody(stream: Readable, options: ReadBodyOptions): Promise<Buffer> {
  const encoding = parseContentEncoding(options.contentEncoding);
  const wire = await readBody(stream, {
    ...options,
    contentEncoding: undefined,
    maxBytes: SMALL_BODY_BYTES,
    maxWireBytes: SMALL_BODY_BYTES,
  });

  if (encoding === 'identity' || encoding === 'zstd' || wire.length === 0) {
    return encoding === 'zstd' && wire.length > 0
      ? readBody(Readable.from([wire]), options)
      : checkSize(wire, options.maxBytes);
  }

  const cap = Math.min(options.maxBytes + 1, SYNC_OUTPUT_CAP);
  try {
    return checkSize(inflateOnce(wire, encoding, cap), options.maxBytes);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE') {
      throw new AppError(400, 'bad_request', `Request body is not valid ${encoding} data`, {
        cause: error,
      });
    }
    if (options.maxBytes + 1 <= SYNC_OUTPUT_CAP) {
      throw tooLarge(options.maxBytes);
    }
    return readBody(Readable.from([wire]), options);
  }
}

function inflateOnce(wire: Buffer, encoding: 'gzip' | 'deflate' | 'br', cap: number): Buffer {
  const options = { maxOutputLength: cap };
  if (encoding === 'gzip') {
    return gunzipSync(wire, options);
  }
  if (encoding === 'br') {
    return brotliDecompressSync(wire, options);
  }
  return hasZlibHeader(wire) ? inflateSync(wire, options) : inflateRawSync(wire, options);
}

function checkSize(body: Buffer, maxBytes: number): Buffer {
  if (body.length > maxBytes) {
    throw tooLarge(maxBytes);
  }
  return body;
}

function tooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`Request body exceeds the maximum of ${maxBytes} bytes`);
}
