import type fsPromises from 'node:fs/promises';
import { Readable } from 'node:stream';

import yauzl from 'yauzl';

import { BundleError } from './bundle-error.js';

const HEADER_MAGIC = 'SYSB';
const HEADER_BYTES = 8;
const SUPPORTED_VERSIONS = new Set([1, 2]);
const READ_BYTES = 64 * 1024;

/**
 * Checks the 8-byte header of a source bundle: `SYSB` and a little-endian u32 version.
 * @throws BundleError when the file has no such header or another version.
 */
export async function checkHeader(handle: fsPromises.FileHandle, size: number): Promise<void> {
  const header = Buffer.alloc(HEADER_BYTES);
  if (size >= HEADER_BYTES) {
    await handle.read(header, 0, HEADER_BYTES, 0);
  }
  if (size < HEADER_BYTES || header.toString('latin1', 0, 4) !== HEADER_MAGIC) {
    throw new BundleError(
      'The upload is not a source bundle: it does not start with the SYSB header that sentry-cli writes',
    );
  }
  const version = header.readUInt32LE(4);
  if (!SUPPORTED_VERSIONS.has(version)) {
    throw new BundleError(`Source bundle version ${version} is not supported; use 1 or 2`);
  }
}

/**
 * Returns where the ZIP archive starts. sentry-cli 2.58 and 3.8 write ZIP offsets that count
 * from the start of the bundle (0). A writer may also count them from the end of the 8-byte
 * header (8), so both are tried, and the one whose central directory offset points at a central
 * directory signature wins.
 */
export async function findArchiveStart(
  handle: fsPromises.FileHandle,
  size: number,
): Promise<number> {
  const tailSize = Math.min(size, 22 + 0xffff + 20);
  const tail = Buffer.alloc(tailSize);
  await handle.read(tail, 0, tailSize, size - tailSize);
  let eocd = -1;
  for (let index = tailSize - 22; index >= 0; index -= 1) {
    if (tail.readUInt32LE(index) === 0x06054b50) {
      eocd = index;
      break;
    }
  }
  if (eocd < 0) {
    throw new BundleError(
      'The bundle is not a ZIP archive: its end of central directory is missing',
    );
  }

  let directoryOffset = tail.readUInt32LE(eocd + 16);
  const zip64Locator = eocd - 20;
  const isZip64 = directoryOffset === 0xffffffff && zip64Locator >= 0;
  for (const base of [0, HEADER_BYTES]) {
    if (isZip64) {
      const recordOffset = Number(tail.readBigUInt64LE(zip64Locator + 8)) + base;
      const record = await readAt(handle, recordOffset, 56);
      if (record?.readUInt32LE(0) !== 0x06064b50) {
        continue;
      }
      directoryOffset = Number(record.readBigUInt64LE(48));
    }
    const signature = await readAt(handle, directoryOffset + base, 4);
    if (signature?.readUInt32LE(0) === 0x02014b50) {
      return base;
    }
  }
  throw new BundleError('The bundle is not a valid ZIP archive: its central directory is missing');
}

async function readAt(handle: fsPromises.FileHandle, position: number, length: number) {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return bytesRead === length ? buffer : undefined;
}

/**
 * Gives yauzl the bytes of a file from `base` on, so that offsets inside the ZIP need not
 * count the bundle header. Closing the reader closes the file.
 */
export class FileRangeReader extends yauzl.RandomAccessReader {
  readonly #handle: fsPromises.FileHandle;
  readonly #base: number;

  constructor(handle: fsPromises.FileHandle, base: number) {
    super();
    this.#handle = handle;
    this.#base = base;
  }

  // A stream over the handle, because an `fs` read stream closes its descriptor when yauzl
  // destroys it, even with `autoClose: false`.
  override _readStreamForRange(start: number, end: number): Readable {
    const handle = this.#handle;
    const stop = this.#base + end;
    let position = this.#base + start;
    return new Readable({
      highWaterMark: READ_BYTES,
      read(size) {
        const length = Math.min(size, stop - position);
        if (length <= 0) {
          this.push(null);
          return;
        }
        const buffer = Buffer.allocUnsafe(length);
        handle.read(buffer, 0, length, position).then(
          ({ bytesRead }) => {
            position += bytesRead;
            // At an early end of file, yauzl reports the missing bytes.
            this.push(bytesRead === 0 ? null : buffer.subarray(0, bytesRead));
          },
          (error: unknown) => {
            this.destroy(error instanceof Error ? error : new Error(String(error)));
          },
        );
      },
    });
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (error: Error | null, bytesRead?: number) => void,
  ): void {
    this.#handle.read(buffer, offset, length, this.#base + position).then(
      ({ bytesRead }) => {
        callback(null, bytesRead);
      },
      (error: unknown) => {
        callback(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  override close(callback: (error: Error | null) => void): void {
    this.#handle.close().then(
      () => {
        callback(null);
      },
      (error: unknown) => {
        callback(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }
}
