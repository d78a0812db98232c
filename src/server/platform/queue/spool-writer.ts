import path from 'node:path';
import { Worker } from 'node:worker_threads';

import Sqlite from 'better-sqlite3';

import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { QueueRecord, QueueWriter } from './queue-types.js';
import { QUEUE_FILE } from './sqlite-queue.js';

interface SpoolMessage {
  ok?: number[];
  failed?: number[];
  message?: string;
  /** The highest queue id written so far. */
  lastId?: number;
}

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
}

// Past this many unacknowledged requests the spool thread is not keeping up: new work is
// rejected with 503 so clients retry later instead of growing memory.
const MAX_IN_FLIGHT = 5_000;
const LAG_REFRESH_MS = 1_000;

/** The embedded queue writer: sends records to the spool thread and waits for its commit. */
export class SpoolWriter implements QueueWriter {
  readonly #worker: Worker;
  readonly #waiters = new Map<number, Waiter>();
  readonly #log: Logger;
  #nextId = 1;
  #lastQueuedId: number | undefined;
  #processedThroughId: number | undefined;
  #outbox: { id: number; records: QueueRecord[] }[] = [];
  #closed = false;
  #threadFailed = false;
  readonly #dataDir: string;
  #lagMs: number | undefined;
  #lagReader: LagReader | undefined;
  readonly #lagTimer: NodeJS.Timeout;

  constructor(dataDir: string, log: Logger) {
    this.#log = log;
    this.#dataDir = dataDir;
    this.#worker = new Worker(new URL('./spool-thread.js', import.meta.url), {
      workerData: { dataDir },
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    this.#worker.on('message', (message: SpoolMessage) => {
      if (message.lastId !== undefined) {
        this.#lastQueuedId = Math.max(this.#lastQueuedId ?? 0, message.lastId);
      }
      this.#settle(message);
    });
    this.#worker.on('error', (error) => {
      this.#log.error({ err: error }, 'queue spool thread failed');
      this.#threadFailed = true;
      this.#failAll(error);
    });
    this.#worker.on('exit', () => {
      this.#threadFailed = true;
    });
    this.#worker.unref();
    this.#lagTimer = setInterval(() => {
      this.#measureLag();
    }, LAG_REFRESH_MS);
    this.#lagTimer.unref();
  }

  enqueue(records: QueueRecord[]): Promise<void> {
    if (this.#closed) {
      return Promise.reject(unavailable('Server is shutting down'));
    }
    if (this.#waiters.size >= MAX_IN_FLIGHT) {
      return Promise.reject(unavailable('Queue is busy'));
    }

    const id = this.#nextId++;
    return new Promise<void>((resolve, reject) => {
      this.#waiters.set(id, { resolve, reject });
      this.#outbox.push({ id, records });
      if (this.#outbox.length === 1) {
        setImmediate(() => {
          this.#postOutbox();
        });
      }
    });
  }

  /** Lets the spool thread delete the queue rows up to `throughId`, which the worker stored. */
  trimThrough(throughId: number): void {
    this.#processedThroughId = Math.max(this.#processedThroughId ?? 0, throughId);
    if (!this.#closed) {
      this.#worker.postMessage({ trimThrough: throughId });
    }
  }

  backlog(): number | undefined {
    if (this.#lastQueuedId === undefined || this.#processedThroughId === undefined) {
      return undefined;
    }
    return Math.max(0, this.#lastQueuedId - this.#processedThroughId);
  }

  lagMs(): number | undefined {
    // The backlog is updated at once when the worker moves on, the lag only once a second.
    return this.backlog() === 0 ? 0 : this.#lagMs;
  }

  isUsable(): boolean {
    return !this.#closed && !this.#threadFailed;
  }

  // Reads the receive time of the oldest record after the worker's position, and the last queue
  // id, which other processes sharing the data folder may have raised. Both are lookups on the
  // primary key, once a second on a read-only connection. In WAL mode a reader does not block the
  // spool thread's commits.
  #measureLag(): void {
    const processedThroughId = this.#processedThroughId;
    if (processedThroughId === undefined || this.#closed) {
      return;
    }

    try {
      this.#lagReader ??= openLagReader(path.join(this.#dataDir, QUEUE_FILE));
      const lastId = this.#lagReader.lastId();
      if (lastId !== null) {
        this.#lastQueuedId = Math.max(this.#lastQueuedId ?? 0, lastId);
      }
      const oldest = this.#lagReader.oldestReceivedAfter(processedThroughId);
      this.#lagMs = oldest === undefined ? 0 : Math.max(0, Date.now() - oldest);
    } catch (error) {
      this.#log.warn({ err: error }, 'queue lag measurement failed');
    }
  }

  // Requests of one event-loop turn go to the spool thread in one message: each message costs
  // a structured clone and a wake-up of the other thread.
  #postOutbox(): void {
    const requests = this.#outbox;
    this.#outbox = [];
    this.#worker.postMessage(requests);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#lagTimer);
    this.#lagReader?.close();
    if (this.#outbox.length > 0) {
      this.#postOutbox();
    }
    this.#worker.postMessage('close');
    await new Promise<void>((resolve) => {
      this.#worker.once('exit', () => {
        resolve();
      });
    });
  }

  #settle(message: SpoolMessage): void {
    for (const id of message.ok ?? []) {
      this.#waiters.get(id)?.resolve();
      this.#waiters.delete(id);
    }

    if (message.failed !== undefined) {
      this.#log.error(
        { detail: message.message, requests: message.failed.length },
        'queue write failed',
      );
    }

    for (const id of message.failed ?? []) {
      this.#waiters.get(id)?.reject(unavailable('Queue write failed'));
      this.#waiters.delete(id);
    }
  }

  #failAll(error: Error): void {
    for (const waiter of this.#waiters.values()) {
      waiter.reject(unavailable('Queue unavailable', error));
    }
    this.#waiters.clear();
  }
}

interface LagReader {
  lastId(): number | null;
  oldestReceivedAfter(id: number): number | undefined;
  close(): void;
}

function openLagReader(file: string): LagReader {
  const sqlite = new Sqlite(file, { readonly: true, fileMustExist: true });
  const lastId = sqlite.prepare<[], { id: number | null }>(
    'SELECT MAX(id) AS id FROM ingest_queue',
  );
  const oldest = sqlite.prepare<[number], { receivedAt: number }>(
    'SELECT received_at AS receivedAt FROM ingest_queue WHERE id > ? ORDER BY id LIMIT 1',
  );
  return {
    lastId: () => lastId.get()?.id ?? null,
    oldestReceivedAfter: (id) => oldest.get(id)?.receivedAt,
    close: () => {
      sqlite.close();
    },
  };
}

function unavailable(detail: string, cause?: unknown): AppError {
  return new AppError(503, 'unavailable', `${detail}, retry later`, {
    cause,
    headers: { 'Retry-After': '5' },
  });
}
