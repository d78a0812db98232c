import { PassThrough, type Readable } from 'node:stream';

import type { FastifyReply, FastifyRequest } from 'fastify';

import { AppError, PayloadTooLargeError } from '../../platform/errors.js';
import { createBodyDecoder, parseContentEncoding } from '../ingest/body-decoders.js';
import { headerValue } from '../ingest/ingest-kit.js';

/**
 * Returns the request body as a stream, decompressed by its Content-Encoding, that fails with a
 * 413 once more than `maxBytes` come out of it. Input is paused while the consumer is behind,
 * so a large upload is never held in memory. When the stream fails, the rest of the upload is
 * discarded and the connection closes after the response.
 * @throws AppError 415 for an unknown Content-Encoding.
 */
export function openRequestStream(
  request: FastifyRequest,
  reply: FastifyReply,
  maxBytes: number,
): Readable {
  const encoding = parseContentEncoding(headerValue(request.headers['content-encoding']));
  const raw = request.raw;
  const output = new PassThrough();
  let outputBytes = 0;
  let ended = false;

  const fail = (error: AppError) => {
    if (output.destroyed) {
      return;
    }
    decoder.destroy();
    reply.header('connection', 'close');
    raw.unpipe();
    raw.resume();
    output.destroy(error);
  };

  const decoder = createBodyDecoder(
    encoding,
    {
      onData(chunk) {
        if (output.destroyed) {
          return;
        }
        outputBytes += chunk.length;
        if (outputBytes > maxBytes) {
          fail(new PayloadTooLargeError(`Request body exceeds the maximum of ${maxBytes} bytes`));
          return;
        }
        if (!output.write(chunk)) {
          raw.pause();
        }
      },
      onEnd() {
        output.end();
      },
      onError: fail,
      onDrain() {
        raw.resume();
      },
    },
    { maxOutputBytes: maxBytes },
  );

  // A consumer that gave up early (a multipart parser that rejected the Content-Type, say) no
  // longer listens, and an 'error' event without a listener would end the process.
  output.on('error', () => {});
  output.on('drain', () => {
    raw.resume();
  });
  raw.on('data', (chunk: Buffer) => {
    // After the consumer gave up, the rest of the upload is read and dropped.
    if (output.destroyed) {
      return;
    }
    if (!decoder.write(chunk)) {
      raw.pause();
    }
  });
  raw.on('end', () => {
    ended = true;
    decoder.end();
  });
  raw.on('error', (error) => {
    fail(new AppError(400, 'bad_request', `Failed to read the request body: ${error.message}`));
  });
  raw.on('close', () => {
    if (!ended) {
      fail(new AppError(400, 'bad_request', 'Request body stream closed before the body ended'));
    }
  });

  return output;
}
