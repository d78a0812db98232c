import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

import { AppError, PayloadTooLargeError } from '../../platform/errors.js';

const GZIP_MAGIC = [0x1f, 0x8b];
/** Minidump signatures: `MDMP` as written on little-endian machines, `PMDM` on big-endian. */
const MINIDUMP_SIGNATURES = ['MDMP', 'PMDM'];

/**
 * Passes a minidump through, unwrapping gzip when the upload is gzip-compressed, and fails
 * with a 400 when the content does not start with a minidump signature or a 413 when it
 * grows past `maxBytes`. Nothing is buffered beyond the first chunks.
 */
export async function* readMinidumpContent(
  source: AsyncIterable<Buffer>,
  maxBytes: number,
): AsyncGenerator<Buffer> {
  const { head, rest } = await readHead(source, GZIP_MAGIC.length);
  const isGzip = GZIP_MAGIC.every((byte, index) => head[index] === byte);
  const content = isGzip ? gunzip(head, rest) : prepend(head, rest);

  yield* checkMinidump(content, maxBytes);
}

async function* checkMinidump(source: AsyncIterable<Buffer>, maxBytes: number) {
  const { head, rest } = await readHead(source, 4);
  const signature = head.subarray(0, 4).toString('latin1');

  if (!MINIDUMP_SIGNATURES.includes(signature)) {
    throw new AppError(
      400,
      'bad_request',
      'upload_file_minidump is not a minidump: it must start with the MDMP signature, plain or gzip-compressed',
    );
  }

  let size = 0;
  for await (const chunk of prepend(head, rest)) {
    size += chunk.length;
    if (size > maxBytes) {
      throw new PayloadTooLargeError(`The minidump exceeds the maximum of ${maxBytes} bytes`);
    }
    yield chunk;
  }
}

function gunzip(head: Buffer, rest: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  const input = Readable.from(prepend(head, rest));
  const output = createGunzip();

  input.on('error', (error) => output.destroy(error));
  output.on('error', () => {
    input.destroy();
  });
  input.pipe(output);

  return (async function* () {
    try {
      for await (const chunk of output) {
        yield chunk as Buffer;
      }
    } catch (error) {
      if (error instanceof AppError) {
        throw error;
      }
      const message = error instanceof Error ? error.message : String(error);
      throw new AppError(400, 'bad_request', `Invalid gzip data in the minidump: ${message}`);
    }
  })();
}

/**
 * Reads chunks until at least `length` bytes have arrived or the source ends. Returns them
 * and the rest of the same source.
 */
async function readHead(
  source: AsyncIterable<Buffer>,
  length: number,
): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
  const iterator = source[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let size = 0;

  while (size < length) {
    const next = await iterator.next();
    if (next.done === true) {
      break;
    }
    chunks.push(next.value);
    size += next.value.length;
  }

  const rest = {
    [Symbol.asyncIterator]: () => iterator,
  };
  return { head: Buffer.concat(chunks), rest };
}

async function* prepend(head: Buffer, rest: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  if (head.length > 0) {
    yield head;
  }
  yield* rest;
}
