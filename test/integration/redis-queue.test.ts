import os from 'node:os';

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { RedisQueueWorker } from '../../src/server/features/worker/redis-queue-worker.js';
import { connectDb, type Db } from '../../src/server/platform/db/index.js';
import { AppError } from '../../src/server/platform/errors.js';
import { createLogger } from '../../src/server/platform/logger.js';
import {
  DEAD_LETTER_STREAM,
  QUEUE_STREAM,
  readFieldMap,
  RedisQueueConsumer,
  RedisQueueWriter,
  WORKER_GROUP,
  type QueueRecord,
} from '../../src/server/platform/queue/index.js';
import { openRedis, waitForRedis } from '../../src/server/platform/redis/index.js';
import { countOutcomes, createTestProject } from '../helpers/engines.js';
import { createPostgresSchema, waitFor } from '../helpers/picket.js';
import {
  deleteRedisKeys,
  findFreePort,
  SHARED_REDIS_URL,
  startPrivateRedis,
  uniqueRedisPrefix,
} from '../helpers/redis.js';

const PREFIX = uniqueRedisPrefix('redisq');
const RECEIVED_AT = Date.UTC(2026, 0, 15, 10, 30);
const log = createLogger('silent');

let db: Db;
let projectId: number;
let testCount = 0;
const clients: Redis[] = [];

/** Opens a client under a prefix of its own for each test, so streams never mix. */
function openTestRedis(testPrefix: string, url = SHARED_REDIS_URL): Redis {
  const redis = openRedis({ redisUrl: url, redisPrefix: testPrefix }, log);
  clients.push(redis);
  return redis;
}

/** Opens a client as `openTestRedis` does and waits until it is connected. */
async function connectTestRedis(testPrefix: string, url = SHARED_REDIS_URL): Promise<Redis> {
  const redis = openTestRedis(testPrefix, url);
  if (!(await waitForRedis(redis, 10_000))) {
    throw new Error(`Redis at ${url} is not reachable`);
  }
  return redis;
}

function nextPrefix(): string {
  testCount += 1;
  return `${PREFIX}:${testCount}`;
}

/** Builds an `outcomes` record, whose quantity is counted twice if it is stored twice. */
function outcomeRecord(category: string, body?: string): QueueRecord {
  return {
    projectId,
    kind: 'outcomes',
    receivedAt: RECEIVED_AT,
    body:
      body ??
      JSON.stringify([
        { projectId, hour: RECEIVED_AT, outcome: 'accepted', reason: '', category, quantity: 1 },
      ]),
  };
}

function createWorker(
  redis: Redis,
  consumer: RedisQueueConsumer,
  maxDeliveries = 3,
): RedisQueueWorker {
  return new RedisQueueWorker({ db, consumer, log, reclaimMs: 1_000, maxDeliveries });
}

/** Runs worker steps until `done` holds, ignoring failed steps, as the worker thread does. */
async function runUntil(worker: RedisQueueWorker, done: () => Promise<boolean>): Promise<void> {
  await waitFor(async () => {
    await worker.runOnce().catch(() => 0);
    return (await done()) ? true : undefined;
  }, 30_000);
}

/** A consumer whose acknowledgements fail: a worker that dies right after its commit. */
class ConsumerDyingBeforeAck extends RedisQueueConsumer {
  override ack(): Promise<void> {
    return Promise.reject(new Error('worker stopped before acknowledging'));
  }
}

beforeAll(async () => {
  const { url } = await createPostgresSchema();
  db = connectDb({ databaseUrl: url, dataDir: os.tmpdir() });
  projectId = (await createTestProject(db)).projectId;
});

afterAll(async () => {
  for (const client of clients) {
    client.disconnect();
  }
  await db.close();
  await deleteRedisKeys(PREFIX);
});

describe('RedisQueueWriter', () => {
  it('writes records of one event-loop turn in one MULTI', async () => {
    const prefix = nextPrefix();
    const writer = new RedisQueueWriter(openTestRedis(prefix), log);
    await writer.start();
    const monitor = await new Redis(SHARED_REDIS_URL).monitor();
    const commands: { name: string; key: string | undefined; source: string }[] = [];
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      commands.push({ name: (args[0] ?? '').toLowerCase(), key: args[1], source });
    });

    await Promise.all([
      writer.enqueue([outcomeRecord('a')]),
      writer.enqueue([outcomeRecord('b'), outcomeRecord('c')]),
      writer.enqueue([outcomeRecord('d')]),
    ]);
    const adds = await waitFor(async () => {
      const found = commands.filter((c) => c.name === 'xadd' && c.key === `${prefix}:queue`);
      return Promise.resolve(found.length === 4 ? found : undefined);
    });
    const source = adds[0]?.source;
    const transactions = commands.filter((c) => c.name === 'multi' && c.source === source);
    monitor.disconnect();
    await writer.close();

    expect(new Set(adds.map((add) => add.source)).size).toBe(1);
    expect(transactions).toHaveLength(1);
  });

  it('stores the fields of each record in the stream', async () => {
    const prefix = nextPrefix();
    const redis = await connectTestRedis(prefix);
    const writer = new RedisQueueWriter(openTestRedis(prefix), log);
    await writer.start();

    await writer.enqueue([outcomeRecord('fields')]);
    const entries = await redis.xrange(QUEUE_STREAM, '-', '+');
    await writer.close();

    expect(entries).toHaveLength(1);
    expect(readFieldMap(entries[0]?.[1] ?? [])).toEqual({
      projectId: String(projectId),
      kind: 'outcomes',
      receivedAt: String(RECEIVED_AT),
      body: outcomeRecord('fields').body,
    });
  });

  it('reports the backlog and the age of the oldest record', async () => {
    const prefix = nextPrefix();
    const writer = new RedisQueueWriter(openTestRedis(prefix), log);
    await writer.start();

    await writer.enqueue([outcomeRecord('a'), outcomeRecord('b')]);
    const backlog = await waitFor(() => Promise.resolve(writer.backlog() === 2 ? 2 : undefined));
    const lagMs = writer.lagMs();
    await writer.close();

    expect(backlog).toBe(2);
    expect(lagMs).toBeGreaterThanOrEqual(0);
  });

  it('rejects with 503 when Redis is unreachable', async () => {
    const port = await findFreePort();
    const writer = new RedisQueueWriter(
      openTestRedis(nextPrefix(), `redis://127.0.0.1:${port}`),
      log,
    );

    const error = await writer.enqueue([outcomeRecord('down')]).catch((caught: unknown) => caught);
    await writer.close();

    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(503);
    expect((error as AppError).headers['Retry-After']).toBe('5');
  });

  it('rejects while Redis is down and writes again after it restarts', async () => {
    const server = await startPrivateRedis();
    const redis = await connectTestRedis(nextPrefix(), server.url);
    const writer = new RedisQueueWriter(redis, log);
    await writer.start();
    try {
      await writer.enqueue([outcomeRecord('before')]);
      await server.stop();

      const error = await writer
        .enqueue([outcomeRecord('during')])
        .catch((caught: unknown) => caught);
      const restarted = await startPrivateRedis(server.port);
      await waitFor(() =>
        writer.enqueue([outcomeRecord('after')]).then(
          () => true,
          () => undefined,
        ),
      );
      const length = await redis.xlen(QUEUE_STREAM);
      await writer.close();
      await restarted.stop();

      expect((error as AppError).status).toBe(503);
      // The restarted server has no persistence, so only the record written after it is there.
      expect(length).toBe(1);
    } finally {
      await server.stop();
    }
  });
});

describe('RedisQueueWorker', () => {
  it('stores each record once when the same ids come back', async () => {
    const redis = await connectTestRedis(nextPrefix());
    const writer = new RedisQueueWriter(redis, log);
    const dying = new ConsumerDyingBeforeAck(redis, 'dies-before-ack');
    await dying.ensureGroup();
    await writer.enqueue([outcomeRecord('once'), outcomeRecord('once')]);

    const failure = await createWorker(redis, dying)
      .runOnce()
      .catch((caught: unknown) => caught);
    const afterCommit = await countOutcomes(db, { projectId, category: 'once' });
    const survivor = createWorker(redis, new RedisQueueConsumer(redis, 'takes-over'));
    await runUntil(survivor, async () => (await redis.xlen(QUEUE_STREAM)) === 0);
    const pending = (await redis.xpending(QUEUE_STREAM, WORKER_GROUP)) as [number];

    expect(String(failure)).toContain('worker stopped before acknowledging');
    expect(afterCommit).toBe(2);
    expect(await countOutcomes(db, { projectId, category: 'once' })).toBe(2);
    expect(pending[0]).toBe(0);
  });

  it('reclaims records from a consumer that stopped', async () => {
    const redis = await connectTestRedis(nextPrefix());
    const writer = new RedisQueueWriter(redis, log);
    const stopped = new RedisQueueConsumer(redis, 'stopped');
    await stopped.ensureGroup();
    await writer.enqueue([outcomeRecord('reclaim'), outcomeRecord('reclaim')]);
    const read = await stopped.readNew(10, 100);

    const worker = createWorker(redis, new RedisQueueConsumer(redis, 'live'));
    await runUntil(worker, async () => (await redis.xlen(QUEUE_STREAM)) === 0);
    const pending = (await redis.xpending(QUEUE_STREAM, WORKER_GROUP)) as [number];

    expect(read.records).toHaveLength(2);
    expect(await countOutcomes(db, { projectId, category: 'reclaim' })).toBe(2);
    expect(pending[0]).toBe(0);
  });

  it('moves a record that always fails to the dead-letter stream', async () => {
    const redis = await connectTestRedis(nextPrefix());
    const writer = new RedisQueueWriter(redis, log);
    const consumer = new RedisQueueConsumer(redis, 'dead-letter');
    await consumer.ensureGroup();
    const invalidBefore = await countOutcomes(db, { projectId, reason: 'storage_error' });
    // An `outcomes` body that is not JSON fails with a SyntaxError, a data error, every time.
    await writer.enqueue([outcomeRecord('poison', 'not json'), outcomeRecord('beside-poison')]);

    const worker = createWorker(redis, consumer, 3);
    await runUntil(worker, async () => (await redis.xlen(QUEUE_STREAM)) === 0);
    const dead = await redis.xrange(DEAD_LETTER_STREAM, '-', '+');
    const fields = readFieldMap(dead[0]?.[1] ?? []);

    expect(dead).toHaveLength(1);
    expect(fields.body).toBe('not json');
    expect(fields.deliveries).toBe('4');
    expect(fields.error).toContain('SyntaxError');
    expect(await countOutcomes(db, { projectId, reason: 'storage_error' })).toBe(invalidBefore + 1);
    expect(await countOutcomes(db, { projectId, category: 'beside-poison' })).toBe(1);
  });

  it('keeps record text out of the dead-letter error', async () => {
    const redis = await connectTestRedis(nextPrefix());
    const writer = new RedisQueueWriter(redis, log);
    const consumer = new RedisQueueConsumer(redis, 'dead-letter-text');
    await consumer.ensureGroup();
    // `JSON.parse` quotes the start of the text it rejects in its SyntaxError message, and
    // `picket queue dead-letter list` prints the error.
    await writer.enqueue([outcomeRecord('poison', 'alice@example.com')]);

    const worker = createWorker(redis, consumer, 1);
    await runUntil(worker, async () => (await redis.xlen(DEAD_LETTER_STREAM)) === 1);
    const dead = await redis.xrange(DEAD_LETTER_STREAM, '-', '+');
    const error = readFieldMap(dead[0]?.[1] ?? []).error ?? '';

    expect(error).toContain('SyntaxError');
    expect(error).not.toContain('alice');
  });

  it('moves a malformed entry to the dead-letter stream', async () => {
    const redis = await connectTestRedis(nextPrefix());
    const consumer = new RedisQueueConsumer(redis, 'malformed');
    await consumer.ensureGroup();
    await redis.xadd(QUEUE_STREAM, '*', 'projectId', 'x', 'kind', 'event');

    const worker = createWorker(redis, consumer);
    await runUntil(worker, async () => (await redis.xlen(DEAD_LETTER_STREAM)) === 1);
    const dead = await redis.xrange(DEAD_LETTER_STREAM, '-', '+');

    expect(readFieldMap(dead[0]?.[1] ?? []).error).toContain('Malformed queue entry');
    expect(await redis.xlen(QUEUE_STREAM)).toBe(0);
  });
});
