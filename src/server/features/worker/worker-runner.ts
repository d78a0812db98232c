import { Worker } from 'node:worker_threads';

import type { Config } from '../../platform/config.js';
import type { Logger } from '../../platform/logger.js';
import type { WorkerReport } from './batch-stats.js';

export interface WorkerRunnerOptions {
  /** The process's configuration; the thread opens the same database, queue and blob store. */
  config: Config;
  logLevel: string;
}

/** Called with the id of the last embedded-queue record the worker has stored. */
export type QueuePositionListener = (throughId: number) => void;

/** Starts the worker thread and restarts it if it dies. */
export class WorkerRunner {
  readonly #options: WorkerRunnerOptions;
  readonly #log: Logger;
  #worker: Worker | undefined;
  #stopping = false;

  readonly #onQueuePosition: QueuePositionListener | undefined;
  #onReport: ((report: WorkerReport) => void) | undefined;
  #running = false;

  constructor(options: WorkerRunnerOptions, log: Logger, onQueuePosition?: QueuePositionListener) {
    this.#options = options;
    this.#log = log;
    this.#onQueuePosition = onQueuePosition;
  }

  start(): void {
    const worker = new Worker(new URL('./worker-thread.js', import.meta.url), {
      workerData: this.#options,
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    worker.on('message', (message: { queuePosition?: number }) => {
      if (message.queuePosition !== undefined) {
        this.#onQueuePosition?.(message.queuePosition);
      }
    });
    worker.on('message', (message: WorkerReport) => {
      this.#onReport?.(message);
    });
    worker.on('online', () => {
      this.#running = true;
    });
    worker.on('error', (error) => {
      this.#log.error({ err: error }, 'worker thread failed');
    });
    worker.on('exit', (code) => {
      this.#running = false;
      if (!this.#stopping) {
        this.#log.error({ exitCode: code }, 'worker thread exited, restarting');
        setTimeout(() => {
          this.start();
        }, 1_000).unref();
      }
    });
    this.#worker = worker;
  }

  /** Whether the thread runs now; false while it is being restarted after a failure. */
  isRunning(): boolean {
    return this.#running;
  }

  /** Sets the listener of the thread's batch reports, for the Prometheus metrics. */
  observeReports(listener: (report: WorkerReport) => void): void {
    this.#onReport = listener;
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    const worker = this.#worker;
    if (worker === undefined) {
      return;
    }

    const exited = new Promise<void>((resolve) =>
      worker.once('exit', () => {
        resolve();
      }),
    );
    worker.postMessage('stop');
    const timeout = setTimeout(() => void worker.terminate(), 10_000);
    await exited;
    clearTimeout(timeout);
  }
}
