import { sql, type Kysely, type Transaction } from 'kysely';

import type { Database } from '../db/index.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ClaimedRecord, QueueRecord, QueueWriter } from './queue-types.js';

interface PendingWrite {
  records: QueueRecord[];
  resolve(): void;
  reject(error: Error): void;
}

const ROWS_PER_INSERT = 500;
const BACKLOG_REFRESH_MS = 1_000;

/**
 * The PostgreSQL queue writer: requests that arrive in the same event-loop turn share one
 * INSERT, and each resolves only after the commit.
 */
export class PostgresQueueWriter implements QueueWriter {
  readonly #db: Kysely<Database>;
  readonly #log: Logger;
  #pending: PendingWrite[] = [];
  #scheduled = false;
  #backlog: number | undefined;
  #lagMs: number | undefined;
  #closed = false;
  readonly #backlogTimer: NodeJS.Timeout;

  constructor(db: Kysely<Database>, log: Logger) {
    this.#db = db;
    this.#log = log;
    void this.#measureBacklog();
    this.#backlogTimer = setInterval(() => void this.#measureBacklog(), BACKLOG_REFRESH_MS);
    this.#backlogTimer.unref();
  }

  backlog(): number | undefined {
    return this.#backlog;
  }

  lagMs(): number | undefined {
    return this.#lagMs;
  }

  isUsable(): boolean {
    return !this.#closed;
  }

  // Rows are deleted as the workers store them, so the id range of the remaining rows is the
  // backlog. The range reads two ends of the primary key index, where count(*) would scan every
  // row. It also counts as backlog the gaps left by batches that workers have not committed yet.
  // The lag is the age of the row at the low end, found through the same index.
  async #measureBacklog(): Promise<void> {
    try {
      const row = await this.#db
        .selectFrom('ingestQueue')
        .select((eb) => [
          eb.fn.min('id').as('first'),
          eb.fn.max('id').as('last'),
          eb
            .selectFrom('ingestQueue')
            .select('receivedAt')
            .orderBy('id')
            .limit(1)
            .as('oldestReceivedAt'),
        ])
        .executeTakeFirst();
      const first = row?.first ?? null;
      const last = row?.last ?? null;
      this.#backlog = first === null || last === null ? 0 : Number(last) - Number(first) + 1;
      const oldest = row?.oldestReceivedAt ?? null;
      this.#lagMs = oldest === null ? 0 : Math.max(0, Date.now() - Number(oldest));
    } catch (error) {
      this.#log.warn({ err: error }, 'queue backlog measurement failed');
    }
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

  close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#backlogTimer);
    return Promise.resolve();
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    const batch = this.#pending;
    this.#pending = [];
    const rows = batch.flatMap((write) => write.records);

    try {
      await this.#db.transaction().execute(async (trx) => {
        for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
          await trx
            .insertInto('ingestQueue')
            .values(rows.slice(start, start + ROWS_PER_INSERT))
            .execute();
        }
      });
      for (const write of batch) {
        write.resolve();
      }
    } catch (error) {
      this.#log.error({ err: error, records: rows.length }, 'queue write failed');
      const failure = new AppError(503, 'unavailable', 'Queue write failed, retry later', {
        cause: error,
        headers: { 'Retry-After': '5' },
      });
      for (const write of batch) {
        write.reject(failure);
      }
    }
  }
}

/**
 * Takes the oldest records inside the caller's transaction. They are deleted when it commits,
 * so storing a batch and removing it from the queue happen together. Row keys come back in
 * camelCase because the Kysely instance uses `CamelCasePlugin`.
 */
export async function claimPostgresRecords(
  trx: Transaction<Database>,
  limit: number,
): Promise<ClaimedRecord[]> {
  const result = await sql<{
    id: number;
    projectId: number;
    kind: string;
    receivedAt: number;
    body: string;
  }>`DELETE FROM ingest_queue WHERE id IN (
      SELECT id FROM ingest_queue ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED
    ) RETURNING id, project_id, kind, received_at, body`.execute(trx);

  return result.rows
    .map((row) => ({
      id: Number(row.id),
      projectId: Number(row.projectId),
      kind: row.kind,
      receivedAt: Number(row.receivedAt),
      body: row.body,
    }))
    .sort((a, b) => a.id - b.id);
}
