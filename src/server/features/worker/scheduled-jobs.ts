import type { BlobStore } from '../../platform/blobs/index.js';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logger.js';
import { deleteUnusedPayloadDictionaries } from '../events/index.js';
import { unarchiveExpiredIssues } from '../issues/issue-workflow-transitions.js';
import {
  notificationBaseUrl,
  runDigests,
  runWorkflowNotifications,
} from '../notifications/index.js';
import { pruneLedger } from './queue-ledger.js';
import { createEventPartitions, runRetention, withJobLock } from '../retention/index.js';

/** The worker thread's database, configuration, logger and blob store, for scheduled jobs. */
export interface JobContext {
  db: Db;
  config: Config;
  log: Logger;
  blobs: BlobStore;
}

/**
 * A job the worker runs between batches, at most once per interval. Several worker processes
 * may run the same job at the same time, so a job must be safe to run twice at once (or take
 * a lock of its own).
 */
export interface ScheduledJob {
  name: string;
  intervalMs: number;
  run(context: JobContext): Promise<void>;
}

/** The worker's scheduled jobs. New jobs go at the end. */
export const SCHEDULED_JOBS: readonly ScheduledJob[] = [
  {
    name: 'unarchive',
    intervalMs: 60_000,
    run: async ({ db, log }) => {
      const reopened = await unarchiveExpiredIssues(db.kysely);
      if (reopened > 0) {
        log.info({ reopened }, 'unarchived issues whose archive time ran out');
      }
    },
  },
  {
    name: 'queue-ledger-prune',
    intervalMs: 3_600_000,
    run: async ({ db, log }) => {
      const deleted = await pruneLedger(db.kysely, Date.now());
      if (deleted > 0) {
        log.info({ deleted }, 'pruned the redis queue ledger');
      }
    },
  },
  {
    name: 'retention',
    intervalMs: 3_600_000,
    run: async ({ db, config, log, blobs }) => {
      const started = Date.now();
      const run = await runRetention({ db, blobs, log, retentionDays: config.retentionDays });
      if (run === undefined) {
        log.info('retention skipped, another process is running it');
        return;
      }
      const { removed, partitionsDropped, complete } = run;
      const durationMs = Date.now() - started;
      log.info({ removed, partitionsDropped, complete, durationMs }, 'retention run finished');
    },
  },
  {
    name: 'event-partitions',
    intervalMs: 3_600_000,
    run: async ({ db, log }) => {
      if (db.dialect !== 'postgres') {
        return;
      }
      const created = await withJobLock(db, 'event-partitions', (kysely) =>
        createEventPartitions(kysely, Date.now()),
      );
      if (created !== undefined && created.length > 0) {
        log.info({ partitions: created }, 'created event partitions');
      }
    },
  },
  {
    name: 'payload-dictionary-sweep',
    intervalMs: 3_600_000,
    run: async ({ db, log }) => {
      const deleted = await deleteUnusedPayloadDictionaries(db.kysely, Date.now());
      if (deleted > 0) {
        log.info({ deleted }, 'deleted payload dictionaries that no event uses');
      }
    },
  },
  {
    name: 'workflow-notifications',
    // Often, so that assignment, comment, resolution and regression e-mail leaves within seconds.
    intervalMs: 5_000,
    run: async ({ db, config, log }) => {
      const run = await runWorkflowNotifications(db.kysely, {
        baseUrl: notificationBaseUrl(config),
        // NOTE: 15 s is an estimate of the longest transaction that writes issue activity.
        gapGraceMs: db.dialect === 'postgres' ? 15_000 : 0,
      });
      if (run.enqueued > 0) {
        log.info(run, 'enqueued workflow notifications');
      }
    },
  },
  {
    name: 'notification-digests',
    // Each user's daily or weekly period is checked hourly, so a digest leaves within an hour of it.
    intervalMs: 3_600_000,
    run: async ({ db, config, log }) => {
      const run = await runDigests(db.kysely, { baseUrl: notificationBaseUrl(config) });
      if (run.due > 0) {
        log.info(run, 'digest periods ended');
      }
    },
  },
];

/**
 * Runs each job whose interval has passed since its last start (kept in `lastStarts`). A job
 * that fails is logged and tried again at its next interval; it never stops the worker.
 */
export async function runDueJobs(
  context: JobContext,
  lastStarts: Map<string, number>,
  jobs: readonly ScheduledJob[] = SCHEDULED_JOBS,
): Promise<void> {
  for (const job of jobs) {
    const now = Date.now();
    if (now - (lastStarts.get(job.name) ?? 0) < job.intervalMs) {
      continue;
    }
    lastStarts.set(job.name, now);
    try {
      await job.run(context);
    } catch (error) {
      context.log.error({ err: error, job: job.name }, 'scheduled job failed, will retry');
    }
  }
}
