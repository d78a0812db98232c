import type { Insertable, Kysely } from 'kysely';

import type { Database, IssuesTable } from '../../platform/db/index.js';

/** What a new issue takes from its first events; the rest starts empty. */
export type NewIssue = Pick<
  Insertable<IssuesTable>,
  | 'title'
  | 'culprit'
  | 'type'
  | 'level'
  | 'platform'
  | 'metadata'
  | 'firstSeen'
  | 'lastSeen'
  | 'firstRelease'
  | 'lastRelease'
>;

/**
 * Creates an unresolved, new issue with the project's next short id and no events counted yet.
 * Runs inside the caller's transaction, which also holds the project's row lock until it ends.
 */
export async function insertNewIssue(
  trx: Kysely<Database>,
  projectId: number,
  issue: NewIssue,
): Promise<number> {
  const project = await trx
    .updateTable('projects')
    .set((eb) => ({ nextShortId: eb('nextShortId', '+', 1) }))
    .where('id', '=', projectId)
    .returning('nextShortId')
    .executeTakeFirstOrThrow();

  const created = await trx
    .insertInto('issues')
    .values({
      ...issue,
      projectId,
      shortIdNumber: Number(project.nextShortId) - 1,
      status: 'unresolved',
      substatus: 'new',
      timesSeen: 0,
      userCount: 0,
      resolvedAt: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(created.id);
}
