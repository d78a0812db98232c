import type { ClaimedRecord } from '../../platform/queue/index.js';

/** What the worker thread posts to its parent besides its queue position. */
export interface WorkerReport {
  /** Records stored by the batch that just committed. */
  processed?: number;
  batch?: { records: number; durationMs: number; kinds: Record<string, number> };
  /** Set when a batch failed and was rolled back. */
  batchFailed?: true;
  /** One attempt of the notification delivery loop. */
  notification?: { channel: string; result: 'sent' | 'retry' | 'failed' };
}

/**
 * Counts the records of the batch being stored by kind, so that the worker thread can report
 * them once the batch commits, and forget them when it rolls back.
 */
export class BatchStats {
  #kinds: Record<string, number> = {};
  #startedAt = 0;

  /** Marks the start of a batch. */
  start(): void {
    this.#kinds = {};
    this.#startedAt = performance.now();
  }

  countRecords(records: readonly ClaimedRecord[]): void {
    for (const record of records) {
      this.#kinds[record.kind] = (this.#kinds[record.kind] ?? 0) + 1;
    }
  }

  /** Returns the report of a committed batch of `records` records. */
  finish(records: number): WorkerReport {
    return {
      processed: records,
      batch: { records, durationMs: performance.now() - this.#startedAt, kinds: this.#kinds },
    };
  }
}
