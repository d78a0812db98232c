import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsPromises from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

import { BlobNotFoundError, checkBlobKey, type BlobInfo, type BlobStore } from './blob-store.js';

const TEMP_FOLDER = 'tmp';

/**
 * Keeps blobs as files under one root folder. A blob is written to a temporary file in the
 * same file system, synced, renamed into place, and the folder entry is synced too, so that a
 * blob whose `put` resolved survives a crash or power failure.
 */
export class LocalBlobStore implements BlobStore {
  readonly #root: string;

  constructor(root: string) {
    this.#root = path.resolve(root);
  }

  async put(key: string, content: Buffer | AsyncIterable<Buffer>): Promise<BlobInfo> {
    const target = this.#resolve(key);
    const tempFolder = path.join(this.#root, TEMP_FOLDER);
    await fsPromises.mkdir(tempFolder, { recursive: true });
    const tempPath = path.join(tempFolder, `${randomUUID()}.part`);

    try {
      const info = await writeSynced(tempPath, content);
      const folder = path.dirname(target);
      const created = await fsPromises.mkdir(folder, { recursive: true });

      await fsPromises.rename(tempPath, target);
      await syncFolder(folder);
      if (created !== undefined) {
        // New folders are durable only once their own parents record them.
        await syncParents(created, folder, this.#root);
      }
      return info;
    } catch (error) {
      await fsPromises.rm(tempPath, { force: true });
      throw error;
    }
  }

  open(key: string): Promise<Readable> {
    const file = this.#resolve(key);

    return new Promise((resolve, reject) => {
      const stream = fs.createReadStream(file);
      stream.once('open', () => {
        resolve(stream);
      });
      stream.once('error', (error: NodeJS.ErrnoException) => {
        reject(error.code === 'ENOENT' ? new BlobNotFoundError(key) : error);
      });
    });
  }

  async size(key: string): Promise<number | undefined> {
    try {
      return (await fsPromises.stat(this.#resolve(key))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined;
      }
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await fsPromises.rm(this.#resolve(key), { force: true });
  }

  // Keys are checked twice: by pattern, and by the resolved path staying inside the root.
  #resolve(key: string): string {
    checkBlobKey(key);
    const file = path.resolve(this.#root, key);

    if (!file.startsWith(`${this.#root}${path.sep}`)) {
      throw new Error(`Blob key ${JSON.stringify(key)} resolves outside the blob folder`);
    }
    return file;
  }
}

async function writeSynced(
  file: string,
  content: Buffer | AsyncIterable<Buffer>,
): Promise<BlobInfo> {
  const handle = await fsPromises.open(file, 'wx');
  const hash = createHash('sha1');
  let size = 0;

  try {
    const chunks = Buffer.isBuffer(content) ? [content] : content;
    for await (const chunk of chunks) {
      hash.update(chunk);
      size += chunk.length;
      await writeAll(handle, chunk);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }

  return { size, sha1: hash.digest('hex') };
}

async function writeAll(handle: fsPromises.FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await fsPromises.open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Syncs the folders from the parent of `folder` up to the parent of `firstCreated`. */
async function syncParents(firstCreated: string, folder: string, root: string): Promise<void> {
  let current = path.dirname(folder);
  const stop = path.dirname(firstCreated);

  while (current.startsWith(root)) {
    await syncFolder(current);
    if (current === stop) {
      break;
    }
    current = path.dirname(current);
  }
}
