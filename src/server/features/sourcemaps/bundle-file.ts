import { createHash, randomUUID } from 'node:crypto';
import fsPromises from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

import { BundleError } from './bundle-error.js';

/** A file assembled from chunks, with its SHA-1 computed while it was written. */
export interface AssembledFile {
  path: string;
  size: number;
  sha1: string;
}

const TEMP_SUFFIX = '.bundle';

/**
 * Writes the chunks one after the other into a new file in `folder` and hashes them on the
 * way. The file is removed again when writing fails.
 * @throws BundleError when the chunks add up to more than `maxBytes`.
 */
export async function writeAssembledFile(
  folder: string,
  chunks: AsyncIterable<Readable>,
  maxBytes: number,
): Promise<AssembledFile> {
  await fsPromises.mkdir(folder, { recursive: true });
  const file = path.join(folder, `${randomUUID()}${TEMP_SUFFIX}`);
  const handle = await fsPromises.open(file, 'wx');
  const hash = createHash('sha1');
  let size = 0;

  try {
    for await (const chunk of chunks) {
      for await (const piece of chunk) {
        const buffer = piece as Buffer;
        size += buffer.length;
        if (size > maxBytes) {
          throw new BundleError(`The chunks add up to more than the maximum of ${maxBytes} bytes`);
        }
        hash.update(buffer);
        await writeAll(handle, buffer);
      }
    }
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fsPromises.rm(file, { force: true });
    throw error;
  }
  return { path: file, size, sha1: hash.digest('hex') };
}

/**
 * Removes assembled files in `folder` older than `cutoff` (epoch milliseconds): the leftovers
 * of a process that stopped while it assembled. Returns how many it removed.
 */
export async function removeAssembledFilesBefore(folder: string, cutoff: number): Promise<number> {
  let names: string[];
  try {
    names = await fsPromises.readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return 0;
    }
    throw error;
  }

  let removed = 0;
  for (const name of names.filter((candidate) => candidate.endsWith(TEMP_SUFFIX))) {
    const file = path.join(folder, name);
    const stat = await fsPromises.stat(file).catch(() => undefined);
    if (stat !== undefined && stat.mtimeMs < cutoff) {
      await fsPromises.rm(file, { force: true });
      removed += 1;
    }
  }
  return removed;
}

async function writeAll(handle: fsPromises.FileHandle, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset);
    offset += bytesWritten;
  }
}
