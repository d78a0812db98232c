import type { Kysely } from 'kysely';

import type { Dialect } from '../connect.js';

/**
 * Indexes `monitor_check_ins` by environment and status, so that finding the latest in-progress
 * check-in of an environment (for a check-in sent without an id) seeks to it instead of reading
 * every check-in of the environment.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createIndex('monitor_check_ins_env_status_date')
    .on('monitor_check_ins')
    .columns(['monitor_environment_id', 'status', 'date_created', 'id'])
    .execute();
}
