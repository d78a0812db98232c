import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import {
  brotliCompressSync,
  constants,
  crc32,
  deflateRawSync,
  deflateSync,
  gzipSync,
} from 'node:zlib';

import { afterEach, describe, expect, it } from 'vitest';

import { AppError } from '../../platform/errors.js';
import {
  MAX_COMPRESSION_RATIO,
  RATIO_CHECK_AFTER_BYTES,
  readBody,
  type ReadBodyOptions,
} from './read-body.js';

const KIB = 1024;
const MIB = 1024 * KIB;

const SAMPLE = Buffer.from(
  Array.from({ length: 400 }, (_, index) => `{"type":"event","line":${index},"text":"Grüße"}`).join(
    '\n',
  ),
);

const OPTIONS: ReadBodyOptions = {
  contentEncoding: undefined,
  maxBytes: 10 * MIB,
  maxWireBytes: 10 * MIB,
  idleTimeoutMs: 5_000,
};

const ENCODERS: Record<string, (data: Buffer) => Buffer> = {
  gzip: (data) => gzipSync(data),
  'x-gzip': (data) => gzipSync(data),
  deflate: (data) => deflateSync(data),
  br: (data) => brotliCompressSync(data),
};

// Delivers `data` in chunks of `chunkSize` bytes, one chunk per event-loop turn.
function chunkedStream(data: Buffer, chunkSize: number): Readable {
  async function* chunks() {
    for (let offset = 0; offset < data.length; offset += chunkSize) {
      await nextTurn();
      yield data.subarray(offset, offset + chunkSize);
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

async function readError(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) {
      return error;
    }
    throw error;
  }
  throw new Error('readBody resolved, expected a rejection');
}

// A gzip body that inflates to `mebibytes` MiB of zeros. Each 1 MiB segment is compressed with
// a full flush, which byte-aligns it and drops references to earlier data, so one compressed
// segment can be repeated instead of compressing the whole size.
function gzipZeroBomb(mebibytes: number): Buffer {
  const zeros = Buffer.alloc(MIB);
  const segment = deflateRawSync(zeros, { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const finalBlock = deflateRawSync(Buffer.alloc(0));
  const trailer = Buffer.alloc(8);
  let crc = 0;

  for (let index = 0; index < mebibytes; index++) {
    crc = crc32(zeros, crc);
  }
  trailer.writeUInt32LE(crc, 0);
  trailer.writeUInt32LE((mebibytes * MIB) % 2 ** 32, 4);

  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  return Buffer.concat([header, ...Array<Buffer>(mebibytes).fill(segment), finalBlock, trailer]);
}

describe('readBody', () => {
  it('returns a body without encoding', async () => {
    const body = await readBody(Readable.from([SAMPLE]), OPTIONS);

    expect(body.equals(SAMPLE)).toBe(true);
  });

  it.each([undefined, '', 'identity', 'UTF-8', 'utf-8', ' Identity '])(
    'treats Content-Encoding %j as no encoding',
    async (contentEncoding) => {
      const body = await readBody(Readable.from([SAMPLE]), { ...OPTIONS, contentEncoding });

      expect(body.equals(SAMPLE)).toBe(true);
    },
  );

  it('reads a body delivered one byte at a time', async () => {
    const data = SAMPLE.subarray(0, 300);

    const body = await readBody(chunkedStream(data, 1), OPTIONS);

    expect(body.equals(data)).toBe(true);
  });

  it('reads string chunks as UTF-8', async () => {
    const body = await readBody(
      Readable.from(['Grüße', ' ', 'ok'], { objectMode: false }),
      OPTIONS,
    );

    expect(body.toString()).toBe('Grüße ok');
  });

  it.each(Object.keys(ENCODERS))('decodes %s delivered in 7-byte chunks', async (encoding) => {
    const encoded = ENCODERS[encoding]!(SAMPLE);

    const body = await readBody(chunkedStream(encoded, 7), {
      ...OPTIONS,
      contentEncoding: encoding,
    });

    expect(body.equals(SAMPLE)).toBe(true);
  });

  it('matches the encoding name case-insensitively', async () => {
    const body = await readBody(Readable.from([gzipSync(SAMPLE)]), {
      ...OPTIONS,
      contentEncoding: ' GZIP ',
    });

    expect(body.equals(SAMPLE)).toBe(true);
  });

  it('decodes raw deflate without a zlib header', async () => {
    const body = await readBody(Readable.from([deflateRawSync(SAMPLE)]), {
      ...OPTIONS,
      contentEncoding: 'deflate',
    });

    expect(body.equals(SAMPLE)).toBe(true);
  });

  it.each([
    ['zlib-wrapped', deflateSync],
    ['raw', deflateRawSync],
  ])('decodes %s deflate delivered one byte at a time', async (_name, encode) => {
    const body = await readBody(chunkedStream(encode(SAMPLE), 1), {
      ...OPTIONS,
      contentEncoding: 'deflate',
    });

    expect(body.equals(SAMPLE)).toBe(true);
  });

  it('decodes concatenated gzip members', async () => {
    const encoded = Buffer.concat([gzipSync('first,'), gzipSync('second')]);

    const body = await readBody(Readable.from([encoded]), { ...OPTIONS, contentEncoding: 'gzip' });

    expect(body.toString()).toBe('first,second');
  });

  it.each(['gzip', 'deflate', 'br', 'zstd'])(
    'returns an empty %s body as empty',
    async (encoding) => {
      const body = await readBody(Readable.from([]), { ...OPTIONS, contentEncoding: encoding });

      expect(body.length).toBe(0);
    },
  );

  it.each(['compress', 'xz', 'gzip, br', 'chunked'])(
    'rejects Content-Encoding %j with 415',
    async (contentEncoding) => {
      const error = await readError(
        readBody(Readable.from([SAMPLE]), { ...OPTIONS, contentEncoding }),
      );

      expect(error.status).toBe(415);
      expect(error.code).toBe('unsupported_media_type');
      expect(error.detail).toContain(JSON.stringify(contentEncoding));
    },
  );

  describe('limits', () => {
    it('rejects a body over maxWireBytes with 413', async () => {
      const error = await readError(
        readBody(chunkedStream(SAMPLE, 1000), { ...OPTIONS, maxWireBytes: 5000 }),
      );

      expect(error.status).toBe(413);
      expect(error.detail).toBe('Request body exceeds the maximum of 5000 bytes as sent');
    });

    it('rejects compressed body over maxWireBytes', async () => {
      const encoded = gzipSync(SAMPLE);

      const error = await readError(
        readBody(chunkedStream(encoded, 100), {
          ...OPTIONS,
          contentEncoding: 'gzip',
          maxWireBytes: encoded.length - 1,
        }),
      );

      expect(error.status).toBe(413);
    });

    it('rejects an unencoded body over maxBytes with 413', async () => {
      const error = await readError(
        readBody(Readable.from([SAMPLE]), { ...OPTIONS, maxBytes: 100 }),
      );

      expect(error.status).toBe(413);
      expect(error.code).toBe('payload_too_large');
      expect(error.detail).toBe('Request body exceeds the maximum of 100 bytes');
    });

    it('accepts a body of exactly maxBytes', async () => {
      const body = await readBody(chunkedStream(SAMPLE, 999), {
        ...OPTIONS,
        maxBytes: SAMPLE.length,
      });

      expect(body.length).toBe(SAMPLE.length);
    });

    it('accepts gzip of exactly maxBytes', async () => {
      const body = await readBody(Readable.from([gzipSync(SAMPLE)]), {
        ...OPTIONS,
        contentEncoding: 'gzip',
        maxBytes: SAMPLE.length,
      });

      expect(body.length).toBe(SAMPLE.length);
    });

    it('rejects gzip one byte over maxBytes', async () => {
      const error = await readError(
        readBody(Readable.from([gzipSync(SAMPLE)]), {
          ...OPTIONS,
          contentEncoding: 'gzip',
          maxBytes: SAMPLE.length - 1,
        }),
      );

      expect(error.detail).toBe(
        `Decompressed request body exceeds the maximum of ${SAMPLE.length - 1} bytes`,
      );
    });

    it('stops a 1 GiB gzip bomb quickly', async () => {
      const bomb = gzipZeroBomb(1024);
      const baselineRss = process.memoryUsage.rss();
      let peakRss = baselineRss;
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage.rss());
      }, 2);
      const started = performance.now();

      const error = await readError(
        readBody(chunkedStream(bomb, 64 * KIB), {
          ...OPTIONS,
          contentEncoding: 'gzip',
          maxBytes: 16 * MIB,
        }),
      );
      const elapsedMs = performance.now() - started;
      clearInterval(sampler);
      peakRss = Math.max(peakRss, process.memoryUsage.rss());

      expect(bomb.length).toBeLessThan(2 * MIB);
      expect(error.status).toBe(413);
      // Inflating the whole GiB took 2.4 s on a 2-core development machine.
      expect(elapsedMs).toBeLessThan(1000);
      expect(peakRss - baselineRss).toBeLessThan(200 * MIB);
    });

    it('refuses a body that inflates past the compression ratio before maxBytes', async () => {
      const error = await readError(
        readBody(chunkedStream(gzipZeroBomb(64), 64 * KIB), {
          ...OPTIONS,
          contentEncoding: 'gzip',
          maxBytes: 100 * MIB,
        }),
      );

      expect(error.status).toBe(413);
      expect(error.message).toContain(`${MAX_COMPRESSION_RATIO} times its compressed size`);
    });

    it('accepts well-compressed text larger than the ratio check threshold', async () => {
      // Repeated log lines with a counter compress far less than zeros.
      const lines = Array.from({ length: 200_000 }, (_, index) => `line ${index} ok\n`).join('');
      const text = Buffer.from(lines);
      expect(text.length).toBeGreaterThan(RATIO_CHECK_AFTER_BYTES / 4);
      const body = await readBody(
        chunkedStream(gzipSync(Buffer.concat([text, text, text, text, text])), 64 * KIB),
        {
          ...OPTIONS,
          contentEncoding: 'gzip',
          maxBytes: 100 * MIB,
        },
      );

      expect(body.length).toBe(text.length * 5);
    });

    it('stops inflating once it rejects a bomb', async () => {
      // The whole bomb is written to the decoder at once, so only destroying the decoder stops
      // it from inflating the full GiB in the background. process.cpuUsage() counts the whole
      // process, which holds only this test file in vitest's default forks pool.
      await readError(
        readBody(Readable.from([gzipZeroBomb(1024)]), {
          ...OPTIONS,
          contentEncoding: 'gzip',
          maxBytes: MIB,
        }),
      );
      await sleep(50);
      const cpuBefore = process.cpuUsage();

      await sleep(500);
      const cpu = process.cpuUsage(cpuBefore);

      expect((cpu.user + cpu.system) / 1000).toBeLessThan(150);
    });

    it('builds a gzip bomb that is valid gzip', async () => {
      const body = await readBody(Readable.from([gzipZeroBomb(4)]), {
        ...OPTIONS,
        contentEncoding: 'gzip',
      });

      expect(body.length).toBe(4 * MIB);
      expect(body.every((byte) => byte === 0)).toBe(true);
    });

    it.each([
      ['deflate', (data: Buffer) => deflateSync(data)],
      [
        'br',
        (data: Buffer) =>
          brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } }),
      ],
    ])('stops a %s bomb at maxBytes', async (encoding, encode) => {
      const bomb = encode(Buffer.alloc(64 * MIB));

      const error = await readError(
        readBody(Readable.from([bomb]), { ...OPTIONS, contentEncoding: encoding, maxBytes: MIB }),
      );

      expect(error.status).toBe(413);
    });
  });

  describe('invalid data', () => {
    it.each([
      ['gzip', Buffer.from('this is not gzip data')],
      ['gzip', gzipSync(SAMPLE).subarray(0, 50)],
      ['deflate', Buffer.from([0x78, 0x9c, 0xff, 0xff, 0xff, 0x00])],
      ['br', Buffer.from('this is not brotli data at all')],
    ])(
      'rejects corrupt or truncated %s data with 400 naming the encoding',
      async (encoding, data) => {
        const error = await readError(
          readBody(Readable.from([data]), { ...OPTIONS, contentEncoding: encoding }),
        );

        expect(error.status).toBe(400);
        expect(error.code).toBe('bad_request');
        expect(error.detail).toMatch(new RegExp(`^Invalid ${encoding} data in the request body: `));
      },
    );

    it('rejects gzip with a wrong checksum with 400', async () => {
      const data = gzipSync(SAMPLE);
      data[data.length - 8] = (data[data.length - 8]! + 1) % 256;

      const error = await readError(
        readBody(Readable.from([data]), { ...OPTIONS, contentEncoding: 'gzip' }),
      );

      expect(error.status).toBe(400);
    });
  });

  describe('stream failures', () => {
    const streams: PassThrough[] = [];

    afterEach(() => {
      for (const stream of streams.splice(0)) {
        stream.destroy();
      }
    });

    function openStream(): PassThrough {
      const stream = new PassThrough();
      streams.push(stream);
      return stream;
    }

    it('rejects with 408 when no data arrives for idleTimeoutMs', async () => {
      const stream = openStream();
      stream.write('{}\n');

      const error = await readError(readBody(stream, { ...OPTIONS, idleTimeoutMs: 50 }));

      expect(error.status).toBe(408);
      expect(error.code).toBe('request_timeout');
      expect(error.detail).toBe('Request body timed out: no data received for 50 ms');
    });

    it('restarts the idle timeout with every chunk', async () => {
      const stream = openStream();
      const reading = readBody(stream, { ...OPTIONS, idleTimeoutMs: 80 });

      for (let index = 0; index < 8; index++) {
        await sleep(30);
        stream.write('x');
      }
      stream.end();

      expect((await reading).toString()).toBe('xxxxxxxx');
    });

    it('leaves the stream paused after failure', async () => {
      const stream = openStream();
      stream.write('{}');

      await readError(readBody(stream, { ...OPTIONS, idleTimeoutMs: 20 }));

      expect(stream.isPaused()).toBe(true);
      expect(stream.listenerCount('data')).toBe(0);
      expect(stream.listenerCount('error')).toBe(0);
    });

    it('rejects with 400 when the stream fails', async () => {
      const stream = openStream();
      const reading = readBody(stream, OPTIONS);

      stream.destroy(new Error('socket hang up'));
      const error = await readError(reading);

      expect(error.status).toBe(400);
      expect(error.detail).toBe('Failed to read the request body: socket hang up');
    });

    it('rejects with 400 when the stream closes before its end', async () => {
      const stream = openStream();
      const reading = readBody(stream, OPTIONS);

      stream.write('{"partial":');
      stream.destroy();
      const error = await readError(reading);

      expect(error.status).toBe(400);
      expect(error.detail).toBe('Request body stream closed before the body ended');
    });
  });

  describe('over HTTP', () => {
    let server: Server | undefined;

    afterEach(async () => {
      if (server !== undefined) {
        server.close();
        await once(server, 'close');
        server = undefined;
      }
    });

    it('reads a chunked gzip request body from a Node HTTP server', async () => {
      const received: { transferEncoding?: string; body?: Buffer } = {};
      server = createServer((incoming, response) => {
        received.transferEncoding = incoming.headers['transfer-encoding'];
        readBody(incoming, {
          ...OPTIONS,
          contentEncoding: incoming.headers['content-encoding'],
        }).then(
          (body) => {
            received.body = body;
            response.end('ok');
          },
          () => {
            response.statusCode = 400;
            response.end();
          },
        );
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const { port } = server.address() as AddressInfo;

      const clientRequest = request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/42/envelope/',
        headers: { 'content-encoding': 'gzip' },
      });
      const encoded = gzipSync(SAMPLE);
      for (let offset = 0; offset < encoded.length; offset += 100) {
        clientRequest.write(encoded.subarray(offset, offset + 100));
        await sleep(1);
      }
      clientRequest.end();
      const [response] = (await once(clientRequest, 'response')) as [
        NodeJS.ReadableStream & { statusCode: number },
      ];
      response.resume();

      expect(response.statusCode).toBe(200);
      expect(received.transferEncoding).toBe('chunked');
      expect(received.body?.equals(SAMPLE)).toBe(true);
    });
  });
});
