import type { BlobStore } from '../../platform/blobs/index.js';
import type { Db } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logger.js';
import {
  toStreamFields,
  type DeadLetterReason,
  type RedisQueueConsumer,
  type StreamEntry,
  type StreamRecord,
} from '../../platform/queue/index.js';
import { describeErrorSafely } from '../scrubbing/safe-error.js';
import { isDataError } from './data-error.js';
import { claimLedgerIds } from './queue-ledger.js';
import { addOutcomes, processRecords } from './process-records.js';
import { outcomeHour, recordCategory } from './record-processors.js';

export interface RedisQueueWorkerOptions {
  db: Db;
  consumer: RedisQueueConsumer;
  log: Logger;
  /** Artifacts for symbolication. */
  blobs?: BlobStore;
  /** Idle time after which another worker takes over a record (`queueReclaimSeconds`). */
  reclaimMs: number;
  /** Deliveries after which a record goes to the dead-letter stream (`queueMaxDeliveries`). */
  maxDeliveries: number;
  /** Stores records inside the batch's transaction; `processRecords` unless the caller wraps it. */
  processRecords?: typeof processRecords;
}

const BATCH_SIZE = 500;
const BLOCK_MS = 1_000;
const RECLAIM_INTERVAL_MS = 1_000;
const ISOLATE_AFTER_FAILURES = 2;
// A reclaimed record with more deliveries than this was taken over at least twice: its batch may
// hold a record that stops workers, so the batch is run one record at a time.
const ISOLATE_RECLAIMED_AFTER_DELIVERIES = 2;
const MAX_ERROR_CHARS = 500;

/**
 * The worker's loop over the Redis Streams queue. Each step stores a batch and the batch's stream
 * ids in one PostgreSQL transaction, then acknowledges and deletes the entries. A record that
 * comes back after that commit (the worker died before acknowledging) is found in the ledger and
 * only acknowledged, so nothing is stored twice.
 */
export class RedisQueueWorker {
  readonly #options: RedisQueueWorkerOptions;
  readonly #log: Logger;
  // Records this consumer read and has not finished, run before any new read.
  #held: StreamRecord[] = [];
  #isolating = false;
  #failures = 0;
  #lastReclaim = 0;

  constructor(options: RedisQueueWorkerOptions) {
    this.#options = options;
    this.#log = options.log;
  }

  /**
   * Runs one step: takes records (held ones first, then stale ones of stopped workers, then new
   * ones, waiting up to a second for them) and stores them. Returns how many records it finished.
   * @throws the storage or Redis error of a failed step. The caller waits and calls again. After
   *   two failures in a row, the held records are run one at a time.
   */
  async runOnce(): Promise<number> {
    if (this.#held.length === 0) {
      this.#isolating = false;
      this.#held = await this.#take();
    }
    const batch = this.#isolating ? this.#held.slice(0, 1) : this.#held;
    if (batch.length === 0) {
      return 0;
    }

    try {
      await this.#store(batch);
    } catch (error) {
      return this.#handleFailure(error);
    }
    this.#held = this.#held.slice(batch.length);
    this.#failures = 0;
    return batch.length;
  }

  async #take(): Promise<StreamRecord[]> {
    const { consumer, reclaimMs } = this.#options;
    const reclaimDue = Date.now() - this.#lastReclaim >= RECLAIM_INTERVAL_MS;

    if (reclaimDue || consumer.reclaimUnfinished) {
      this.#lastReclaim = Date.now();
      const reclaimed = await consumer.reclaim(reclaimMs, BATCH_SIZE);
      await this.#deadLetterMalformed(reclaimed.malformed);
      if (reclaimed.records.length > 0) {
        this.#log.warn(
          { records: reclaimed.records.length, consumer: consumer.name },
          'reclaimed queue records that a stopped or stalled worker did not finish',
        );
        return this.#dropOverDelivered(reclaimed.records);
      }
    }

    const delivered = await consumer.readNew(BATCH_SIZE, BLOCK_MS);
    await this.#deadLetterMalformed(delivered.malformed);
    return delivered.records;
  }

  // Reclaimed records carry the deliveries of every worker that read them. Those past the limit
  // go to the dead-letter stream; the others are run.
  async #dropOverDelivered(records: StreamRecord[]): Promise<StreamRecord[]> {
    const counts = await this.#options.consumer.deliveryCounts(records.map((r) => r.streamId));
    const runnable: StreamRecord[] = [];

    for (const record of records) {
      const deliveries = counts.get(record.streamId) ?? 0;
      if (deliveries > this.#options.maxDeliveries) {
        const error = `Not stored after ${deliveries - 1} deliveries to workers that stopped or stalled`;
        await this.#deadLetter(record, { error, deliveries });
      } else {
        this.#isolating ||= deliveries > ISOLATE_RECLAIMED_AFTER_DELIVERIES;
        runnable.push(record);
      }
    }
    return runnable;
  }

  async #store(records: StreamRecord[]): Promise<void> {
    const { db, blobs, consumer } = this.#options;
    const streamIds = records.map((record) => record.streamId);

    const fresh = await db.kysely.transaction().execute(async (trx) => {
      const claimed = await claimLedgerIds(trx, streamIds, Date.now());
      const todo = records.filter((record) => claimed.has(record.streamId));
      if (todo.length > 0) {
        const store = this.#options.processRecords ?? processRecords;
        await store(trx, db.dialect, todo, this.#log, blobs);
      }
      return todo.length;
    });
    await consumer.ack(streamIds);

    if (fresh < records.length) {
      this.#log.info(
        { records: records.length - fresh },
        'queue records were stored by an earlier delivery, acknowledged them',
      );
    }
  }

  /**
   * A record that fails alone with a data error is delivered again at once, which adds to its
   * delivery count, until it passes the limit and goes to the dead-letter stream. Any other
   * failure (an outage) is retried by the caller after a delay, for as long as it takes, and the
   * held records are touched so that other workers do not take them over meanwhile.
   */
  async #handleFailure(error: unknown): Promise<number> {
    const { consumer, maxDeliveries } = this.#options;
    const record = this.#held[0];

    if (this.#isolating && record !== undefined && isDataError(error)) {
      const deliveries = await consumer.redeliver(record.streamId);
      if (deliveries === 0) {
        // Another worker took the record over; it is that worker's now.
        this.#held.shift();
        return 0;
      }
      if (deliveries > maxDeliveries) {
        await this.#deadLetter(record, { error: describeError(error), deliveries });
        this.#held.shift();
        return 1;
      }
      this.#log.warn(
        { ...describeErrorSafely(error), projectId: record.projectId, queueId: record.streamId },
        'queue record failed to store, delivering it again',
      );
      return 0;
    }

    this.#failures += 1;
    if (this.#failures >= ISOLATE_AFTER_FAILURES) {
      this.#isolating = true;
    }
    await consumer.touch(this.#held.map((held) => held.streamId)).catch(() => {
      // Redis is down as well: the records stay pending and may be reclaimed, which is safe.
    });
    throw error;
  }

  // The dead-letter copy comes first: if the outcome cannot be counted afterwards, the record is
  // still kept for a requeue, and only the count is missing.
  async #deadLetter(record: StreamRecord, reason: DeadLetterReason): Promise<void> {
    const { consumer, db } = this.#options;
    await consumer.deadLetter(record.streamId, toStreamFields(record), reason);
    this.#log.error(
      {
        projectId: record.projectId,
        queueId: record.streamId,
        kind: record.kind,
        deliveries: reason.deliveries,
      },
      'queue record moved to the dead-letter stream',
    );

    try {
      await addOutcomes(db.kysely, [
        {
          projectId: record.projectId,
          hour: outcomeHour(record.receivedAt),
          outcome: 'invalid',
          reason: 'storage_error',
          category: recordCategory(record.kind),
          quantity: 1,
        },
      ]);
    } catch (error) {
      this.#log.error(
        { err: error, projectId: record.projectId, queueId: record.streamId },
        'counting the outcome of a dead-lettered record failed',
      );
    }
  }

  // An entry without the fields ingest writes can never be stored, whatever its delivery count.
  async #deadLetterMalformed(entries: readonly StreamEntry[]): Promise<void> {
    for (const [streamId, fields] of entries) {
      await this.#options.consumer.deadLetter(streamId, fields, {
        error: 'Malformed queue entry: projectId, kind, receivedAt or body is missing or invalid',
        deliveries: 1,
      });
      this.#log.error(
        { queueId: streamId },
        'malformed queue entry moved to the dead-letter stream',
      );
    }
  }
}

// The message is left out because it may quote the unscrubbed record (a SyntaxError of
// `JSON.parse` does), and `picket queue dead-letter list` prints this text. The error's class, its
// database error code and the code location that threw identify the failure.
function describeError(error: unknown): string {
  const { errorType, errorAt } = describeErrorSafely(error);
  const code = (error as { code?: unknown } | null)?.code;
  const codeText = typeof code === 'string' ? ` (code ${code})` : '';
  const text = `${errorType}${codeText}${errorAt === undefined ? '' : ` ${errorAt}`}`;
  return text.slice(0, MAX_ERROR_CHARS);
}
