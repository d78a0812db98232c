import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';

import type { BlobStore } from '../../platform/blobs/index.js';
import type { Database } from '../../platform/db/index.js';

// Keeps each IN list of the reference check well below SQLite's limit of bound parameters.
const KEYS_PER_QUERY = 500;

/**
 * Deletes the blobs of deleted artifact rows, except those another `artifact_files` row still
 * names (a file shared by bundles of several projects). Call it after the rows are gone. A blob
 * that fails to delete is logged and left behind: it then only wastes space.
 */
export async function deleteUnreferencedBlobs(
  db: Kysely<Database>,
  blobs: BlobStore,
  keys: string[],
  log: FastifyBaseLogger,
): Promise<void> {
  const unique = [...new Set(keys)];

  for (let start = 0; start < unique.length; start += KEYS_PER_QUERY) {
    const batch = unique.slice(start, start + KEYS_PER_QUERY);
    const referenced = await db
      .selectFrom('artifactFiles')
      .select('blobKey')
      .where('blobKey', 'in', batch)
      .execute();
    const stillReferenced = new Set(referenced.map((row) => row.blobKey));

    for (const key of batch.filter((candidate) => !stillReferenced.has(candidate))) {
      try {
        await blobs.delete(key);
      } catch (error) {
        log.warn({ err: error, blobKey: key }, 'artifact blob delete failed');
      }
    }
  }
}
