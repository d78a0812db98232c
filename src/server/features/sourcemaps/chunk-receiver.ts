import type { IncomingHttpHeaders } from 'node:http';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

import busboy from 'busboy';

import { AppError, PayloadTooLargeError } from '../../platform/errors.js';
import { ChunkUploadError } from './chunk-store.js';

export interface ChunkLimits {
  /** Uncompressed bytes of one chunk. */
  maxChunkBytes: number;
  /** Chunks in one request. */
  maxChunks: number;
  /** Uncompressed bytes of all chunks of one request. */
  maxRequestBytes: number;
}

/** Stores one chunk. `content` yields the uncompressed bytes and fails when a limit is passed. */
export type StoreChunk = (sha1: string, content: AsyncIterable<Buffer>) => Promise<void>;

// Sentry's messages, which sentry-cli prints.
export const CHUNK_TOO_LARGE = 'Chunk size too large';
export const REQUEST_TOO_LARGE = 'Request too large';
export const TOO_MANY_CHUNKS = 'Too many chunks';

const CHUNK_FIELDS = new Set(['file', 'file_gzip']);
const SHA1_PATTERN = /^[0-9a-f]{40}$/;

/**
 * Reads the chunks of a chunk-upload request as they stream in: each `file` part (raw) or
 * `file_gzip` part (gzip) goes to `storeChunk` while it arrives, decompressed and capped, so
 * no chunk is held in memory. Other parts are read and ignored, as Sentry does. When a limit is
 * passed or the body is malformed, the open part is destroyed, and the promise rejects once
 * every started `storeChunk` settled. Chunks stored before that stay, because each was checked.
 * Returns the number of chunks stored.
 *
 * @throws ChunkUploadError with Sentry's message for a limit or a checksum mismatch.
 * @throws AppError 400 for a malformed body or a content type other than multipart/form-data.
 */
export function receiveChunks(
  body: Readable,
  headers: IncomingHttpHeaders,
  limits: ChunkLimits,
  storeChunk: StoreChunk,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers, limits: { files: limits.maxChunks + 1, fields: 100 } });
    } catch (error) {
      body.resume();
      reject(
        new AppError(400, 'bad_request', `Invalid multipart/form-data body: ${String(error)}`),
      );
      return;
    }

    const tasks: Promise<void>[] = [];
    const openParts = new Set<Readable>();
    let chunkCount = 0;
    let requestBytes = 0;
    let failed = false;

    const fail = (error: Error) => {
      if (failed) {
        return;
      }
      failed = true;
      body.unpipe(parser);
      body.resume();
      for (const part of openParts) {
        part.destroy(error);
      }
      void Promise.allSettled(tasks).then(() => {
        reject(error);
      });
    };

    const countBytes = (bytes: number) => {
      requestBytes += bytes;
      if (requestBytes > limits.maxRequestBytes) {
        throw new ChunkUploadError(REQUEST_TOO_LARGE);
      }
    };

    parser.on('file', (fieldName, part, info) => {
      // Errors reach the reader through iteration. Without a listener, a part destroyed by
      // `fail` after its reader finished would throw its error out of the process.
      part.on('error', () => undefined);
      if (failed || !CHUNK_FIELDS.has(fieldName)) {
        part.resume();
        return;
      }
      chunkCount += 1;
      if (chunkCount > limits.maxChunks) {
        part.resume();
        fail(new ChunkUploadError(TOO_MANY_CHUNKS));
        return;
      }
      const sha1 = (info.filename ?? '').toLowerCase();
      if (!SHA1_PATTERN.test(sha1)) {
        part.resume();
        const name = JSON.stringify((info.filename ?? '').slice(0, 100));
        fail(
          new ChunkUploadError(
            `Invalid chunk name ${name}: name each chunk by the SHA-1 of its uncompressed bytes (40 hex digits)`,
          ),
        );
        return;
      }

      openParts.add(part);
      part.on('close', () => openParts.delete(part));
      const gzip = fieldName === 'file_gzip';
      const content = readChunk(part, {
        sha1,
        gzip,
        maxChunkBytes: limits.maxChunkBytes,
        countBytes,
      });
      const task = storeChunk(sha1, content);
      task.catch((error: unknown) => {
        fail(asError(error));
      });
      tasks.push(task);
    });

    parser.on('filesLimit', () => {
      fail(new ChunkUploadError(TOO_MANY_CHUNKS));
    });
    parser.on('error', (error: Error) => {
      fail(new AppError(400, 'bad_request', `Invalid multipart/form-data body: ${error.message}`));
    });
    body.on('error', (error) => {
      // The request stream fails with 413 once the body passes its byte cap.
      fail(error instanceof PayloadTooLargeError ? new ChunkUploadError(REQUEST_TOO_LARGE) : error);
    });
    parser.on('close', () => {
      Promise.all(tasks).then(
        () => {
          if (!failed) {
            resolve(tasks.length);
          }
        },
        (error: unknown) => {
          fail(asError(error));
        },
      );
    });

    body.pipe(parser);
  });
}

interface ChunkReading {
  sha1: string;
  gzip: boolean;
  maxChunkBytes: number;
  countBytes: (bytes: number) => void;
}

/**
 * Yields the uncompressed bytes of one part and stops at the chunk and request limits. A part
 * that cannot be read (bad gzip data, a body cut short) fails with a ChunkUploadError, so the
 * client gets a 400. Failures of the storage behind the consumer stay server errors.
 */
async function* readChunk(part: Readable, reading: ChunkReading): AsyncGenerator<Buffer> {
  const source = reading.gzip
    ? pipeline(part, createGunzip(), () => {
        // Errors reach the loop below through the gunzip stream.
      })
    : part;
  const iterator = (source as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  let size = 0;
  try {
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await iterator.next();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new ChunkUploadError(`Failed to read chunk ${reading.sha1}: ${message}`);
      }
      if (next.done === true) {
        return;
      }

      size += next.value.length;
      if (size > reading.maxChunkBytes) {
        throw new ChunkUploadError(CHUNK_TOO_LARGE);
      }
      reading.countBytes(next.value.length);
      yield next.value;
    }
  } finally {
    // Stops decompression when the consumer or a limit ended the read early.
    source.destroy();
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
