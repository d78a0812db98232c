import { sql, type Kysely, type RawBuilder } from 'kysely';

import type { Database, Dialect } from '../../platform/db/index.js';

/**
 * Rows per DELETE statement. On SQLite each statement is its own transaction, and a batch of
 * this size holds the write lock for tens of milliseconds, so ingest is never blocked for long.
 */
export const BATCH_ROWS: Record<Dialect, number> = { sqlite: 2_000, postgres: 5_000 };

/** When a run stops early, to be continued at the next run. */
export interface Deadline {
  at: number;
  reached: boolean;
}

export function hasTimeLeft(deadline: Deadline): boolean {
  if (Date.now() >= deadline.at) {
    deadline.reached = true;
  }
  return !deadline.reached;
}

export interface BatchDelete {
  /** Table name in SQL (snake_case), from code only, never from input. */
  table: string;
  /** Row filter, such as `received_at < 123`. */
  where: RawBuilder<unknown>;
  /**
   * Column that identifies a row. Without one, SQLite's `rowid` or PostgreSQL's `ctid` is used,
   * which a concurrent update may move; the row is then picked up by the next batch.
   */
  key?: string;
}

/** Deletes matching rows batch by batch until none is left or the deadline passes. */
export async function deleteInBatches(
  db: Kysely<Database>,
  dialect: Dialect,
  target: BatchDelete,
  deadline: Deadline,
): Promise<number> {
  const table = sql.raw(target.table);
  const limit = BATCH_ROWS[dialect];
  let deleted = 0;

  while (hasTimeLeft(deadline)) {
    const statement =
      target.key !== undefined
        ? sql`DELETE FROM ${table} WHERE ${sql.raw(target.key)} IN (
            SELECT ${sql.raw(target.key)} FROM ${table} WHERE ${target.where} LIMIT ${limit})`
        : dialect === 'sqlite'
          ? sql`DELETE FROM ${table} WHERE rowid IN (
              SELECT rowid FROM ${table} WHERE ${target.where} LIMIT ${limit})`
          : sql`DELETE FROM ${table} WHERE ctid = ANY(ARRAY(
              SELECT ctid FROM ${table} WHERE ${target.where} LIMIT ${limit}))`;
    const result = await statement.execute(db);
    const count = Number(result.numAffectedRows ?? 0);
    deleted += count;
    if (count < limit) {
      break;
    }
  }
  return deleted;
}
