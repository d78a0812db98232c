/** Decompression bombs: 512 MiB of zeros in each content encoding the ingest routes accept. */
import zlib from 'node:zlib';

export const BOMB_BYTES = 512 * 1024 * 1024;
const CHUNK = Buffer.alloc(1024 * 1024);

/** Streams `BOMB_BYTES` zeros through a zlib compressor and returns the compressed bytes. */
async function compressZeros(
  stream: zlib.Gzip | zlib.Deflate | zlib.BrotliCompress,
): Promise<Buffer> {
  const parts: Buffer[] = [];
  stream.on('data', (part: Buffer) => parts.push(part));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  for (let written = 0; written < BOMB_BYTES; written += CHUNK.length) {
    if (!stream.write(CHUNK)) {
      await new Promise((resolve) => stream.once('drain', resolve));
    }
  }
  stream.end();
  await done;
  return Buffer.concat(parts);
}

/**
 * Builds a zstd frame of `BOMB_BYTES` zeros from RLE blocks (RFC 8878 section 3.1.1.2): each
 * block is a 3-byte header plus the one byte it repeats, 128 KiB per block.
 */
function zstdZeros(): Buffer {
  const blockSize = 128 * 1024;
  const blocks = BOMB_BYTES / blockSize;
  // Magic number, a frame header descriptor with no content size or checksum, and a window
  // descriptor for a 128 KiB window (exponent 7, mantissa 0).
  const parts: Buffer[] = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38])];
  for (let index = 0; index < blocks; index += 1) {
    const last = index === blocks - 1 ? 1 : 0;
    const header = (blockSize << 3) | (1 << 1) | last;
    parts.push(Buffer.from([header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff, 0x00]));
  }
  return Buffer.concat(parts);
}

export interface Bomb {
  name: string;
  encoding: string;
  body: Buffer;
}

/** Returns the bombs: gzip, deflate, br, zstd, and gzip inside gzip. */
export async function buildBombs(): Promise<Bomb[]> {
  const gzip = await compressZeros(zlib.createGzip({ level: 9 }));
  const deflate = await compressZeros(zlib.createDeflate({ level: 9 }));
  const brotli = await compressZeros(
    zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }),
  );
  return [
    { name: 'gzip', encoding: 'gzip', body: gzip },
    { name: 'deflate', encoding: 'deflate', body: deflate },
    { name: 'br', encoding: 'br', body: brotli },
    { name: 'zstd', encoding: 'zstd', body: zstdZeros() },
    { name: 'nested gzip', encoding: 'gzip', body: zlib.gzipSync(gzip) },
  ];
}
