import type { Kysely } from 'kysely';

import type { Dialect } from '../connect.js';

/**
 * Adds `worker_state`, where the embedded worker records the last queue record it stored, in
 * the same transaction as the records themselves.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('worker_state')
    .addColumn('key', 'text', (column) => column.primaryKey())
    .addColumn('value', 'bigint', (column) => column.notNull())
    .execute();
}
