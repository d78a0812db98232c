import type { Kysely } from 'kysely';

import type { ProjectStorage } from '../../../shared/api/retention.js';
import type { Database } from '../../platform/db/index.js';

/**
 * Counts what is stored for a project. The event count and the oldest receipt time come from
 * the (project_id, received_at, id) index; the byte sums read the rows of the project's events
 * and attachments.
 */
export async function readProjectStorage(
  db: Kysely<Database>,
  project: { id: number; maxEvents: number | null },
  retentionDays: number,
): Promise<ProjectStorage> {
  const events = await db
    .selectFrom('events')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('count'),
      eb.fn.sum<number | string | null>('size').as('bytes'),
      eb.fn.min<number | string | null>('receivedAt').as('oldest'),
    ])
    .where('projectId', '=', project.id)
    .executeTakeFirstOrThrow();
  const attachments = await db
    .selectFrom('eventAttachments')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('count'),
      eb.fn.sum<number | string | null>('size').as('bytes'),
    ])
    .where('projectId', '=', project.id)
    .executeTakeFirstOrThrow();

  const eventBytes = Number(events.bytes ?? 0);
  const attachmentBytes = Number(attachments.bytes ?? 0);
  return {
    eventsKept: Number(events.count),
    eventBytes,
    attachmentsKept: Number(attachments.count),
    attachmentBytes,
    bytesKept: eventBytes + attachmentBytes,
    oldestEvent: events.oldest === null ? null : new Date(Number(events.oldest)).toISOString(),
    retentionDays,
    maxEvents: project.maxEvents === null ? null : Number(project.maxEvents),
  };
}

/** Reads a project's event cap. */
export async function readMaxEvents(
  db: Kysely<Database>,
  projectId: number,
): Promise<number | null> {
  const row = await db
    .selectFrom('projects')
    .select('maxEvents')
    .where('id', '=', projectId)
    .executeTakeFirst();
  return row?.maxEvents == null ? null : Number(row.maxEvents);
}
