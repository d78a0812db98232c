import type { Logger } from '../../platform/logger.js';
import type { QueueWriter } from '../../platform/queue/index.js';

/** Sentry's outcome kinds that ingest records. */
export type OutcomeKind = 'accepted' | 'filtered' | 'rate_limited' | 'invalid' | 'client_discard';

export interface OutcomeCount {
  projectId: number;
  hour: number;
  outcome: OutcomeKind;
  reason: string;
  category: string;
  quantity: number;
}

const FLUSH_INTERVAL_MS = 1_000;

/** Called for each recorded outcome, for the Prometheus counters. */
export type OutcomeListener = (outcome: OutcomeKind, category: string, quantity: number) => void;

/**
 * Counts dropped items by (project, hour, outcome, reason, data category) in memory and sends
 * the totals through the queue once a second, so the worker, the only writer, stores them.
 */
export class OutcomeRecorder {
  readonly #queue: QueueWriter;
  readonly #log: Logger;
  #counts = new Map<string, OutcomeCount>();
  readonly #timer: NodeJS.Timeout;
  readonly #onRecord: OutcomeListener | undefined;

  constructor(queue: QueueWriter, log: Logger, onRecord?: OutcomeListener) {
    this.#queue = queue;
    this.#log = log;
    this.#onRecord = onRecord;
    this.#timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.#timer.unref();
  }

  record(projectId: number, outcome: OutcomeKind, reason: string, category: string, quantity = 1) {
    this.#onRecord?.(outcome, category, quantity);
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    this.#add({ projectId, hour, outcome, reason, category, quantity });
  }

  #add({ projectId, hour, outcome, reason, category, quantity }: OutcomeCount): void {
    const key = `${projectId}|${hour}|${outcome}|${reason}|${category}`;
    const existing = this.#counts.get(key);

    if (existing === undefined) {
      this.#counts.set(key, { projectId, hour, outcome, reason, category, quantity });
    } else {
      existing.quantity += quantity;
    }
  }

  async flush(): Promise<void> {
    if (this.#counts.size === 0) {
      return;
    }

    const counts = [...this.#counts.values()];
    this.#counts = new Map();

    try {
      await this.#queue.enqueue([
        { projectId: 0, kind: 'outcomes', receivedAt: Date.now(), body: JSON.stringify(counts) },
      ]);
    } catch (error) {
      this.#log.warn({ err: error, rows: counts.length }, 'outcome flush failed, will retry');
      // Added back without the listener, which counted them when they were recorded.
      for (const count of counts) {
        this.#add(count);
      }
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }
}
