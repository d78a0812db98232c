import {
  createBrotliDecompress,
  createGunzip,
  createInflate,
  createInflateRaw,
  type Gunzip,
  type BrotliDecompress,
  type Inflate,
  type InflateRaw,
} from 'node:zlib';

import { AppError } from '../../platform/errors.js';
import { createZstdDecoder } from './zstd-decoder.js';

export type ContentEncoding = 'identity' | 'gzip' | 'deflate' | 'br' | 'zstd';

/** Callbacks through which a decoder delivers its output. */
export interface BodyDecoderHandlers {
  onData(chunk: Buffer): void;
  onEnd(): void;
  /** Called at most once, with a 400 `bad_request` naming the encoding, or a 413. */
  onError(error: AppError): void;
  /** Called when a decoder whose `write` returned false can take more input. */
  onDrain(): void;
}

/** Push-style decompressor for one request body. */
export interface BodyDecoder {
  /** Returns false when the caller should wait for `onDrain` before writing more. */
  write(chunk: Buffer): boolean;
  end(): void;
  /** Stops decoding. No handler is called afterwards. */
  destroy(): void;
}

export interface BodyDecoderOptions {
  /** Limit on the decoded size, in bytes, for decoders that can check it before decoding. */
  maxOutputBytes: number;
}

/**
 * Maps a Content-Encoding header value to a supported encoding. Empty, `identity` and `UTF-8`
 * (sent by old sentry-java Android clients) mean no encoding.
 *
 * @throws AppError 415 `unsupported_media_type` for any other value.
 */
export function parseContentEncoding(value: string | undefined): ContentEncoding {
  const normalized = (value ?? '').trim().toLowerCase();

  switch (normalized) {
    case '':
    case 'identity':
    case 'utf-8':
      return 'identity';
    case 'gzip':
    case 'x-gzip':
      return 'gzip';
    case 'deflate':
    case 'br':
    case 'zstd':
      return normalized;
    default:
      throw new AppError(
        415,
        'unsupported_media_type',
        `Unsupported Content-Encoding ${JSON.stringify((value ?? '').slice(0, 64))}: use gzip, deflate, br or zstd`,
      );
  }
}

/** Creates the decoder for one body in the given encoding. */
export function createBodyDecoder(
  encoding: ContentEncoding,
  handlers: BodyDecoderHandlers,
  options: BodyDecoderOptions,
): BodyDecoder {
  switch (encoding) {
    case 'identity':
      return createIdentityDecoder(handlers);
    case 'gzip':
      return createZlibDecoder(createGunzip(), 'gzip', handlers);
    case 'deflate':
      return createDeflateDecoder(handlers);
    case 'br':
      return createZlibDecoder(createBrotliDecompress(), 'br', handlers);
    case 'zstd':
      return createZstdDecoder(handlers, options.maxOutputBytes);
  }
}

function createIdentityDecoder(handlers: BodyDecoderHandlers): BodyDecoder {
  let destroyed = false;

  return {
    write(chunk) {
      if (!destroyed) {
        handlers.onData(chunk);
      }
      return true;
    },
    end() {
      if (!destroyed) {
        handlers.onEnd();
      }
    },
    destroy() {
      destroyed = true;
    },
  };
}

function createZlibDecoder(
  stream: Gunzip | Inflate | InflateRaw | BrotliDecompress,
  encoding: string,
  handlers: BodyDecoderHandlers,
): BodyDecoder {
  let destroyed = false;

  stream.on('data', (chunk: Buffer) => {
    if (!destroyed) {
      handlers.onData(chunk);
    }
  });
  stream.on('end', () => {
    if (!destroyed) {
      handlers.onEnd();
    }
  });
  stream.on('drain', () => {
    if (!destroyed) {
      handlers.onDrain();
    }
  });
  // The listener stays after destroy() because an 'error' event without a listener would crash
  // the process.
  stream.on('error', (error) => {
    if (!destroyed) {
      destroyed = true;
      handlers.onError(
        new AppError(
          400,
          'bad_request',
          `Invalid ${encoding} data in the request body: ${error.message}`,
          { cause: error },
        ),
      );
    }
  });

  return {
    write: (chunk) => destroyed || stream.write(chunk),
    end() {
      if (!destroyed) {
        stream.end();
      }
    },
    destroy() {
      // A destroyed zlib stream stops inflating at its next output chunk.
      destroyed = true;
      stream.destroy();
    },
  };
}

// `deflate` should be zlib-wrapped (RFC 1950), but some clients send raw deflate (RFC 1951).
// The first two bytes tell them apart, so input is held back until two bytes have arrived.
function createDeflateDecoder(handlers: BodyDecoderHandlers): BodyDecoder {
  let inner: BodyDecoder | undefined;
  let pending = Buffer.alloc(0);
  let destroyed = false;

  // Starts the inflater that matches the held-back prefix and passes the prefix to it.
  const startInflater = (): boolean => {
    const stream = hasZlibHeader(pending) ? createInflate() : createInflateRaw();
    const prefix = pending;

    inner = createZlibDecoder(stream, 'deflate', handlers);
    pending = Buffer.alloc(0);
    return inner.write(prefix);
  };

  return {
    write(chunk) {
      if (destroyed) {
        return true;
      }
      if (inner !== undefined) {
        return inner.write(chunk);
      }

      pending = Buffer.concat([pending, chunk]);
      return pending.length < 2 || startInflater();
    },
    end() {
      if (destroyed) {
        return;
      }
      if (inner === undefined) {
        startInflater();
      }
      inner?.end();
    },
    destroy() {
      destroyed = true;
      inner?.destroy();
    },
  };
}

// RFC 1950: compression method 8 (deflate), window size at most 32 KiB, and the 16-bit header
// is a multiple of 31. A raw stream passes this check only when it starts with a stored block
// whose length bytes happen to fit, and encoders store blocks only for incompressible data.
export function hasZlibHeader(prefix: Buffer): boolean {
  const cmf = prefix[0] ?? 0;
  const flg = prefix[1] ?? 0;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && (cmf * 256 + flg) % 31 === 0;
}
