import { sql, type Kysely, type Selectable } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import type { SpansTable, TransactionsTable } from '../../platform/db/tables/performance.js';

export type TransactionRow = Omit<Selectable<TransactionsTable>, 'payload' | 'size'>;
export type TransactionRecord = Selectable<TransactionsTable>;
export type SpanRow = Selectable<SpansTable>;

const SUMMARY_COLUMNS = [
  'id',
  'projectId',
  'eventId',
  'traceId',
  'spanId',
  'parentSpanId',
  'name',
  'op',
  'status',
  'startMs',
  'endMs',
  'durationMs',
  'receivedAt',
  'release',
  'environment',
  'platform',
  'userTag',
] as const;

export interface TransactionListOptions {
  projectIds: number[];
  /** Text that the transaction name must contain, case-insensitively. */
  nameContains: string | undefined;
  offset: number;
  limit: number;
}

/**
 * Reads transactions and spans. The list is served by `transactions_project_start`, traces by
 * `transactions_trace` and the unique `(trace_id, span_id, project_id)` key of `spans`.
 */
export class TransactionRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * Returns up to `limit + 1` transactions, newest start first, so callers see if more exist.
   * NOTE: One project's rows come from the index in order. For several projects, both engines
   * read every transaction of those projects from the index and then sort them.
   */
  list(options: TransactionListOptions): Promise<TransactionRow[]> {
    if (options.projectIds.length === 0) {
      return Promise.resolve([]);
    }

    let query = this.#db
      .selectFrom('transactions')
      .select(SUMMARY_COLUMNS)
      .where('projectId', 'in', options.projectIds);

    if (options.nameContains !== undefined && options.nameContains !== '') {
      const escaped = options.nameContains.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
      query = query.where(sql<boolean>`lower(name) LIKE ${`%${escaped}%`} ESCAPE '\\'`);
    }

    return query
      .orderBy('startMs', 'desc')
      .orderBy('id', 'desc')
      .offset(options.offset)
      .limit(options.limit + 1)
      .execute();
  }

  listByTrace(projectIds: number[], traceId: string): Promise<TransactionRow[]> {
    if (projectIds.length === 0) {
      return Promise.resolve([]);
    }

    return this.#db
      .selectFrom('transactions')
      .select(SUMMARY_COLUMNS)
      .where('traceId', '=', traceId)
      .where('projectId', 'in', projectIds)
      .orderBy('startMs', 'asc')
      .execute();
  }

  /** Returns up to `limit` spans of a trace, earliest start first. */
  listSpansByTrace(projectIds: number[], traceId: string, limit: number): Promise<SpanRow[]> {
    if (projectIds.length === 0) {
      return Promise.resolve([]);
    }

    return this.#db
      .selectFrom('spans')
      .selectAll()
      .where('traceId', '=', traceId)
      .where('projectId', 'in', projectIds)
      .orderBy('startMs', 'asc')
      .limit(limit)
      .execute();
  }

  /** Returns the spans of one segment (streamed spans with `sentry.segment.id`), itself excluded. */
  listSegmentSpans(projectId: number, traceId: string, segmentId: string): Promise<SpanRow[]> {
    return this.#db
      .selectFrom('spans')
      .selectAll()
      .where('traceId', '=', traceId)
      .where('projectId', '=', projectId)
      .where('segmentId', '=', segmentId)
      .where('spanId', '!=', segmentId)
      .orderBy('startMs', 'asc')
      .execute();
  }

  findByEventId(projectId: number, eventId: string): Promise<TransactionRecord | undefined> {
    return this.#db
      .selectFrom('transactions')
      .selectAll()
      .where('projectId', '=', projectId)
      .where('eventId', '=', eventId)
      .executeTakeFirst();
  }
}
