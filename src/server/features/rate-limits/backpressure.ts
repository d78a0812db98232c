import fs from 'node:fs';

import type { Logger } from '../../platform/logger.js';

/** Reason ingest stopped accepting for a while, and the response the client gets. */
export interface Backpressure {
  status: 429 | 503;
  /** `rate_limited` outcome reason of the items that were not accepted. */
  reason: 'queue_backlog' | 'disk_space_low';
  retryAfterSeconds: number;
  detail: string;
}

export interface BackpressureOptions {
  /** Records written but not yet processed above which ingest responds with 429; 0 turns it off. */
  maxBacklog: number;
  /** Free bytes of the data folder's file system below which ingest responds with 503; 0 turns it off. */
  minFreeBytes: number;
  dataDir: string;
  /** Reads the queue backlog; undefined while it is not known. */
  readBacklog: () => number | undefined;
  log: Logger;
}

// The worker drains a full default backlog (50,000 records) in about 20 s at the 2,400
// events/s it sustained in the benchmark (an estimate). Clients come back after about half of that.
const BACKLOG_RETRY_AFTER_SECONDS = 10;
// Freeing disk space takes an operator, so clients are asked to wait longer.
const DISK_RETRY_AFTER_SECONDS = 60;
const DISK_CHECK_INTERVAL_MS = 2_000;

/**
 * Tells ingest when to stop accepting: when the queue backlog passes its mark (429) or the
 * data folder's free space falls under its mark (503). Free space is measured every 2 s with
 * `statfs`, so the check on each request reads only cached numbers.
 */
export class BackpressureMonitor {
  readonly #options: BackpressureOptions;
  readonly #timer: NodeJS.Timeout | undefined;
  #freeBytes: number | undefined;
  #loggedDiskFailure = false;

  constructor(options: BackpressureOptions) {
    this.#options = options;
    if (options.minFreeBytes > 0) {
      void this.measureDisk();
      this.#timer = setInterval(() => void this.measureDisk(), DISK_CHECK_INTERVAL_MS);
      this.#timer.unref();
    }
  }

  /** Returns the back-pressure in force, or undefined when ingest may accept. */
  check(): Backpressure | undefined {
    const { maxBacklog, minFreeBytes } = this.#options;

    if (minFreeBytes > 0 && this.#freeBytes !== undefined && this.#freeBytes < minFreeBytes) {
      return {
        status: 503,
        reason: 'disk_space_low',
        retryAfterSeconds: DISK_RETRY_AFTER_SECONDS,
        detail: `The server is low on disk space (${Math.floor(this.#freeBytes / 1_048_576)} MB free); retry later`,
      };
    }

    const backlog = this.#options.readBacklog();
    if (maxBacklog > 0 && backlog !== undefined && backlog > maxBacklog) {
      return {
        status: 429,
        reason: 'queue_backlog',
        retryAfterSeconds: BACKLOG_RETRY_AFTER_SECONDS,
        detail: `The server is behind on processing (${backlog} records queued); retry later`,
      };
    }

    return undefined;
  }

  /** Measures the data folder's free space now; logs a failure once and keeps the last value. */
  async measureDisk(): Promise<void> {
    try {
      const stats = await fs.promises.statfs(this.#options.dataDir);
      this.#freeBytes = stats.bavail * stats.bsize;
      this.#loggedDiskFailure = false;
    } catch (error) {
      if (!this.#loggedDiskFailure) {
        this.#loggedDiskFailure = true;
        this.#options.log.warn(
          { err: error, dataDir: this.#options.dataDir },
          'free disk space measurement failed',
        );
      }
    }
  }

  close(): void {
    clearInterval(this.#timer);
  }
}
