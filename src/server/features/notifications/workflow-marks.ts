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

/**
 * Moves a mark from `expected` (undefined for a key never written) to `value` and returns whether
 * this call did it. Two processes that read the same mark both try, and only one succeeds: on
 * PostgreSQL the second waits for the first transaction's row lock, then finds the value changed.
 * A caller that writes the mark first in its transaction therefore claims the work it covers.
 */
export async function claimMark(
  db: Kysely<Database>,
  key: string,
  expected: string | undefined,
  value: string,
  now: number,
): Promise<boolean> {
  if (expected === undefined) {
    const inserted = await db
      .insertInto('notificationMarks')
      .values({ key, value, updatedAt: now })
      .onConflict((conflict) => conflict.column('key').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  const updated = await db
    .updateTable('notificationMarks')
    .set({ value, updatedAt: now })
    .where('key', '=', key)
    .where('value', '=', expected)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}
