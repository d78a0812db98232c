import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';

import Sqlite from 'better-sqlite3';

import type { QueueStatus } from '../../../shared/api/status.js';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logger.js';
import { QUEUE_STREAM, streamIdTime } from '../../platform/queue/index.js';
import { QUEUE_FILE } from '../../platform/queue/sqlite-queue.js';
import { openRedis } from '../../platform/redis/index.js';

// The embedded worker's position in the queue file, as the worker thread stores it.
const SQLITE_QUEUE_POSITION_KEY = 'sqlite_queue_position';
const REDIS_READY_TIMEOUT_MS = 3_000;

/**
 * Measures the queue's backlog and lag as the queue writers do for the status banner, because a
 * worker has no queue writer. It reads the Redis stream when `REDIS_URL` is set, else the
 * PostgreSQL `ingest_queue` table, else the embedded queue file after the worker's position.
 * Each reads two ends of an index. Returns undefined when the queue cannot be read now.
 */
export async function measureQueueStatus(
  context: { db: Db; config: Config; log: Logger },
  now: number,
): Promise<QueueStatus | undefined> {
  if (context.config.redisUrl !== undefined) {
    return measureRedisQueue(context.config, context.log, now);
  }
  if (context.db.dialect === 'postgres') {
    return measurePostgresQueue(context.db, now);
  }
  return measureSqliteQueue(context.db, context.config.dataDir, now);
}

function toStatus(depth: number, oldestReceivedAt: number | undefined, now: number): QueueStatus {
  const lagMs = oldestReceivedAt === undefined ? 0 : Math.max(0, now - oldestReceivedAt);
  return { depth, lagSeconds: Math.round(lagMs / 100) / 10 };
}

async function measurePostgresQueue(db: Db, now: number): Promise<QueueStatus> {
  const row = await db.kysely
    .selectFrom('ingestQueue')
    .select((eb) => [
      eb.fn.min('id').as('first'),
      eb.fn.max('id').as('last'),
      eb.selectFrom('ingestQueue').select('receivedAt').orderBy('id').limit(1).as('oldest'),
    ])
    .executeTakeFirst();
  const first = row?.first ?? null;
  const last = row?.last ?? null;
  if (first === null || last === null) {
    return toStatus(0, undefined, now);
  }
  const oldest = row?.oldest ?? null;
  return toStatus(
    Number(last) - Number(first) + 1,
    oldest === null ? undefined : Number(oldest),
    now,
  );
}

async function measureSqliteQueue(
  db: Db,
  dataDir: string,
  now: number,
): Promise<QueueStatus | undefined> {
  const file = path.join(dataDir, QUEUE_FILE);
  if (!fs.existsSync(file)) {
    return undefined;
  }
  const position = await db.kysely
    .selectFrom('workerState')
    .select('value')
    .where('key', '=', SQLITE_QUEUE_POSITION_KEY)
    .executeTakeFirst();
  const processedThroughId = Number(position?.value ?? 0);

  const sqlite = new Sqlite(file, { readonly: true, fileMustExist: true });
  try {
    const last = sqlite
      .prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM ingest_queue')
      .get();
    const oldest = sqlite
      .prepare<[number], { receivedAt: number }>(
        'SELECT received_at AS receivedAt FROM ingest_queue WHERE id > ? ORDER BY id LIMIT 1',
      )
      .get(processedThroughId);
    const depth = Math.max(0, (last?.id ?? 0) - processedThroughId);
    return toStatus(depth, depth === 0 ? undefined : oldest?.receivedAt, now);
  } finally {
    sqlite.close();
  }
}

// A connection per measurement, every 30 s at most, so no socket outlives the job and keeps the
// worker thread from exiting.
async function measureRedisQueue(
  config: Config,
  log: Logger,
  now: number,
): Promise<QueueStatus | undefined> {
  const redis = openRedis(config, log, { connectionName: 'picket-backlog-check' });
  try {
    await Promise.race([
      once(redis, 'ready'),
      new Promise((_resolve, reject) => {
        setTimeout(() => {
          reject(new Error('redis not ready in time'));
        }, REDIS_READY_TIMEOUT_MS).unref();
      }),
    ]);
    const [length, first] = await Promise.all([
      redis.xlen(QUEUE_STREAM),
      redis.xrange(QUEUE_STREAM, '-', '+', 'COUNT', 1),
    ]);
    const oldestId = first[0]?.[0];
    return toStatus(length, oldestId === undefined ? undefined : streamIdTime(oldestId), now);
  } catch {
    // Redis is unreachable or slow to connect, so this run is skipped and the next one measures again.
    return undefined;
  } finally {
    redis.disconnect();
  }
}
