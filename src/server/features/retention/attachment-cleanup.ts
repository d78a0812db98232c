import type { ExpressionBuilder, ExpressionWrapper, Kysely, SqlBool } from 'kysely';

import type { BlobStore } from '../../platform/blobs/index.js';
import type { Database, Dialect } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logger.js';
import { BATCH_ROWS, hasTimeLeft, type Deadline } from './batch-delete.js';

type AttachmentFilter = (
  eb: ExpressionBuilder<Database, 'eventAttachments'>,
) => ExpressionWrapper<Database, 'eventAttachments', SqlBool>;

/**
 * Deletes the attachments that match `filter`, rows first and then their blobs, and returns how
 * many rows went. A blob whose delete fails is logged and left behind: the row is gone, so no
 * reader can reach it, and it only costs space.
 */
export async function deleteAttachments(
  db: Kysely<Database>,
  dialect: Dialect,
  filter: AttachmentFilter,
  context: { blobs: BlobStore; log: Logger; deadline: Deadline },
): Promise<number> {
  let deleted = 0;

  while (hasTimeLeft(context.deadline)) {
    const rows = await db
      .selectFrom('eventAttachments')
      .select(['id', 'blobKey'])
      .where(filter)
      .limit(BATCH_ROWS[dialect])
      .execute();
    if (rows.length === 0) {
      break;
    }

    await db
      .deleteFrom('eventAttachments')
      .where(
        'id',
        'in',
        rows.map((row) => row.id),
      )
      .execute();
    deleted += rows.length;
    await deleteBlobs(
      rows.map((row) => row.blobKey),
      context,
    );
    if (rows.length < BATCH_ROWS[dialect]) {
      break;
    }
  }
  return deleted;
}

async function deleteBlobs(keys: string[], context: { blobs: BlobStore; log: Logger }) {
  for (const key of keys) {
    try {
      await context.blobs.delete(key);
    } catch (error) {
      context.log.warn({ err: error, blobKey: key }, 'attachment blob delete failed, blob left');
    }
  }
}
