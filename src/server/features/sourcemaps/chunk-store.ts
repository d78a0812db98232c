import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

import type { Kysely } from 'kysely';

import { createBlobKey, type BlobStore } from '../../platform/blobs/index.js';
import type { Database } from '../../platform/db/index.js';

/** Rejection of one uploaded chunk. `message` is sent to the client as Sentry's `error`. */
export class ChunkUploadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChunkUploadError';
  }
}

// Keeps IN lists well below the bind-parameter limits of SQLite and PostgreSQL.
const QUERY_BATCH = 500;

/**
 * Chunks of the chunk-upload protocol: rows of `upload_chunks`, scoped to an organization and
 * keyed by the SHA-1 of the uncompressed chunk, with the bytes in the blob store.
 */
export class ChunkStore {
  readonly #db: Kysely<Database>;
  readonly #blobs: BlobStore;

  constructor(db: Kysely<Database>, blobs: BlobStore) {
    this.#db = db;
    this.#blobs = blobs;
  }

  /**
   * Stores one chunk whose content streams in, after checking that its SHA-1 is `sha1`. A chunk
   * the organization has already is read to the end, checked the same way and kept once.
   * @throws ChunkUploadError when the content does not hash to `sha1`.
   */
  async store(organizationId: number, sha1: string, content: AsyncIterable<Buffer>) {
    const now = Date.now();
    if ((await this.#findBlobKeys(organizationId, [sha1])).has(sha1)) {
      const hash = createHash('sha1');
      for await (const piece of content) {
        hash.update(piece);
      }
      checkChecksum(sha1, hash.digest('hex'));
      await this.touch(organizationId, [sha1], now);
      return;
    }

    const blobKey = createBlobKey('chunks');
    const info = await this.#blobs.put(blobKey, content);
    if (info.sha1 !== sha1) {
      await this.#blobs.delete(blobKey);
      checkChecksum(sha1, info.sha1);
    }

    const inserted = await this.#db
      .insertInto('uploadChunks')
      .values({ organizationId, sha1, blobKey, size: info.size, dateCreated: now })
      .onConflict((conflict) => conflict.columns(['organizationId', 'sha1']).doNothing())
      .executeTakeFirst();
    // A concurrent upload of the same chunk won the insert, so its blob is the one kept.
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
      await this.#blobs.delete(blobKey);
    }
  }

  /** Returns the checksums of `sha1s` that the organization has not uploaded, in request order. */
  async findMissing(organizationId: number, sha1s: readonly string[]): Promise<string[]> {
    const present = await this.#findBlobKeys(organizationId, sha1s);
    return [...new Set(sha1s)].filter((sha1) => !present.has(sha1));
  }

  /**
   * Opens the chunks in the order given, one after the other, as they are read.
   * @throws ChunkUploadError naming the first chunk that is no longer stored.
   */
  async *open(organizationId: number, sha1s: readonly string[]): AsyncGenerator<Readable> {
    const keys = await this.#findBlobKeys(organizationId, sha1s);
    for (const sha1 of sha1s) {
      const key = keys.get(sha1);
      if (key === undefined) {
        throw new ChunkUploadError(`Chunk ${sha1} is no longer stored; upload it again`);
      }
      yield await this.#blobs.open(key);
    }
  }

  /** Marks chunks as used now, so that cleanup keeps them while an upload refers to them. */
  async touch(organizationId: number, sha1s: readonly string[], now = Date.now()): Promise<void> {
    for (const batch of batches([...new Set(sha1s)])) {
      await this.#db
        .updateTable('uploadChunks')
        .set({ dateCreated: now })
        .where('organizationId', '=', organizationId)
        .where('sha1', 'in', batch)
        .execute();
    }
  }

  /** Deletes chunks last used before `cutoff`, rows first, and returns the number deleted. */
  async deleteUnusedBefore(cutoff: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      const rows = await this.#db
        .selectFrom('uploadChunks')
        .select(['organizationId', 'sha1', 'blobKey'])
        .where('dateCreated', '<', cutoff)
        .limit(QUERY_BATCH)
        .execute();
      if (rows.length === 0) {
        return deleted;
      }

      for (const row of rows) {
        const result = await this.#db
          .deleteFrom('uploadChunks')
          .where('organizationId', '=', row.organizationId)
          .where('sha1', '=', row.sha1)
          .where('dateCreated', '<', cutoff)
          .executeTakeFirst();
        // A chunk touched since the select stays.
        if (Number(result.numDeletedRows) > 0) {
          await this.#blobs.delete(row.blobKey);
          deleted += 1;
        }
      }
    }
  }

  async #findBlobKeys(organizationId: number, sha1s: readonly string[]) {
    const keys = new Map<string, string>();
    for (const batch of batches([...new Set(sha1s)])) {
      const rows = await this.#db
        .selectFrom('uploadChunks')
        .select(['sha1', 'blobKey'])
        .where('organizationId', '=', organizationId)
        .where('sha1', 'in', batch)
        .execute();
      for (const row of rows) {
        keys.set(row.sha1, row.blobKey);
      }
    }
    return keys;
  }
}

function checkChecksum(expected: string, actual: string): void {
  if (expected !== actual) {
    throw new ChunkUploadError(
      `Checksum mismatch: the chunk named ${expected} has the SHA-1 ${actual}; name each chunk by the SHA-1 of its uncompressed bytes`,
    );
  }
}

function batches<T>(items: T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += QUERY_BATCH) {
    result.push(items.slice(start, start + QUERY_BATCH));
  }
  return result;
}
