import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';

/** Reads one row of `notification_marks`, or undefined when the key was never written. */
export async function readMark(
  db: Kysely<Database>,
  key: string,
): Promise<{ value: string; updatedAt: number } | undefined> {
  const row = await db
    .selectFrom('notificationMarks')
    .select(['value', 'updatedAt'])
    .where('key', '=', key)
    .executeTakeFirst();
  return row === undefined ? undefined : { value: row.value, updatedAt: Number(row.updatedAt) };
}

/** Reads the notification marks whose key starts with `prefix` (which contains no `%` or `_`). */
export async function readMarks(
  db: Kysely<Database>,
  prefix: string,
): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('notificationMarks')
    .select(['key', 'value'])
    .where('key', 'like', `${prefix}%`)
    .execute();
  return new Map(rows.map((row) => [row.key, row.value]));
}

/**
 * Moves a notification mark from `expected` (undefined when absent) to `next`, and returns
 * whether this call made the change. It is the claim that lets only one of several workers
 * notify: the update matches only the value it read, so a second worker's claim changes no row.
 * Run it in the transaction that enqueues the messages, so a rollback releases the claim.
 */
export async function claimMark(
  trx: Kysely<Database>,
  key: string,
  expected: string | undefined,
  next: string,
  now: number,
): Promise<boolean> {
  if (expected === undefined) {
    const inserted = await trx
      .insertInto('notificationMarks')
      .values({ key, value: next, updatedAt: now })
      .onConflict((conflict) => conflict.column('key').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  const updated = await trx
    .updateTable('notificationMarks')
    .set({ value: next, updatedAt: now })
    .where('key', '=', key)
    .where('value', '=', expected)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}
