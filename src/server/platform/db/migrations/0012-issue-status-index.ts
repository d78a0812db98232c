import type { Kysely } from 'kysely';

import type { Dialect } from '../connect.js';

/**
 * Indexes issues by status and substatus, so that the worker's once-a-minute search for issues
 * archived until a time reads only those instead of every issue of every project.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createIndex('issues_status_substatus')
    .on('issues')
    .columns(['status', 'substatus'])
    .execute();
}
