import { sql, type Kysely } from 'kysely';

import type { BlobStore } from '../../platform/blobs/index.js';
import type { Database, Db, Dialect } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logger.js';
import { deleteAttachments } from './attachment-cleanup.js';
import { deleteInBatches, type BatchDelete, type Deadline } from './batch-delete.js';
import { dropExpiredEventPartitions } from './event-partitions.js';
import { withJobLock } from './job-lock.js';
import { enforceEventCap } from './project-caps.js';

const DAY_MS = 86_400_000;
/** Work per run; what is left is deleted at the next run. */
export const RUN_BUDGET_MS = 20_000;

/** What one run of the retention job removed. */
export interface RetentionRun {
  /** Rows (or attachments) removed per table. */
  removed: Record<string, number>;
  /** Partitions of `events` dropped whole (PostgreSQL). */
  partitionsDropped: string[];
  /** False when the run stopped at its time budget with rows left to delete. */
  complete: boolean;
  cutoff: number;
}

export interface RetentionContext {
  db: Db;
  blobs: BlobStore;
  log: Logger;
  retentionDays: number;
}

/**
 * Tables deleted by age alone, with the column that holds their time. Sessions are the hourly
 * release-health rollups and the users seen per release.
 */
function ageTargets(cutoff: number, dialect: Dialect): (BatchDelete & { name: string })[] {
  const before = (column: string) => sql`${sql.raw(column)} < ${cutoff}`;
  return [
    ...(dialect === 'postgres'
      ? [{ name: 'eventIds', table: 'event_ids', where: before('received_at') }]
      : []),
    { name: 'transactions', table: 'transactions', key: 'id', where: before('received_at') },
    { name: 'spans', table: 'spans', key: 'id', where: before('received_at') },
    { name: 'logs', table: 'logs', key: 'id', where: before('received_at') },
    { name: 'feedback', table: 'user_feedback', key: 'id', where: before('created_at') },
    { name: 'outcomes', table: 'outcomes', where: before('hour') },
    { name: 'sessionHours', table: 'release_session_hours', where: before('hour') },
    { name: 'sessionErrors', table: 'release_session_errors', where: before('hour') },
    { name: 'releaseUsers', table: 'release_users', where: before('last_seen') },
    { name: 'issueHourlyCounts', table: 'issue_hourly_counts', where: before('hour') },
  ];
}

/**
 * Deletes what is older than the retention and the events above each project's cap, unless
 * another process is running it. Returns what was removed, or undefined when skipped.
 */
export async function runRetention(
  context: RetentionContext,
  now = Date.now(),
  budgetMs = RUN_BUDGET_MS,
): Promise<RetentionRun | undefined> {
  const cutoff = now - context.retentionDays * DAY_MS;
  const deadline: Deadline = { at: Date.now() + budgetMs, reached: false };

  return withJobLock(context.db, 'retention', async (db) => {
    const run: RetentionRun = { removed: {}, partitionsDropped: [], complete: true, cutoff };
    const add = (name: string, count: number) => {
      run.removed[name] = (run.removed[name] ?? 0) + count;
    };
    const dialect = context.db.dialect;
    const cleanup = { blobs: context.blobs, log: context.log, deadline };

    if (dialect === 'postgres') {
      for (const partition of await dropExpiredEventPartitions(db, cutoff)) {
        run.partitionsDropped.push(partition.name);
        add('events', partition.events);
      }
    }

    const projects = await db.selectFrom('projects').select(['id', 'maxEvents']).execute();
    for (const project of projects) {
      add('events', await deleteExpiredEvents(db, dialect, project.id, cutoff, deadline));
    }
    add(
      'attachments',
      await deleteAttachments(db, dialect, (eb) => eb('createdAt', '<', cutoff), cleanup),
    );

    for (const project of projects) {
      if (project.maxEvents !== null) {
        const capped = { id: project.id, maxEvents: Number(project.maxEvents) };
        const removal = await enforceEventCap(db, dialect, capped, cleanup);
        add('events', removal.events);
        add('attachments', removal.attachments);
      }
    }

    for (const target of ageTargets(cutoff, dialect)) {
      add(target.name, await deleteInBatches(db, dialect, target, deadline));
    }
    for (const project of projects) {
      add('issues', await deleteEmptyIssues(db, dialect, project.id, cutoff, deadline));
    }

    run.complete = !deadline.reached;
    return run;
  });
}

function deleteExpiredEvents(
  db: Kysely<Database>,
  dialect: Dialect,
  projectId: number,
  cutoff: number,
  deadline: Deadline,
): Promise<number> {
  // Per project, so that the (project_id, received_at, id) index yields the oldest rows first.
  return deleteInBatches(
    db,
    dialect,
    {
      table: 'events',
      key: 'id',
      where: sql`project_id = ${projectId} AND received_at < ${cutoff}`,
    },
    deadline,
  );
}

/**
 * Deletes the issues that have no event left and were last seen before the cutoff, as Sentry
 * does. Their hashes, tag values and hourly counts go with them (foreign keys cascade).
 *
 * NOTE: on PostgreSQL a worker may store an event for such an issue while it is deleted. The
 * worker raises `last_seen` in the same transaction, which makes the delete skip the issue,
 * unless the new event's own timestamp is older than the cutoff too.
 */
function deleteEmptyIssues(
  db: Kysely<Database>,
  dialect: Dialect,
  projectId: number,
  cutoff: number,
  deadline: Deadline,
): Promise<number> {
  return deleteInBatches(
    db,
    dialect,
    {
      table: 'issues',
      key: 'id',
      where: sql`project_id = ${projectId} AND last_seen < ${cutoff}
        AND NOT EXISTS (SELECT 1 FROM events WHERE events.issue_id = issues.id)`,
    },
    deadline,
  );
}
