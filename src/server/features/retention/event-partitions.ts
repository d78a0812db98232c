import { sql, type Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';

const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;
// 1970-01-05 was a Monday, so weeks start on Mondays at 00:00 UTC, as in migration 0018.
const FIRST_MONDAY_MS = 4 * DAY_MS;
/** Weeks of partitions kept ready ahead of the current one. */
export const WEEKS_AHEAD = 7;
const NAME_PATTERN = /^events_p(\d{4})(\d{2})(\d{2})$/;

/** A weekly partition of `events` on PostgreSQL, holding `received_at` in [start, end). */
export interface EventPartition {
  name: string;
  start: number;
  end: number;
}

export function weekStart(ms: number): number {
  return Math.floor((ms - FIRST_MONDAY_MS) / WEEK_MS) * WEEK_MS + FIRST_MONDAY_MS;
}

export function partitionName(start: number): string {
  return `events_p${new Date(start).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** Lists the weekly partitions of `events` in the current schema, oldest first. */
export async function listEventPartitions(db: Kysely<Database>): Promise<EventPartition[]> {
  const result = await sql<{ name: string }>`
    SELECT child.relname AS name
    FROM pg_inherits
    JOIN pg_class child ON child.oid = pg_inherits.inhrelid
    JOIN pg_class parent ON parent.oid = pg_inherits.inhparent
    JOIN pg_namespace ON pg_namespace.oid = parent.relnamespace
    WHERE parent.relname = 'events' AND pg_namespace.nspname = current_schema()`.execute(db);

  const partitions: EventPartition[] = [];
  for (const { name } of result.rows) {
    const match = NAME_PATTERN.exec(name);
    if (match === null) {
      continue;
    }
    const start = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    partitions.push({ name, start, end: start + WEEK_MS });
  }
  return partitions.sort((a, b) => a.start - b.start);
}

/**
 * Creates the partitions of the current week and the `weeksAhead` weeks after it that are
 * missing, and returns their names. Rows of a new partition's week that already sit in the
 * default partition (when this job did not run in time) are moved into it first, because
 * PostgreSQL rejects a partition whose rows the default partition holds.
 */
export async function createEventPartitions(
  db: Kysely<Database>,
  now: number,
  weeksAhead = WEEKS_AHEAD,
): Promise<string[]> {
  const existing = new Set((await listEventPartitions(db)).map((partition) => partition.name));
  const created: string[] = [];

  for (let week = 0; week <= weeksAhead; week += 1) {
    const start = weekStart(now) + week * WEEK_MS;
    const name = partitionName(start);
    if (existing.has(name)) {
      continue;
    }
    await db.transaction().execute(async (trx) => {
      await sql`CREATE TABLE ${sql.id(name)} (LIKE events INCLUDING DEFAULTS)`.execute(trx);
      await sql`WITH moved AS (
          DELETE FROM events_default
          WHERE received_at >= ${sql.lit(start)} AND received_at < ${sql.lit(start + WEEK_MS)}
          RETURNING *
        )
        INSERT INTO ${sql.id(name)} SELECT * FROM moved`.execute(trx);
      await sql`ALTER TABLE events ATTACH PARTITION ${sql.id(name)}
        FOR VALUES FROM (${sql.lit(start)}) TO (${sql.lit(start + WEEK_MS)})`.execute(trx);
    });
    created.push(name);
  }
  return created;
}

/**
 * Drops the partitions whose whole week is older than `cutoff` and returns them with the
 * number of events each held. A drop waits at most 5 s for its lock on `events`; one that times
 * out throws, and the next run tries again.
 */
export async function dropExpiredEventPartitions(
  db: Kysely<Database>,
  cutoff: number,
): Promise<{ name: string; events: number }[]> {
  const expired = (await listEventPartitions(db)).filter((partition) => partition.end <= cutoff);
  const dropped: { name: string; events: number }[] = [];

  for (const partition of expired) {
    const events = await db.transaction().execute(async (trx) => {
      await sql`SET LOCAL lock_timeout = '5s'`.execute(trx);
      const count = await sql<{ count: number }>`
        SELECT count(*)::int AS count FROM ${sql.id(partition.name)}`.execute(trx);
      await sql`DROP TABLE ${sql.id(partition.name)}`.execute(trx);
      return count.rows[0]?.count ?? 0;
    });
    dropped.push({ name: partition.name, events });
  }
  return dropped;
}
