import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { waitForRedis, type Redis } from '../redis/index.js';
import type { QueueRecord, QueueWriter } from './queue-types.js';
import { execOrThrow, QUEUE_STREAM, streamIdTime, toStreamFields } from './redis-stream.js';

interface PendingWrite {
  records: QueueRecord[];
  resolve(): void;
  reject(error: Error): void;
}

const BACKLOG_REFRESH_MS = 1_000;
const STARTUP_WAIT_MS = 5_000;

/**
 * The Redis Streams queue writer. Requests that arrive in the same event-loop turn share one
 * MULTI of XADD commands, and each resolves only after Redis replied to the EXEC. The writer owns
 * its client and closes it on `close()`.
 */
export class RedisQueueWriter implements QueueWriter {
  readonly #redis: Redis;
  readonly #log: Logger;
  #pending: PendingWrite[] = [];
  #scheduled = false;
  #failing = false;
  #backlog: number | undefined;
  #lagMs: number | undefined;
  readonly #backlogTimer: NodeJS.Timeout;

  constructor(redis: Redis, log: Logger) {
    this.#redis = redis;
    this.#log = log;
    this.#backlogTimer = setInterval(() => void this.#measureBacklog(), BACKLOG_REFRESH_MS);
    this.#backlogTimer.unref();
  }

  /**
   * Waits up to 5 seconds for the connection, so that the first requests after start do not
   * fail, then checks Redis persistence. Ingest responds with 503 while Redis stays unreachable.
   */
  async start(): Promise<void> {
    if (!(await waitForRedis(this.#redis, STARTUP_WAIT_MS))) {
      this.#log.warn('redis is not reachable yet, ingest responds with 503 until it is');
      this.#redis.once('ready', () => void this.#checkPersistence());
      return;
    }
    await this.#measureBacklog();
    await this.#checkPersistence();
  }

  backlog(): number | undefined {
    return this.#backlog;
  }

  lagMs(): number | undefined {
    return this.#lagMs;
  }

  /** Returns true while the Redis connection is up, so readiness reports 503 during an outage. */
  isUsable(): boolean {
    return this.#redis.status === 'ready';
  }

  enqueue(records: QueueRecord[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ records, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => void this.#flush());
      }
    });
  }

  async close(): Promise<void> {
    clearInterval(this.#backlogTimer);
    if (this.#pending.length > 0) {
      await this.#flush();
    }
    await this.#redis.quit().catch(() => {
      // The connection is down already, so there is nothing left to close.
    });
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    const batch = this.#pending;
    this.#pending = [];
    const records = batch.flatMap((write) => write.records);

    try {
      const transaction = this.#redis.multi();
      for (const record of records) {
        transaction.xadd(QUEUE_STREAM, '*', ...toStreamFields(record));
      }
      await execOrThrow(transaction);
      this.#failing = false;
      for (const write of batch) {
        write.resolve();
      }
    } catch (error) {
      this.#rejectAll(batch, records.length, error);
    }
  }

  // During an outage every flush fails; the first failure is logged and the rest are not, until
  // a write succeeds again.
  #rejectAll(batch: PendingWrite[], recordCount: number, error: unknown): void {
    if (!this.#failing) {
      this.#failing = true;
      this.#log.error({ err: error, records: recordCount }, 'queue write failed');
    }
    const failure = new AppError(503, 'unavailable', 'Queue write failed, retry later', {
      cause: error,
      headers: { 'Retry-After': '5' },
    });
    for (const write of batch) {
      write.reject(failure);
    }
  }

  // Entries are deleted as workers store them, so the stream's length is the backlog and its
  // first entry the oldest record not stored yet.
  async #measureBacklog(): Promise<void> {
    try {
      const [length, first] = await Promise.all([
        this.#redis.xlen(QUEUE_STREAM),
        this.#redis.xrange(QUEUE_STREAM, '-', '+', 'COUNT', 1),
      ]);
      const oldestId = first[0]?.[0];
      this.#backlog = length;
      this.#lagMs = oldestId === undefined ? 0 : Math.max(0, Date.now() - streamIdTime(oldestId));
    } catch {
      // Redis is unreachable: the client logs the outage once, and the last values stay until
      // the next measurement succeeds.
    }
  }

  async #checkPersistence(): Promise<void> {
    try {
      const appendOnly = (await this.#redis.config('GET', 'appendonly')) as string[];
      const save = (await this.#redis.config('GET', 'save')) as string[];
      if (appendOnly[1] === 'no' && (save[1] ?? '') === '') {
        this.#log.warn(
          'redis persistence is off (appendonly no, no RDB saves): a Redis restart loses queued events that ingest acknowledged; set appendonly yes',
        );
      }
    } catch (error) {
      // Managed services often deny CONFIG; persistence is then the operator's to check.
      this.#log.debug({ err: error }, 'redis persistence check skipped');
    }
  }
}
