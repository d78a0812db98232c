import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import type { QueueLedgerTables } from '../../platform/db/tables/queue-ledger.js';

/**
 * How long a ledger row is kept. A row matters only between a commit and the acknowledgement of
 * its records in Redis, which the worker retries within seconds.
 */
export const LEDGER_RETENTION_MS = 24 * 60 * 60 * 1_000;

/**
 * Records stream ids in the ledger inside the caller's transaction and returns those that were
 * not there yet, which the caller must process. Ids already in the ledger were committed by an
 * earlier delivery. When two workers record the same id at once, PostgreSQL makes the second
 * wait for the first's commit, so only one of them gets it back.
 */
export async function claimLedgerIds(
  trx: Kysely<Database>,
  streamIds: readonly string[],
  now: number,
): Promise<Set<string>> {
  if (streamIds.length === 0) {
    return new Set();
  }

  const rows = await trx
    .withTables<QueueLedgerTables>()
    .insertInto('queueLedger')
    .values(streamIds.map((id) => ({ id, doneAt: now })))
    .onConflict((conflict) => conflict.column('id').doNothing())
    .returning('id')
    .execute();
  return new Set(rows.map((row) => row.id));
}

/** Deletes ledger rows older than `LEDGER_RETENTION_MS` and returns how many it deleted. */
export async function pruneLedger(db: Kysely<Database>, now: number): Promise<number> {
  const result = await db
    .withTables<QueueLedgerTables>()
    .deleteFrom('queueLedger')
    .where('doneAt', '<', now - LEDGER_RETENTION_MS)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
