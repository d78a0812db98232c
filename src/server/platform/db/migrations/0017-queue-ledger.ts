import type { Kysely } from 'kysely';

import type { Dialect } from '../connect.js';

/**
 * Adds `queue_ledger`, where a worker records the Redis stream ids of the queue records it
 * handled, in the same transaction as what it stored for them. A record delivered again after
 * that commit (a worker died before acknowledging it) is found there and only acknowledged.
 * Rows older than a day are pruned.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('queue_ledger')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('done_at', 'bigint', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('queue_ledger_done_at')
    .on('queue_ledger')
    .column('done_at')
    .execute();
}
