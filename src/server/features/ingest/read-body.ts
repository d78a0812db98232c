import type { Readable } from 'node:stream';

import { AppError, PayloadTooLargeError } from '../../platform/errors.js';
import {
  createBodyDecoder,
  parseContentEncoding,
  type BodyDecoder,
  type ContentEncoding,
} from './body-decoders.js';

export interface ReadBodyOptions {
  /** Content-Encoding request header: gzip, x-gzip, deflate, br, zstd, or none. */
  contentEncoding: string | undefined;
  /** Maximum body size after decompression, in bytes. */
  maxBytes: number;
  /** Maximum body size as sent, before decompression, in bytes. */
  maxWireBytes: number;
  /** Time without any body data after which reading fails, in milliseconds. */
  idleTimeoutMs: number;
}

type BodyStream = NodeJS.ReadableStream | Readable;

/**
 * A compressed body that inflates past `RATIO_CHECK_AFTER_BYTES` may not be more than
 * `MAX_COMPRESSION_RATIO` times the bytes received so far. Real envelopes (JSON, stack traces,
 * logs) compress 5 to 30 times; a decompression bomb compresses about 1,000 times, so it is
 * refused after a few MiB instead of filling the memory up to the size limit.
 */
export const MAX_COMPRESSION_RATIO = 200;
export const RATIO_CHECK_AFTER_BYTES = 8 * 1024 * 1024;

/**
 * Reads a request body and decompresses it while it arrives. Decompressed bytes are counted as
 * they are produced, so a decompression bomb is stopped once it passes `maxBytes` instead of
 * being inflated in full. An empty body is returned as an empty buffer whatever the encoding.
 *
 * On failure the stream is left paused with its remaining data unread. The caller decides
 * whether to drain it or close the connection.
 *
 * @throws AppError 415 `unsupported_media_type` for an unknown Content-Encoding.
 * @throws AppError 413 `payload_too_large` when the body passes `maxWireBytes` or `maxBytes`.
 * @throws AppError 400 `bad_request` for corrupt compressed data or a failed stream.
 * @throws AppError 408 `request_timeout` when no data arrives for `idleTimeoutMs`.
 */
export async function readBody(stream: BodyStream, options: ReadBodyOptions): Promise<Buffer> {
  const encoding = parseContentEncoding(options.contentEncoding);

  return new Promise((resolve, reject) => {
    new BodyReader(stream, encoding, options, { resolve, reject }).start();
  });
}

interface Settlers {
  resolve(body: Buffer): void;
  reject(error: AppError): void;
}

class BodyReader {
  readonly #stream: BodyStream;
  readonly #encoding: ContentEncoding;
  readonly #options: ReadBodyOptions;
  readonly #settlers: Settlers;
  readonly #decoder: BodyDecoder;
  readonly #chunks: Buffer[] = [];
  #wireBytes = 0;
  #bodyBytes = 0;
  #streamEnded = false;
  #settled = false;
  #idleTimer: NodeJS.Timeout | undefined;

  constructor(
    stream: BodyStream,
    encoding: ContentEncoding,
    options: ReadBodyOptions,
    settlers: Settlers,
  ) {
    this.#stream = stream;
    this.#encoding = encoding;
    this.#options = options;
    this.#settlers = settlers;
    this.#decoder = createBodyDecoder(
      encoding,
      {
        onData: (chunk) => {
          this.#onDecodedData(chunk);
        },
        onEnd: () => {
          this.#succeed();
        },
        onError: (error) => {
          this.#fail(error);
        },
        onDrain: () => {
          this.#resume();
        },
      },
      { maxOutputBytes: options.maxBytes },
    );
  }

  start(): void {
    this.#stream.on('data', this.#onWireData);
    this.#stream.on('end', this.#onWireEnd);
    this.#stream.on('error', this.#onWireError);
    this.#stream.on('close', this.#onWireClose);
    this.#restartIdleTimer();
    this.#stream.resume();
  }

  readonly #onWireData = (data: Buffer | string): void => {
    const chunk = typeof data === 'string' ? Buffer.from(data) : data;

    this.#wireBytes += chunk.length;
    if (this.#wireBytes > this.#options.maxWireBytes) {
      this.#fail(
        new PayloadTooLargeError(
          `Request body exceeds the maximum of ${this.#options.maxWireBytes} bytes as sent`,
        ),
      );
      return;
    }

    this.#restartIdleTimer();
    if (!this.#decoder.write(chunk) && !this.#settled) {
      // Wait for the decoder to catch up. The idle timer stops meanwhile because the delay is
      // on the server side, not the client's.
      this.#stream.pause();
      this.#stopIdleTimer();
    }
  };

  readonly #onWireEnd = (): void => {
    this.#streamEnded = true;
    this.#stopIdleTimer();

    if (this.#wireBytes === 0) {
      this.#decoder.destroy();
      this.#succeed();
      return;
    }
    this.#decoder.end();
  };

  readonly #onWireError = (error: Error): void => {
    this.#fail(
      new AppError(400, 'bad_request', `Failed to read the request body: ${error.message}`, {
        cause: error,
      }),
    );
  };

  readonly #onWireClose = (): void => {
    if (!this.#streamEnded) {
      this.#fail(
        new AppError(400, 'bad_request', 'Request body stream closed before the body ended'),
      );
    }
  };

  #onDecodedData(chunk: Buffer): void {
    if (this.#settled) {
      return;
    }

    this.#bodyBytes += chunk.length;
    if (this.#bodyBytes > this.#options.maxBytes) {
      const subject = this.#encoding === 'identity' ? 'Request body' : 'Decompressed request body';
      this.#fail(
        new PayloadTooLargeError(
          `${subject} exceeds the maximum of ${this.#options.maxBytes} bytes`,
        ),
      );
      return;
    }
    if (
      this.#encoding !== 'identity' &&
      this.#bodyBytes > RATIO_CHECK_AFTER_BYTES &&
      this.#bodyBytes > MAX_COMPRESSION_RATIO * this.#wireBytes
    ) {
      this.#fail(
        new PayloadTooLargeError(
          `Decompressed request body is more than ${MAX_COMPRESSION_RATIO} times its compressed size; send it with less compression or uncompressed`,
        ),
      );
      return;
    }

    this.#chunks.push(chunk);
  }

  #resume(): void {
    if (!this.#settled && !this.#streamEnded) {
      this.#restartIdleTimer();
      this.#stream.resume();
    }
  }

  #restartIdleTimer(): void {
    this.#stopIdleTimer();
    this.#idleTimer = setTimeout(() => {
      this.#fail(
        new AppError(
          408,
          'request_timeout',
          `Request body timed out: no data received for ${this.#options.idleTimeoutMs} ms`,
        ),
      );
    }, this.#options.idleTimeoutMs);
  }

  #stopIdleTimer(): void {
    if (this.#idleTimer !== undefined) {
      clearTimeout(this.#idleTimer);
      this.#idleTimer = undefined;
    }
  }

  #succeed(): void {
    if (this.#settled) {
      return;
    }
    this.#finish();
    this.#settlers.resolve(Buffer.concat(this.#chunks, this.#bodyBytes));
  }

  #fail(error: AppError): void {
    if (this.#settled) {
      return;
    }
    this.#finish();
    this.#decoder.destroy();
    this.#stream.pause();
    this.#chunks.length = 0;
    this.#settlers.reject(error);
  }

  #finish(): void {
    this.#settled = true;
    this.#stopIdleTimer();
    this.#stream.removeListener('data', this.#onWireData);
    this.#stream.removeListener('end', this.#onWireEnd);
    this.#stream.removeListener('close', this.#onWireClose);
    this.#stream.removeListener('error', this.#onWireError);
  }
}
