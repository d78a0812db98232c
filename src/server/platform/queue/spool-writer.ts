import { Worker } from 'node:worker_threads';

import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { QueueRecord, QueueWriter } from './queue-types.js';

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

  constructor(dataDir: string, log: Logger) {
    this.#log = log;
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
      this.#failAll(error);
    });
    this.#worker.unref();
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

  // Requests of one event-loop turn go to the spool thread in one message: each message costs
  // a structured clone and a wake-up of the other thread.
  #postOutbox(): void {
    const requests = this.#outbox;
    this.#outbox = [];
    this.#worker.postMessage(requests);
  }

  async close(): Promise<void> {
    this.#closed = true;
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

function unavailable(detail: string, cause?: unknown): AppError {
  return new AppError(503, 'unavailable', `${detail}, retry later`, {
    cause,
    headers: { 'Retry-After': '5' },
  });
}
