import type { Kysely } from 'kysely';

import type { BlobStore } from '../../platform/blobs/index.js';
import type { Database, Dialect } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logger.js';
import { deleteAttachments } from './attachment-cleanup.js';
import { BATCH_ROWS, hasTimeLeft, type Deadline } from './batch-delete.js';

export interface CapRemoval {
  events: number;
  attachments: number;
}

/**
 * Deletes a project's oldest events (by receipt time) above `maxEvents`, with their
 * attachments, so that the newest `maxEvents` remain.
 */
export async function enforceEventCap(
  db: Kysely<Database>,
  dialect: Dialect,
  project: { id: number; maxEvents: number },
  context: { blobs: BlobStore; log: Logger; deadline: Deadline },
): Promise<CapRemoval> {
  const removal: CapRemoval = { events: 0, attachments: 0 };
  // The newest event past the cap; it and everything older goes. Served by the
  // (project_id, received_at, id) index.
  const boundary = await db
    .selectFrom('events')
    .select(['id', 'receivedAt'])
    .where('projectId', '=', project.id)
    .orderBy('receivedAt', 'desc')
    .orderBy('id', 'desc')
    .offset(project.maxEvents)
    .limit(1)
    .executeTakeFirst();
  if (boundary === undefined) {
    return removal;
  }

  const limit = BATCH_ROWS[dialect];
  while (hasTimeLeft(context.deadline)) {
    const deleted = await db
      .deleteFrom('events')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('events')
          .select('id')
          .where('projectId', '=', project.id)
          .where((inner) =>
            inner.or([
              inner('receivedAt', '<', boundary.receivedAt),
              inner.and([
                inner('receivedAt', '=', boundary.receivedAt),
                inner('id', '<=', boundary.id),
              ]),
            ]),
          )
          .orderBy('receivedAt')
          .orderBy('id')
          .limit(limit),
      )
      .returning('eventId')
      .execute();
    removal.events += deleted.length;

    const eventIds = deleted.map((row) => row.eventId);
    if (eventIds.length > 0) {
      removal.attachments += await deleteAttachments(
        db,
        dialect,
        (eb) => eb.and([eb('projectId', '=', project.id), eb('eventId', 'in', eventIds)]),
        context,
      );
    }
    if (deleted.length < limit) {
      break;
    }
  }
  return removal;
}
