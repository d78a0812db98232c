import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import type { QueueWriter } from '../../platform/queue/index.js';
import type { OutcomeKind } from '../ingest/outcome-recorder.js';

/** Prefix of every metric name Picket exports. */
export const METRIC_PREFIX = 'picket_';

/** Outcome of an ingest item: Sentry's outcome kinds, plus `unavailable` for a failed enqueue. */
export type ItemOutcome = 'accepted' | 'filtered' | 'rate_limited' | 'invalid' | 'unavailable';

/** Outcome of an ingest request, from its HTTP status. */
export type RequestOutcome = 'accepted' | 'rate_limited' | 'invalid' | 'unavailable' | 'error';

/** Report of the worker thread after each committed batch. */
export interface BatchSummary {
  /** Records the batch took from the queue. */
  records: number;
  /** Time from reading the batch to the commit of its transaction, in milliseconds. */
  durationMs: number;
  /** Records of the batch by queue record kind. */
  kinds: Record<string, number>;
}

// Label values are drawn from these closed lists, so that a client cannot add series by
// sending new item types or categories. Anything else is reported as `other`.
const CATEGORIES = new Set([
  'default',
  'error',
  'transaction',
  'security',
  'attachment',
  'attachment_item',
  'session',
  'profile',
  'replay',
  'monitor',
  'span',
  'log_item',
  'log_byte',
  'feedback',
  'trace_metric',
  'metric_bucket',
  'internal',
  'unknown',
]);
const RECORD_KINDS = new Set([
  'event',
  'transaction',
  'span',
  'session',
  'sessions',
  'check_in',
  'feedback',
  'user_report',
  'log',
  'attachment',
  'outcomes',
]);
const ENDPOINTS = new Set([
  'envelope',
  'store',
  'security',
  'minidump',
  'otlp',
  'cron',
  'attachment',
]);

const ITEM_OUTCOMES: ReadonlySet<OutcomeKind> = new Set(['filtered', 'rate_limited', 'invalid']);

const DELIVERY_CHANNELS = new Set(['email', 'webhook', 'slack', 'discord', 'teams']);
const DELIVERY_RESULTS = new Set(['sent', 'retry', 'failed']);

function labelFrom(allowed: ReadonlySet<string>, value: string): string {
  return allowed.has(value) ? value : 'other';
}

/**
 * Picket's Prometheus metrics, in a registry of their own. Every name starts with `picket_`,
 * and no label carries a project, organization or key, so the output can be shown to anyone
 * who can reach the endpoint.
 */
export class PicketMetrics {
  readonly registry = new Registry();
  readonly #ingestRequests: Counter<'endpoint' | 'outcome'>;
  readonly #ingestDuration: Histogram<'outcome'>;
  readonly #ingestItems: Counter<'category' | 'outcome'>;
  readonly #batchSize: Histogram;
  readonly #batchDuration: Histogram;
  readonly #batchFailures: Counter;
  readonly #recordsProcessed: Counter<'kind'>;
  readonly #notifications: Counter<'channel' | 'result'>;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
    // The Node.js version would tell an outsider which runtime bugs to try.
    this.registry.removeSingleMetric(`${METRIC_PREFIX}nodejs_version_info`);

    this.#ingestRequests = new Counter({
      name: `${METRIC_PREFIX}ingest_requests_total`,
      help: 'Ingest requests by endpoint and outcome (from the response status).',
      labelNames: ['endpoint', 'outcome'],
      registers,
    });
    this.#ingestDuration = new Histogram({
      name: `${METRIC_PREFIX}ingest_request_duration_seconds`,
      help: 'Time from the start of an ingest request to its response, by outcome.',
      labelNames: ['outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.#ingestItems = new Counter({
      name: `${METRIC_PREFIX}ingest_items_total`,
      help: 'Ingest items by data category and outcome, in the units of Sentry outcomes (attachment in bytes).',
      labelNames: ['category', 'outcome'],
      registers,
    });
    this.#batchSize = new Histogram({
      name: `${METRIC_PREFIX}worker_batch_size`,
      help: 'Records in each batch the worker stored.',
      buckets: [1, 5, 10, 25, 50, 100, 250, 500],
      registers,
    });
    this.#batchDuration = new Histogram({
      name: `${METRIC_PREFIX}worker_batch_duration_seconds`,
      help: 'Time to store one worker batch: reading its records and its database transaction up to the commit.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.#batchFailures = new Counter({
      name: `${METRIC_PREFIX}worker_batch_failures_total`,
      help: 'Worker batches that failed and were rolled back, to be retried.',
      registers,
    });
    this.#recordsProcessed = new Counter({
      name: `${METRIC_PREFIX}worker_records_processed_total`,
      help: 'Queue records the worker stored, by record kind.',
      labelNames: ['kind'],
      registers,
    });
    this.#notifications = new Counter({
      name: `${METRIC_PREFIX}notifications_total`,
      help: 'Attempts to send a notification delivery, by channel and result (sent, retry or failed).',
      labelNames: ['channel', 'result'],
      registers,
    });
  }

  /** Counts one finished ingest request; `endpoint` is the route's name, such as `envelope`. */
  countIngestRequest(endpoint: string, outcome: RequestOutcome, seconds: number): void {
    this.#ingestRequests.inc({ endpoint: labelFrom(ENDPOINTS, endpoint), outcome });
    this.#ingestDuration.observe({ outcome }, seconds);
  }

  /** Counts items that ingest queued (`accepted`) or failed to queue (`unavailable`). */
  countIngestItems(category: string, outcome: ItemOutcome, quantity: number): void {
    this.#ingestItems.inc({ category: labelFrom(CATEGORIES, category), outcome }, quantity);
  }

  /**
   * Counts items that ingest dropped, as the outcome recorder receives them. Client reports
   * (`client_discard`) describe what SDKs dropped themselves, so they are left out.
   */
  countDroppedItems(outcome: OutcomeKind, category: string, quantity: number): void {
    if (ITEM_OUTCOMES.has(outcome)) {
      this.countIngestItems(category, outcome as ItemOutcome, quantity);
    }
  }

  recordBatch(summary: BatchSummary): void {
    this.#batchSize.observe(summary.records);
    this.#batchDuration.observe(summary.durationMs / 1_000);
    for (const [kind, count] of Object.entries(summary.kinds)) {
      this.#recordsProcessed.inc({ kind: labelFrom(RECORD_KINDS, kind) }, count);
    }
  }

  /** Counts one attempt of the outbox's delivery loop. */
  countNotification(channel: string, result: string): void {
    this.#notifications.inc({
      channel: labelFrom(DELIVERY_CHANNELS, channel),
      result: labelFrom(DELIVERY_RESULTS, result),
    });
  }

  countBatchFailure(): void {
    this.#batchFailures.inc();
  }

  /** Exports the queue's backlog and lag, read at each scrape (NaN while not measured yet). */
  watchQueue(queue: QueueWriter): void {
    new Gauge({
      name: `${METRIC_PREFIX}queue_depth`,
      help: 'Queue records written but not yet processed, as last measured.',
      registers: [this.registry],
      collect() {
        this.set(queue.backlog() ?? Number.NaN);
      },
    });
    new Gauge({
      name: `${METRIC_PREFIX}processing_lag_seconds`,
      help: 'Age of the oldest queue record not yet processed (0 when the queue is empty).',
      registers: [this.registry],
      collect() {
        const lagMs = queue.lagMs?.();
        this.set(lagMs === undefined ? Number.NaN : lagMs / 1_000);
      },
    });
  }

  /** Exports whether the process's worker thread runs (1) or not (0). */
  watchWorker(isRunning: () => boolean): void {
    new Gauge({
      name: `${METRIC_PREFIX}worker_thread_up`,
      help: 'Whether the worker thread of this process is running (1) or restarting (0).',
      registers: [this.registry],
      collect() {
        this.set(isRunning() ? 1 : 0);
      },
    });
  }
}
