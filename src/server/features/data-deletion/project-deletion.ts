import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';

/** Rows removed with a project, for the audit log and the logs. */
export interface ProjectDeletion {
  events: number;
  issues: number;
  attachments: number;
  /** Keys of the attachment blobs to delete once the transaction has committed. */
  blobKeys: string[];
}

/**
 * Deletes a project and everything stored for it in one transaction. Most tables cascade from
 * `projects`. The rows deleted here first have no foreign key to it (outcomes, queued records,
 * grouping hashes, scrubbing settings) or are counted for the audit entry.
 */
export async function deleteProjectRows(
  trx: Kysely<Database>,
  projectId: number,
): Promise<ProjectDeletion> {
  const attachments = await trx
    .deleteFrom('eventAttachments')
    .where('projectId', '=', projectId)
    .returning('blobKey')
    .execute();
  const events = await trx
    .deleteFrom('events')
    .where('projectId', '=', projectId)
    .executeTakeFirst();
  await trx.deleteFrom('issueHashes').where('projectId', '=', projectId).execute();
  const issues = await trx
    .deleteFrom('issues')
    .where('projectId', '=', projectId)
    .executeTakeFirst();
  await trx.deleteFrom('outcomes').where('projectId', '=', projectId).execute();
  await trx.deleteFrom('ingestQueue').where('projectId', '=', projectId).execute();
  await trx.deleteFrom('scrubbingSettings').where('projectId', '=', projectId).execute();
  await trx.deleteFrom('projects').where('id', '=', projectId).execute();

  return {
    events: Number(events.numDeletedRows),
    issues: Number(issues.numDeletedRows),
    attachments: attachments.length,
    blobKeys: attachments.map((row) => row.blobKey),
  };
}
