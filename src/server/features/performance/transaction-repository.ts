import { sql, type CompiledQuery, type Kysely, type Selectable } from 'kysely';

import type { Database, Dialect } from '../../platform/db/index.js';
import {
  listAcrossProjects,
  unionOfLimitedArms,
  type RowWindow,
} from '../../platform/db/project-union.js';
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
  readonly #dialect: Dialect;

  constructor(db: Kysely<Database>, dialect: Dialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  /**
   * Returns up to `limit + 1` transactions, newest start first, so callers see if more exist.
   * Each project is read from its own range of `transactions_project_start` and the ranges are
   * merged, so a list over several projects reads about `offset + limit` rows of each instead
   * of sorting all of them.
   */
  list(options: TransactionListOptions): Promise<TransactionRow[]> {
    return listAcrossProjects(
      options.projectIds,
      { offset: options.offset, count: options.limit + 1 },
      async (projectIds, window) =>
        (
          await this.#db.executeQuery(
            this.compileListQuery(projectIds, window, options.nameContains),
          )
        ).rows,
      (a, b) => b.startMs - a.startMs || Number(b.id) - Number(a.id),
    );
  }

  /**
   * Compiles the statement that lists the transactions of up to `PROJECTS_PER_STATEMENT`
   * projects, a `UNION ALL` with one arm per project. Public so that tests can check the
   * statement's query plan.
   */
  compileListQuery(
    projectIds: number[],
    window: RowWindow,
    nameContains: string | undefined,
  ): CompiledQuery<TransactionRow> {
    const arms = projectIds.map((projectId) => this.#filter(projectId, nameContains));

    // PostgreSQL rejects a parenthesised select followed by ORDER BY, so one arm stays plain.
    if (this.#dialect === 'postgres' && arms.length > 1) {
      const limited = arms.map((arm) =>
        arm
          .orderBy('startMs', 'desc')
          .orderBy('id', 'desc')
          .limit(window.offset + window.count),
      );
      return unionOfLimitedArms<TransactionRow>(
        limited,
        sql`start_ms DESC, id DESC`,
        window,
      ).compile(this.#db);
    }

    return arms
      .reduce((union, arm) => union.unionAll(arm))
      .orderBy('startMs', 'desc')
      .orderBy('id', 'desc')
      .offset(window.offset)
      .limit(window.count)
      .compile();
  }

  #filter(projectId: number, nameContains: string | undefined) {
    let query = this.#db
      .selectFrom('transactions')
      .select(SUMMARY_COLUMNS)
      .where('projectId', '=', projectId);

    if (nameContains !== undefined && nameContains !== '') {
      const escaped = nameContains.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
      query = query.where(sql<boolean>`lower(name) LIKE ${`%${escaped}%`} ESCAPE '\\'`);
    }
    return query;
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
