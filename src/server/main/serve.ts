import fs from 'node:fs';

import type { FastifyInstance } from 'fastify';

import { OutcomeRecorder } from '../features/ingest/outcome-recorder.js';
import { PicketMetrics } from '../features/operations/index.js';
import { WorkerRunner } from '../features/worker/index.js';
import { openBlobStore } from '../platform/blobs/index.js';
import { openSecretBox } from '../platform/crypto/secret-box.js';
import type { Config } from '../platform/config.js';
import { connectDb, migrateToLatest, type Db } from '../platform/db/index.js';
import type { Logger } from '../platform/logger.js';
import {
  openQueueDb,
  PostgresQueueWriter,
  RedisQueueWriter,
  SpoolWriter,
  type QueueWriter,
} from '../platform/queue/index.js';
import { openRedis } from '../platform/redis/index.js';
import { createApp } from './create-app.js';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  stop(): Promise<void>;
}

/** Opens storage, applies migrations, starts the worker and the HTTP listener. */
export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  // With PostgreSQL nothing else may create the data folder, and the free-space check reads it.
  fs.mkdirSync(config.dataDir, { recursive: true });
  if (config.databaseUrl !== undefined && config.secretKey === undefined) {
    log.warn(
      { dataDir: config.dataDir },
      'DATABASE_URL is set but PICKET_SECRET_KEY is not, so secrets are sealed with the key file secret.key in the data folder; set the same PICKET_SECRET_KEY on every Picket process that shares the database',
    );
  }
  const db = connectDb({
    databaseUrl: config.databaseUrl,
    databaseReadUrl: config.databaseReadUrl,
    dataDir: config.dataDir,
  });
  await migrateOrExplain(db, config);

  // Opened before anything starts, so that an unreachable bucket stops the start at once.
  const blobs = await openBlobStore(config);
  const queue = await createQueueWriter(config, db, log);
  const metrics = new PicketMetrics();
  metrics.watchQueue(queue);
  const outcomes = new OutcomeRecorder(
    queue,
    log.child({ module: 'outcomes' }),
    (outcome, category, quantity) => {
      metrics.countDroppedItems(outcome, category, quantity);
    },
  );
  const worker =
    config.role === 'all' || config.role === 'worker'
      ? new WorkerRunner(
          { config, logLevel: log.level },
          log.child({ module: 'worker' }),
          (throughId) => {
            if (queue instanceof SpoolWriter) {
              queue.trimThrough(throughId);
            }
          },
        )
      : undefined;
  worker?.observeReports((report) => {
    if (report.batch !== undefined) {
      metrics.recordBatch(report.batch);
    }
    if (report.batchFailed === true) {
      metrics.countBatchFailure();
    }
    if (report.notification !== undefined) {
      metrics.countNotification(report.notification.channel, report.notification.result);
    }
  });
  if (worker !== undefined) {
    metrics.watchWorker(() => worker.isRunning());
  }
  worker?.start();
  const positionPoll =
    worker === undefined && queue instanceof SpoolWriter
      ? pollQueuePosition(db, queue, log)
      : undefined;

  const secrets = openSecretBox({
    secretKey: config.secretKey,
    previousKeys: config.previousSecretKeys,
    dataDir: config.dataDir,
  });
  const app = await createApp({
    config,
    db,
    log,
    queue,
    outcomes,
    blobs,
    secrets,
    metrics,
    worker,
  });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `${config.tls === undefined ? 'http' : 'https'}://${host}:${port}`;
  log.info(
    { url, role: config.role, storage: db.dialect, dataDir: config.dataDir },
    'server listening',
  );

  const stop = async () => {
    await app.close();
    clearInterval(positionPoll);
    await outcomes.close();
    await queue.close();
    await worker?.stop();
    await db.close();
    log.info('server stopped');
  };

  return { app, url, stop };
}

// The key under which the worker stores its position in `worker_state` (worker-thread.ts).
const QUEUE_POSITION_KEY = 'sqlite_queue_position';
const POSITION_POLL_MS = 1_000;

/**
 * Reads the position of a worker that runs in another process, so that an ingest process
 * without a worker of its own can measure the embedded queue's backlog and trim it.
 */
function pollQueuePosition(db: Db, queue: SpoolWriter, log: Logger): NodeJS.Timeout {
  const poll = async () => {
    try {
      const row = await db.kysely
        .selectFrom('workerState')
        .select('value')
        .where('key', '=', QUEUE_POSITION_KEY)
        .executeTakeFirst();
      queue.trimThrough(Number(row?.value ?? 0));
    } catch (error) {
      log.warn({ err: error }, 'reading the worker position failed');
    }
  };
  void poll();
  const timer = setInterval(() => void poll(), POSITION_POLL_MS);
  timer.unref();
  return timer;
}

async function createQueueWriter(config: Config, db: Db, log: Logger): Promise<QueueWriter> {
  // Every role opens the Redis queue when it is configured, so that each reports the backlog
  // from Redis and none falls back to the PostgreSQL queue table.
  if (config.redisUrl !== undefined) {
    const queueLog = log.child({ module: 'queue' });
    const redis = openRedis(config, queueLog, { connectionName: 'picket-queue' });
    const writer = new RedisQueueWriter(redis, queueLog);
    await writer.start();
    return writer;
  }

  if (db.dialect === 'postgres') {
    return new PostgresQueueWriter(db.kysely, log.child({ module: 'queue' }));
  }

  // The queue table is created here once, before the spool and worker threads open the file.
  openQueueDb(config.dataDir).close();
  return new SpoolWriter(config.dataDir, log.child({ module: 'queue' }));
}

/**
 * Applies migrations. When PostgreSQL cannot be reached, it throws an error that names the
 * host and port of DATABASE_URL (without its password) in place of the driver's bare error.
 */
async function migrateOrExplain(db: Db, config: Config): Promise<void> {
  try {
    await migrateToLatest(db.kysely, db.dialect);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (config.databaseUrl === undefined || typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) {
      throw error;
    }
    await db.close().catch(() => undefined);
    const url = new URL(config.databaseUrl);
    throw new Error(
      `Cannot reach the PostgreSQL server of DATABASE_URL at ${url.hostname}:${url.port || '5432'} (${code}): check that it runs and that the address is right`,
      { cause: error },
    );
  }
}
