import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';

import { describe, expect, it } from 'vitest';

import { AppError } from '../../platform/errors.js';
import { readBody, type ReadBodyOptions } from './read-body.js';
import { ZSTD_MAX_WINDOW_BYTES } from './zstd-decoder.js';

const KIB = 1024;
const MIB = 1024 * KIB;

const OPTIONS: ReadBodyOptions = {
  contentEncoding: 'zstd',
  maxBytes: 10 * MIB,
  maxWireBytes: 10 * MIB,
  idleTimeoutMs: 5_000,
};

// The text compressed in the two fixtures below, saved as sample.txt without a final newline.
const SAMPLE_TEXT = Array.from(
  { length: 200 },
  (_, index) => `{"message":"line ${index}","level":"${['info', 'warning', 'error'][index % 3]}"}`,
).join('\n');

// `zstd -19 sample.txt` (zstd 1.5.4): single-segment frame with content size and XXH64 checksum.
const SAMPLE_LEVEL_19 =
  'KLUv/WRMHQUMADZZOhiAS1oM6NsJcODYysD8cGV3d+/PgSaa1Ak+ADIALQDX1JJSEtKRURHRNLTrOX7bNf3zauJZMRYMRkIGxUHBIDwGRMqioDiUQUEkjgRRBGUCieKAKIOSGAiNRpIokLqObmpmYl5aVlKek4uKiYiHhoWE4+CeXh7enV0d3Te3ppaGdmZWRraNbWllYV1ZVVEFZ0X19dSriWdF9PTQ+5r4Z/X0//xq4lnR/Dzzrm4u7q1tLe07u6qainpqWkoBq4lnRfv77KuJZ0X6+uiriWdF+fnkq4lnRfj44KuJZ0X399yriWdF9vbYq4kBgMqoEYB1HIb9N/A1DhL4BIETBBIE/rP1HjBwRgWG6e0US/bm2DEqdzr7w18OC39V6e496c+zcFvefPalWLwX3t5SLazym/KSmPg/08J7jKvIE48ne495ZOgGP0TJhjtoZB47TMSH80joBj+JyoY76MgcO0zED/NI6CZ+iEh2yjqVDnbZX+YUL5BpC7CUSQsYeKayCu0Pu3c=';

// `cat sample.txt | zstd -3` (zstd 1.5.4): streamed frame without content size, 2 MiB window.
const SAMPLE_LEVEL_3_STREAMED =
  'KLUv/QRYJQ0AIo8mGpAnaQOVq6rcWqq9DcXudE32Tpki23pqPmcniXc38e5a4t21xLubeHct8e5a4t1NvLuWeHct8e7OzFDi3bVKysnEu2uFhIOJd9fq6OYS767V6fPEu2tl8jjx7lqVOk28u1ZGNpZ4d62Kairx7hIRJd5dOxLHUepgFMZhOCCABJIYMApSIIhiUBBEgExAMQoEKZByMBQUFAKCEIDxqDHZV4b9N6AzUlgdEvgGh0egECQECoUxFEVw2PoB4Uqd4Vizsv7Q1vqLxOrbdXZLy1jURds1u+nktft+wGC1iA5RLzoxamp2z9La+aeb514QnNvX010sYTMfbRfvl5PX7vsBg9UyOUT95MSoqdk9S6vjn26Pe0E0bl9Pd7GEVXy0XbwjTl677wcMVgvhEPWEE6OmVuzcvLAMwG5Y2PevewxrWOjyBEWoK8I2r80ttbBJcLI1BnGlsLZ3QPqiMnB29IRC0GQy6NvyUBlQ+S1EkgDLWDXazIqjwAnrbU7SANnG91q+FaE9+lQR5SNmKsp4Qz3Vm9gzpJgyaP1MZbV2ph+P6FcB7Q+7dw==';

type TestBlock = { type: 'raw'; data: Buffer } | { type: 'rle'; byte: number; size: number };

interface TestFrameOptions {
  /** log2 of the window size, 10 to 41. Default 17 (128 KiB). */
  windowLog?: number;
  /** Declared content size, written as a 4-byte field. */
  contentSize?: number;
  dictionaryId?: number;
}

// Writes a zstd frame (RFC 8878) of raw and RLE blocks, which need no entropy coding.
function zstdFrame(blocks: TestBlock[], options: TestFrameOptions = {}): Buffer {
  const contentSizeFlag = options.contentSize === undefined ? 0 : 2;
  const dictionaryFlag = options.dictionaryId === undefined ? 0 : 1;
  const header = [0x28, 0xb5, 0x2f, 0xfd, (contentSizeFlag << 6) | dictionaryFlag];

  header.push(((options.windowLog ?? 17) - 10) << 3);
  if (options.dictionaryId !== undefined) {
    header.push(options.dictionaryId);
  }
  if (options.contentSize !== undefined) {
    const size = Buffer.alloc(4);
    size.writeUInt32LE(options.contentSize);
    header.push(...size);
  }

  const parts: Buffer[] = [Buffer.from(header)];
  blocks.forEach((block, index) => {
    const isLast = index === blocks.length - 1 ? 1 : 0;
    const size = block.type === 'raw' ? block.data.length : block.size;
    const typeBits = block.type === 'raw' ? 0 : 1;
    const blockHeader = (size << 3) | (typeBits << 1) | isLast;

    parts.push(Buffer.from([blockHeader & 0xff, (blockHeader >> 8) & 0xff, blockHeader >> 16]));
    parts.push(block.type === 'raw' ? block.data : Buffer.from([block.byte]));
  });

  return Buffer.concat(parts);
}

function skippableFrame(data: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(0x184d2a5e, 0);
  header.writeUInt32LE(data.length, 4);
  return Buffer.concat([header, data]);
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

async function readZstd(data: Buffer, options: Partial<ReadBodyOptions> = {}): Promise<Buffer> {
  return readBody(Readable.from([data]), { ...OPTIONS, ...options });
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

describe('readBody with zstd', () => {
  it('decodes a level 19 frame from the zstd CLI', async () => {
    const body = await readZstd(Buffer.from(SAMPLE_LEVEL_19, 'base64'));

    expect(body.toString()).toBe(SAMPLE_TEXT);
  });

  it('decodes a streamed CLI frame byte by byte', async () => {
    const data = Buffer.from(SAMPLE_LEVEL_3_STREAMED, 'base64');

    const body = await readBody(chunkedStream(data, 1), OPTIONS);

    expect(body.toString()).toBe(SAMPLE_TEXT);
  });

  it('round-trips raw and RLE blocks', async () => {
    const frame = zstdFrame([
      { type: 'raw', data: Buffer.from('{"type":"event"}') },
      { type: 'rle', byte: 0x20, size: 5 },
      { type: 'raw', data: Buffer.from('{}') },
    ]);

    const body = await readZstd(frame);

    expect(body.toString()).toBe('{"type":"event"}     {}');
  });

  it('decodes several frames with a skippable frame between them', async () => {
    const data = Buffer.concat([
      zstdFrame([{ type: 'raw', data: Buffer.from('first,') }]),
      skippableFrame(Buffer.from('metadata that is not output')),
      Buffer.from(SAMPLE_LEVEL_19, 'base64'),
    ]);

    const body = await readBody(chunkedStream(data, 5), OPTIONS);

    expect(body.toString()).toBe(`first,${SAMPLE_TEXT}`);
  });

  it('stops a 1 GiB RLE bomb at maxBytes quickly', async () => {
    const blocks: TestBlock[] = Array.from({ length: 8192 }, () => ({
      type: 'rle',
      byte: 0,
      size: 128 * KIB,
    }));
    const bomb = zstdFrame(blocks, { windowLog: 17 });
    const started = performance.now();

    // maxBytes stays under the 8 MiB after which the compression-ratio check would stop it.
    const error = await readError(readZstd(bomb, { maxBytes: 4 * MIB }));

    expect(bomb.length).toBeLessThan(64 * KIB);
    expect(error.status).toBe(413);
    expect(error.detail).toBe(`Decompressed request body exceeds the maximum of ${4 * MIB} bytes`);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('rejects a declared content size over maxBytes before decoding', async () => {
    const frame = zstdFrame([{ type: 'raw', data: Buffer.from('tiny') }], { contentSize: 2 * MIB });

    const error = await readError(readZstd(frame, { maxBytes: MIB }));

    expect(error.status).toBe(413);
    expect(error.detail).toContain(`a zstd frame declares ${2 * MIB} bytes`);
  });

  it('rejects a window over the supported maximum with 400', async () => {
    const frame = zstdFrame([{ type: 'raw', data: Buffer.from('x') }], { windowLog: 31 });

    const error = await readError(readZstd(frame));

    expect(error.status).toBe(400);
    expect(error.detail).toContain(
      `frame window of ${2 ** 31} bytes exceeds the supported ${ZSTD_MAX_WINDOW_BYTES} bytes`,
    );
  });

  it('accepts a window of exactly the supported maximum', async () => {
    const frame = zstdFrame([{ type: 'raw', data: Buffer.from('ok') }], { windowLog: 23 });

    const body = await readZstd(frame);

    expect(body.toString()).toBe('ok');
  });

  it('rejects many tiny blocks in a large window with 400', async () => {
    const blocks: TestBlock[] = Array.from({ length: 100_000 }, () => ({
      type: 'raw',
      data: Buffer.from('x'),
    }));
    const frame = zstdFrame(blocks, { windowLog: 23 });
    const started = performance.now();

    const error = await readError(readZstd(frame));

    expect(error.status).toBe(400);
    expect(error.detail).toContain('too many small blocks');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('rejects a frame that needs a dictionary with 400', async () => {
    const frame = zstdFrame([{ type: 'raw', data: Buffer.from('x') }], { dictionaryId: 7 });

    const error = await readError(readZstd(frame));

    expect(error.status).toBe(400);
    expect(error.detail).toContain('dictionaries are not supported');
  });

  it('rejects data that is not zstd with 400 naming the encoding', async () => {
    const error = await readError(readZstd(Buffer.from('{"type":"event"}')));

    expect(error.status).toBe(400);
    expect(error.detail).toMatch(
      /^Invalid zstd data in the request body: unknown frame magic number/,
    );
  });

  it('rejects a truncated frame with 400', async () => {
    const data = Buffer.from(SAMPLE_LEVEL_3_STREAMED, 'base64');

    const error = await readError(readZstd(data.subarray(0, data.length - 20)));

    expect(error.status).toBe(400);
    expect(error.detail).toMatch(/^Invalid zstd data in the request body: /);
  });

  it('rejects a reserved block type with 400', async () => {
    const frame = zstdFrame([{ type: 'raw', data: Buffer.from('abc') }]);
    // The block header follows the magic (4), descriptor (1) and window (1) bytes. Block type
    // bits 1-2 set to 3 mean reserved.
    frame[6] = frame[6]! | 0b110;

    const error = await readError(readZstd(frame));

    expect(error.detail).toContain('reserved block type');
  });

  it('rejects corrupt compressed blocks with 400', async () => {
    const data = Buffer.from(SAMPLE_LEVEL_19, 'base64');
    for (let index = 20; index < 60; index++) {
      data[index] = 0xff;
    }

    const error = await readError(readZstd(data));

    expect(error.status).toBe(400);
  });
});
