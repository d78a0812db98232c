import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';

import type { BlobStore } from '../../platform/blobs/index.js';
import type { Database } from '../../platform/db/index.js';

// Keeps each IN list well below SQLite's limit of bound parameters.
export const IDS_PER_QUERY = 500;

/**
 * Deletes the attachment rows (minidumps included) of events of one project and returns their
 * blob keys, so the caller can delete the blobs once the transaction has committed.
 */
export async function deleteAttachmentRows(
  trx: Kysely<Database>,
  projectId: number,
  eventIds: readonly string[],
): Promise<string[]> {
  const keys: string[] = [];
  for (let start = 0; start < eventIds.length; start += IDS_PER_QUERY) {
    const batch = eventIds.slice(start, start + IDS_PER_QUERY);
    const rows = await trx
      .deleteFrom('eventAttachments')
      .where('projectId', '=', projectId)
      .where('eventId', 'in', batch)
      .returning('blobKey')
      .execute();
    keys.push(...rows.map((row) => row.blobKey));
  }
  return keys;
}

/**
 * Deletes blobs whose rows are gone. A blob that fails to delete is logged with its key and
 * left behind: it is no longer reachable through the API, and only wastes space.
 */
export async function deleteBlobs(
  blobs: BlobStore,
  keys: readonly string[],
  log: FastifyBaseLogger,
): Promise<number> {
  let deleted = 0;
  for (const key of new Set(keys)) {
    try {
      await blobs.delete(key);
      deleted += 1;
    } catch (error) {
      log.warn({ err: error, blobKey: key }, 'blob delete failed, the file stays on disk');
    }
  }
  return deleted;
}
