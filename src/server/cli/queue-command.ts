import { parseArgs } from 'node:util';

import { ConfigError, type Config } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import {
  DEAD_LETTER_STREAM,
  execOrThrow,
  QUEUE_STREAM,
  readFieldMap,
  streamIdTime,
  WORKER_GROUP,
  type StreamEntry,
} from '../platform/queue/index.js';
import { openRedis, redactRedisUrl, waitForRedis, type Redis } from '../platform/redis/index.js';

/** Text of `picket --help` for the queue commands. */
export const QUEUE_USAGE = `  queue status                           Show the Redis queue: records waiting, records pending
                                         per worker, dead-letter records and the oldest age
  queue dead-letter list [--limit N]     List dead-letter records (default 100), without bodies
  queue dead-letter requeue --all|ID...  Put dead-letter records back into the queue
  queue dead-letter purge --all|ID...    Delete dead-letter records`;

const CONNECT_WAIT_MS = 5_000;
const PAGE_SIZE = 500;
// Fields the worker adds to a dead-letter copy; the rest are the queue record's own.
const DEAD_LETTER_FIELDS = new Set(['queueId', 'error', 'deliveries', 'deadAt']);

/** A mistake in the command line, reported with the usage text. */
export class QueueUsageError extends Error {}

/**
 * Runs `picket queue ...` against the Redis queue of `REDIS_URL` and writes to `print`.
 * When Redis is not reachable, it writes that to stderr and sets exit code 1.
 * @throws QueueUsageError for an unknown command or missing arguments, ConfigError without
 *   `REDIS_URL`.
 */
export async function runQueueCommand(
  config: Config,
  args: string[],
  print: (line: string) => void,
): Promise<void> {
  const [command, subcommand, ...rest] = args;
  if (config.redisUrl === undefined) {
    throw new ConfigError(['REDIS_URL: is not set, and the queue commands read the Redis queue']);
  }

  const redis = openRedis(config, createLogger('silent'), { connectionName: 'picket-cli' });
  try {
    if (!(await waitForRedis(redis, CONNECT_WAIT_MS))) {
      process.stderr.write(`Redis at ${redactRedisUrl(config.redisUrl)} is not reachable\n`);
      process.exitCode = 1;
      return;
    }
    const prefix = `${config.redisPrefix}:`;
    if (command === 'status') {
      await printStatus(redis, prefix, print);
      return;
    }
    if (command !== 'dead-letter') {
      throw new QueueUsageError('Unknown queue command: use "queue status" or "queue dead-letter"');
    }
    await runDeadLetterCommand(redis, subcommand, rest, print);
  } finally {
    redis.disconnect();
  }
}

async function printStatus(redis: Redis, prefix: string, print: (line: string) => void) {
  const [length, first, deadLength] = await Promise.all([
    redis.xlen(QUEUE_STREAM),
    redis.xrange(QUEUE_STREAM, '-', '+', 'COUNT', 1),
    redis.xlen(DEAD_LETTER_STREAM),
  ]);
  const oldestId = first[0]?.[0];
  const lagMs = oldestId === undefined ? 0 : Math.max(0, Date.now() - streamIdTime(oldestId));
  print(
    `Queue ${prefix}${QUEUE_STREAM}: ${length} records, oldest ${(lagMs / 1_000).toFixed(1)} s old`,
  );

  try {
    const [pending, , , consumers] = (await redis.xpending(QUEUE_STREAM, WORKER_GROUP)) as [
      number,
      string | null,
      string | null,
      [consumer: string, count: string][] | null,
    ];
    print(`Group ${WORKER_GROUP}: ${pending} records read by workers and not yet stored`);
    for (const [consumer, count] of consumers ?? []) {
      print(`  ${consumer}: ${count} pending`);
    }
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith('NOGROUP'))) {
      throw error;
    }
    print(`Group ${WORKER_GROUP}: not created yet (no worker has started)`);
  }

  print(`Dead letter ${prefix}${DEAD_LETTER_STREAM}: ${deadLength} records`);
}

async function runDeadLetterCommand(
  redis: Redis,
  subcommand: string | undefined,
  args: string[],
  print: (line: string) => void,
): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      limit: { type: 'string', default: '100' },
      all: { type: 'boolean', default: false },
    },
  });

  if (subcommand === 'list') {
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) {
      throw new QueueUsageError(
        `Invalid --limit ${JSON.stringify(values.limit)}: use a whole number of at least 1`,
      );
    }
    const entries = await redis.xrange(DEAD_LETTER_STREAM, '-', '+', 'COUNT', limit);
    for (const entry of entries) {
      print(describeDeadLetter(entry));
    }
    print(`${entries.length} dead-letter records shown`);
    return;
  }

  if (subcommand !== 'requeue' && subcommand !== 'purge') {
    throw new QueueUsageError('Unknown dead-letter command: use list, requeue or purge');
  }
  if (values.all === positionals.length > 0) {
    throw new QueueUsageError(`dead-letter ${subcommand} needs either --all or dead-letter ids`);
  }

  let done = 0;
  for await (const entries of readDeadLetters(redis, values.all ? undefined : positionals)) {
    done += subcommand === 'requeue' ? await requeue(redis, entries) : await purge(redis, entries);
  }
  print(`${subcommand === 'requeue' ? 'Requeued' : 'Deleted'} ${done} dead-letter records`);
}

// Yields pages of dead-letter entries: all of them, or those with the given ids that exist.
async function* readDeadLetters(redis: Redis, ids: string[] | undefined) {
  if (ids !== undefined) {
    const entries = await Promise.all(ids.map((id) => redis.xrange(DEAD_LETTER_STREAM, id, id)));
    yield entries.flat() as StreamEntry[];
    return;
  }

  // Each page is deleted from the stream before the next is read, so reading from the start
  // again finds the rest.
  for (;;) {
    const page = await redis.xrange(DEAD_LETTER_STREAM, '-', '+', 'COUNT', PAGE_SIZE);
    if (page.length === 0) {
      return;
    }
    yield page as StreamEntry[];
  }
}

async function requeue(redis: Redis, entries: StreamEntry[]): Promise<number> {
  const transaction = redis.multi();
  for (const [id, fields] of entries) {
    transaction.xadd(QUEUE_STREAM, '*', ...recordFields(fields));
    transaction.xdel(DEAD_LETTER_STREAM, id);
  }
  await execOrThrow(transaction);
  return entries.length;
}

async function purge(redis: Redis, entries: StreamEntry[]): Promise<number> {
  if (entries.length === 0) {
    return 0;
  }
  return redis.xdel(DEAD_LETTER_STREAM, ...entries.map(([id]) => id));
}

// The queue record's fields of a dead-letter copy, without what the worker added.
function recordFields(fields: readonly string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index + 1 < fields.length; index += 2) {
    const name = fields[index] ?? '';
    if (!DEAD_LETTER_FIELDS.has(name)) {
      kept.push(name, fields[index + 1] ?? '');
    }
  }
  return kept;
}

function describeDeadLetter([id, fields]: StreamEntry): string {
  const map = readFieldMap(fields);
  const receivedAt = Number(map.receivedAt);
  const received = Number.isFinite(receivedAt) ? new Date(receivedAt).toISOString() : '?';
  return `${id} project=${map.projectId ?? '?'} kind=${map.kind ?? '?'} received=${received} deliveries=${map.deliveries ?? '?'} queueId=${map.queueId ?? '?'} error=${JSON.stringify(map.error ?? '')}`;
}
