import { sql, type Kysely } from 'kysely';

import type { Database, Db } from '../../platform/db/index.js';

/**
 * Runs `work` unless another process runs the job of the same name, and returns its result, or
 * undefined when the job was skipped. On PostgreSQL the lock is a session advisory lock keyed
 * by the schema and the job name, and `work` gets the one connection that holds it. SQLite has
 * a single writer (the worker thread), so there is nothing to lock.
 */
export async function withJobLock<T>(
  db: Db,
  name: string,
  work: (kysely: Kysely<Database>) => Promise<T>,
): Promise<T | undefined> {
  if (db.dialect === 'sqlite') {
    return work(db.kysely);
  }

  return db.kysely.connection().execute(async (connection) => {
    const key = sql`hashtext(current_schema() || ':' || ${name})`;
    const locked = await sql<{ locked: boolean }>`
      SELECT pg_try_advisory_lock(${key}) AS locked`.execute(connection);
    if (locked.rows[0]?.locked !== true) {
      return undefined;
    }
    try {
      return await work(connection);
    } finally {
      await sql`SELECT pg_advisory_unlock(${key})`.execute(connection);
    }
  });
}
