import { sql, type Kysely } from 'kysely';

import type { Dialect } from '../connect.js';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
// 1970-01-05 was a Monday, so weeks start on Mondays at 00:00 UTC.
const FIRST_MONDAY_MS = 4 * DAY_MS;
/** Weeks created ahead of the current one; the `event-partitions` job keeps this many. */
const WEEKS_AHEAD = 7;
/** Rows older than this many weeks go to the default partition instead of one of their own. */
const MAX_WEEKS_BACK = 104;
const COPY_BATCH_ROWS = 10_000;

/**
 * Adds the per-project cap on stored events (`projects.max_events`), the indexes the retention
 * job deletes by, and on PostgreSQL turns `events` into a table partitioned by week.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema.alterTable('projects').addColumn('max_events', 'bigint').execute();

  if (dialect === 'postgres') {
    await partitionEvents(db);
  } else {
    await db.schema
      .createIndex('events_project_received')
      .on('events')
      .columns(['project_id', 'received_at', 'id'])
      .execute();
  }

  await db.schema
    .createIndex('transactions_received')
    .on('transactions')
    .column('received_at')
    .execute();
  await db.schema.createIndex('spans_received').on('spans').column('received_at').execute();
  await db.schema.createIndex('logs_received').on('logs').column('received_at').execute();
  await db.schema
    .createIndex('event_attachments_created')
    .on('event_attachments')
    .column('created_at')
    .execute();
}

function weekStart(ms: number): number {
  return Math.floor((ms - FIRST_MONDAY_MS) / WEEK_MS) * WEEK_MS + FIRST_MONDAY_MS;
}

function partitionName(start: number): string {
  return `events_p${new Date(start).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/**
 * Rebuilds `events` as a table partitioned by RANGE on `received_at`, one partition per week
 * plus a default one, and copies the rows over in batches.
 *
 * The partition key is `received_at`, the time the server accepted the event, and not the
 * SDK's `timestamp`: a client clock can be years off, which would put new rows in partitions
 * that retention has already dropped or in the default partition. Retention is defined by
 * receipt time too, so a whole week's partition can be dropped once it has passed the cutoff.
 *
 * A primary key on a partitioned table must contain the partition key, so the unique
 * (project_id, event_id) constraint cannot stay. Duplicate protection moves to `event_ids`, an
 * unpartitioned table keyed by (project_id, event_id) that the worker inserts into first.
 *
 * The migration runs in one transaction and holds `events` locked until it commits, so writers
 * wait (ingest keeps accepting into the queue meanwhile).
 */
async function partitionEvents(db: Kysely<unknown>): Promise<void> {
  const indexes = await sql<{ indexname: string; indexdef: string }>`
    SELECT indexname, indexdef FROM pg_indexes
    WHERE schemaname = current_schema() AND tablename = 'events'`.execute(db);

  await sql`ALTER TABLE events RENAME TO events_unpartitioned`.execute(db);
  for (const index of indexes.rows) {
    // Index names are unique per schema. Renaming a constraint's index renames the constraint.
    await sql`ALTER INDEX ${sql.id(index.indexname)} RENAME TO ${sql.id(`${index.indexname}_old`)}`.execute(
      db,
    );
  }

  await sql`CREATE TABLE events (LIKE events_unpartitioned INCLUDING DEFAULTS)
    PARTITION BY RANGE (received_at)`.execute(db);
  await sql`ALTER SEQUENCE events_id_seq OWNED BY events.id`.execute(db);
  await sql`ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (id, received_at)`.execute(
    db,
  );
  await sql`ALTER TABLE events ADD CONSTRAINT events_project_id_fkey
    FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE`.execute(db);
  await sql`ALTER TABLE events ADD CONSTRAINT events_issue_id_fkey
    FOREIGN KEY (issue_id) REFERENCES issues (id) ON DELETE CASCADE`.execute(db);

  // The other indexes are recreated as they were, on the partitioned table, which gives each
  // partition its own copy. Unique indexes cannot be, as they lack the partition key.
  for (const index of indexes.rows) {
    if (!/^CREATE UNIQUE INDEX/i.test(index.indexdef)) {
      await sql.raw(index.indexdef).execute(db);
    }
  }
  await sql`CREATE INDEX events_project_event_id ON events (project_id, event_id)`.execute(db);
  await sql`CREATE INDEX events_project_received ON events (project_id, received_at, id)`.execute(
    db,
  );

  await createPartitions(db);
  await createEventIds(db);
  await copyRows(db);
  await sql`DROP TABLE events_unpartitioned`.execute(db);
}

async function createPartitions(db: Kysely<unknown>): Promise<void> {
  const oldest = await sql<{ oldest: string | number | null }>`
    SELECT min(received_at) AS oldest FROM events_unpartitioned`.execute(db);
  const now = Date.now();
  const oldestRow = oldest.rows[0]?.oldest;
  const first = weekStart(
    Math.max(oldestRow == null ? now : Number(oldestRow), now - MAX_WEEKS_BACK * WEEK_MS),
  );
  const last = weekStart(now) + WEEKS_AHEAD * WEEK_MS;

  for (let start = first; start <= last; start += WEEK_MS) {
    await sql`CREATE TABLE ${sql.id(partitionName(start))} PARTITION OF events
      FOR VALUES FROM (${sql.lit(start)}) TO (${sql.lit(start + WEEK_MS)})`.execute(db);
  }
  await sql`CREATE TABLE events_default PARTITION OF events DEFAULT`.execute(db);
}

async function createEventIds(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE event_ids (
    project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    event_id text NOT NULL,
    received_at bigint NOT NULL,
    CONSTRAINT event_ids_pkey PRIMARY KEY (project_id, event_id)
  )`.execute(db);
  await sql`CREATE INDEX event_ids_received ON event_ids (received_at)`.execute(db);
}

/**
 * Copies rows in id order, a batch per statement, so that memory use stays flat. Result columns
 * are single words, because the caller's CamelCasePlugin renames snake_case ones.
 */
async function copyRows(db: Kysely<unknown>): Promise<void> {
  let lastId = 0;
  for (;;) {
    const result = await sql<{ last: string | number | null }>`
      WITH batch AS (
        SELECT * FROM events_unpartitioned WHERE id > ${lastId} ORDER BY id LIMIT ${COPY_BATCH_ROWS}
      ), copied AS (
        INSERT INTO events SELECT * FROM batch
      ), claimed AS (
        INSERT INTO event_ids (project_id, event_id, received_at)
        SELECT project_id, event_id, received_at FROM batch
      )
      SELECT max(id) AS last FROM batch`.execute(db);
    const batchLastId = result.rows[0]?.last;
    if (batchLastId == null) {
      return;
    }
    lastId = Number(batchLastId);
  }
}
