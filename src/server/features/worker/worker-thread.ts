import os from 'node:os';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Kysely } from 'kysely';

import { openBlobStore } from '../../platform/blobs/index.js';
import { connectDb, type Database } from '../../platform/db/index.js';
import { createLogger } from '../../platform/logger.js';
import {
  claimPostgresRecords,
  openQueueDb,
  RedisQueueConsumer,
  SqliteQueueReader,
} from '../../platform/queue/index.js';
import { openRedis } from '../../platform/redis/index.js';
import type { OutcomeCount } from '../ingest/outcome-recorder.js';
import { DeliveryRunner } from '../notifications/delivery-runner.js';
import { isDataError } from './data-error.js';
import { BatchStats, type WorkerReport } from './batch-stats.js';
import { notificationBaseUrl } from '../notifications/links.js';
import { addOutcomes, processRecords as storeRecords } from './process-records.js';
import { recordCategory } from './record-processors.js';
import { RedisQueueWorker } from './redis-queue-worker.js';
import { runDueJobs } from './scheduled-jobs.js';

import type { WorkerRunnerOptions } from './worker-runner.js';

const BATCH_SIZE = 500;
const IDLE_DELAY_MS = 10;
const MAX_RETRY_DELAY_MS = 5_000;
const ISOLATE_AFTER_FAILURES = 2;

// The worker role: takes batches from the queue and stores them, in a thread of its own so
// that CPU work and SQLite writes never stall request handling.
const { config, logLevel } = workerData as WorkerRunnerOptions;
const rootLog = createLogger(logLevel);
const log = rootLog.child({ module: 'worker' });
const db = connectDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
const reader =
  db.dialect === 'sqlite' ? new SqliteQueueReader(openQueueDb(config.dataDir)) : undefined;
// Uploaded source maps and minified files, for symbolication.
const blobs = await openBlobStore(config, { checkBucket: false });
let running = true;
// Sends the notification outbox beside the batches, so that slow receivers never hold them up.
const deliveries = new DeliveryRunner({
  db,
  config,
  log: rootLog.child({ module: 'deliveries' }),
  onResult: (channel, result) => {
    parentPort?.postMessage({ notification: { channel, result } } satisfies WorkerReport);
  },
});

// Counts the records of each batch by kind for the parent's Prometheus metrics.
const batchStats = new BatchStats();
// Links in alert messages start here.
const alerts = { baseUrl: notificationBaseUrl(config) };
const processRecords: typeof storeRecords = (trx, dialect, records, batchLog, batchBlobs) => {
  batchStats.countRecords(records);
  return storeRecords(trx, dialect, records, batchLog, batchBlobs, alerts);
};

parentPort?.on('message', (message) => {
  if (message === 'stop') {
    running = false;
  }
});

const QUEUE_POSITION_KEY = 'sqlite_queue_position';
let queuePosition = 0;

async function loadQueuePosition(): Promise<void> {
  const row = await db.kysely
    .selectFrom('workerState')
    .select('value')
    .where('key', '=', QUEUE_POSITION_KEY)
    .executeTakeFirst();
  queuePosition = Number(row?.value ?? 0);
}

/**
 * Records, inside the storing transaction, that every queue record up to `throughId` is done.
 * So a record is stored exactly once even if the process dies right after the commit.
 */
async function saveQueuePosition(trx: Kysely<Database>, throughId: number): Promise<void> {
  await trx
    .insertInto('workerState')
    .values({ key: QUEUE_POSITION_KEY, value: throughId })
    .onConflict((conflict) => conflict.column('key').doUpdateSet({ value: throughId }))
    .execute();
}

function publishQueuePosition(throughId: number): void {
  queuePosition = throughId;
  parentPort?.postMessage({ queuePosition: throughId });
}

// Size of the batch being run, so that after a failure the worker can tell how many records to
// take one at a time.
let attemptedBatchSize = 0;

/** Runs one batch of at most `limit` records; returns how many it took from the queue. */
async function runBatch(limit: number): Promise<number> {
  if (reader !== undefined) {
    const records = reader.peek(queuePosition, limit);
    const last = records.at(-1);
    if (last === undefined) {
      return 0;
    }
    attemptedBatchSize = records.length;

    await db.kysely.transaction().execute(async (trx) => {
      await processRecords(trx, db.dialect, records, log, blobs);
      await saveQueuePosition(trx, last.id);
    });
    publishQueuePosition(last.id);
    return records.length;
  }

  return db.kysely.transaction().execute(async (trx) => {
    const records = await claimPostgresRecords(trx, limit);
    attemptedBatchSize = records.length;
    if (records.length > 0) {
      await processRecords(trx, db.dialect, records, log, blobs);
    }
    return records.length;
  });
}

/**
 * Runs the oldest record alone. When it fails with a data error it is removed from the queue
 * and counted as an `invalid` outcome, so one bad record cannot stop the queue.
 */
async function runOneRecord(): Promise<number> {
  try {
    return await runBatch(1);
  } catch (error) {
    if (!isDataError(error)) {
      throw error;
    }
    const dropped = await dropOldestRecord();
    log.error(
      { err: error, projectId: dropped?.projectId, queueId: dropped?.id },
      'record dropped after failing to store',
    );
    return dropped === undefined ? 0 : 1;
  }
}

async function dropOldestRecord() {
  const invalid = (record: {
    projectId: number;
    receivedAt: number;
    kind: string;
  }): OutcomeCount[] => [
    {
      projectId: record.projectId,
      hour: Math.floor(record.receivedAt / 3_600_000) * 3_600_000,
      outcome: 'invalid',
      reason: 'storage_error',
      category: recordCategory(record.kind),
      quantity: 1,
    },
  ];

  if (reader !== undefined) {
    const [record] = reader.peek(queuePosition, 1);
    if (record !== undefined) {
      await db.kysely.transaction().execute(async (trx) => {
        await addOutcomes(trx, invalid(record));
        await saveQueuePosition(trx, record.id);
      });
      publishQueuePosition(record.id);
    }
    return record;
  }

  return db.kysely.transaction().execute(async (trx) => {
    const [record] = await claimPostgresRecords(trx, 1);
    if (record !== undefined) {
      await addOutcomes(trx, invalid(record));
    }
    return record;
  });
}

async function main(): Promise<void> {
  let failures = 0;
  // Records left to run one at a time: the size of the batch that kept failing.
  let isolating = 0;
  await loadQueuePosition();
  publishQueuePosition(queuePosition);
  deliveries.start();

  const jobState = new Map<string, number>();
  while (running) {
    await runDueJobs({ db, config, log, blobs }, jobState);
    try {
      // After repeated failures the batch may hold a record that can never be stored, so every
      // record of that batch is run alone, and the bad one is dropped when its turn comes.
      if (failures >= ISOLATE_AFTER_FAILURES && isolating === 0) {
        isolating = Math.max(attemptedBatchSize, 1);
      }
      batchStats.start();
      const claimed = isolating > 0 ? await runOneRecord() : await runBatch(BATCH_SIZE);
      isolating = Math.max(isolating - claimed, 0);
      if (claimed === 0) {
        isolating = 0;
      }
      failures = 0;
      if (claimed === 0) {
        await sleep(IDLE_DELAY_MS);
      } else {
        parentPort?.postMessage(batchStats.finish(claimed));
      }
    } catch (error) {
      parentPort?.postMessage({ batchFailed: true });
      failures += 1;
      const delay = Math.min(MAX_RETRY_DELAY_MS, 100 * 2 ** failures);
      log.error({ err: error, attempt: failures, retryInMs: delay }, 'batch failed, will retry');
      await sleep(delay);
    }
  }

  await deliveries.stop();
  await db.close();
  parentPort?.postMessage({ stopped: true });
  parentPort?.close();
}

// A blocking read waits up to a second, so Redis replies may take that long on top.
const REDIS_COMMAND_TIMEOUT_MS = 6_000;

/** Runs the worker loop over the Redis Streams queue (`REDIS_URL`) in place of `main`. */
async function mainRedis(): Promise<void> {
  const redis = openRedis(config, log, {
    connectionName: 'picket-worker',
    commandTimeoutMs: REDIS_COMMAND_TIMEOUT_MS,
  });
  // Unique per thread and process, and readable in `picket queue status`.
  const consumer = new RedisQueueConsumer(redis, `${os.hostname()}-${process.pid}-${threadId}`);
  const queue = new RedisQueueWorker({
    db,
    consumer,
    log,
    blobs,
    reclaimMs: config.queueReclaimSeconds * 1_000,
    maxDeliveries: config.queueMaxDeliveries,
    processRecords,
  });
  let groupReady = false;
  let failures = 0;
  deliveries.start();

  const jobState = new Map<string, number>();
  while (running) {
    await runDueJobs({ db, config, log, blobs }, jobState);
    try {
      // The group is created again after a Redis restart that lost it (NOGROUP).
      if (!groupReady) {
        await consumer.ensureGroup();
        groupReady = true;
      }
      batchStats.start();
      const finished = await queue.runOnce();
      failures = 0;
      if (finished > 0) {
        parentPort?.postMessage(batchStats.finish(finished));
      }
    } catch (error) {
      parentPort?.postMessage({ batchFailed: true });
      failures += 1;
      groupReady &&= !(error instanceof Error && error.message.startsWith('NOGROUP'));
      const delay = Math.min(MAX_RETRY_DELAY_MS, 100 * 2 ** failures);
      log.error({ err: error, attempt: failures, retryInMs: delay }, 'batch failed, will retry');
      await sleep(delay);
    }
  }

  await redis.quit().catch(() => {
    // The connection is down already, so there is nothing left to close.
  });
  await deliveries.stop();
  await db.close();
  parentPort?.postMessage({ stopped: true });
  parentPort?.close();
}

void (config.redisUrl === undefined ? main() : mainRedis());
