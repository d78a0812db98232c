import { sql, type CompiledQuery, type Insertable, type Kysely, type Selectable } from 'kysely';

import type { Database, Dialect } from '../../platform/db/index.js';
import {
  listAcrossProjects,
  unionOfLimitedArms,
  type RowWindow,
} from '../../platform/db/project-union.js';
import type { LogsTable } from '../../platform/db/tables/logs.js';

export type LogRow = Selectable<LogsTable>;
export type NewLogRow = Insertable<LogsTable>;

export interface LogListOptions {
  projectIds: number[];
  /** Levels to keep; all levels when empty. */
  levels: string[];
  traceId: string | undefined;
  /** Free text matched against the body, case-insensitively. */
  text: string | undefined;
  /** Oldest timestamp to include, in epoch microseconds. */
  sinceUs: number | undefined;
  offset: number;
  limit: number;
}

// 14 columns a row: SQLite allows 32,766 bound parameters in one statement.
const INSERT_CHUNK_ROWS = 500;

/** Stores logs and lists them newest first. */
export class LogRepository {
  readonly #db: Kysely<Database>;
  readonly #dialect: Dialect;

  constructor(db: Kysely<Database>, dialect: Dialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  /**
   * Lists logs newest first (ties by insertion order), fetching one row more than `limit` so
   * that callers can tell whether another page exists. Each project is read from its own range
   * of `logs_project_timestamp` and the ranges are merged, so a list over several projects
   * reads about `offset + limit` rows of each instead of sorting all of them.
   */
  list(options: LogListOptions): Promise<LogRow[]> {
    return listAcrossProjects(
      options.projectIds,
      { offset: options.offset, count: options.limit + 1 },
      async (projectIds, window) =>
        (await this.#db.executeQuery(this.compileListQuery(projectIds, window, options))).rows,
      (a, b) => Number(b.timestampUs) - Number(a.timestampUs) || Number(b.id) - Number(a.id),
    );
  }

  /**
   * Compiles the statement that lists the logs of up to `PROJECTS_PER_STATEMENT` projects, a
   * `UNION ALL` with one arm per project. `options.projectIds` and its page are ignored in favour
   * of `projectIds` and `window`. Public so that tests can check the statement's query plan.
   */
  compileListQuery(
    projectIds: number[],
    window: RowWindow,
    options: LogListOptions,
  ): CompiledQuery<LogRow> {
    const arms = projectIds.map((projectId) => this.#filter(projectId, options));

    // PostgreSQL rejects a parenthesised select followed by ORDER BY, so one arm stays plain.
    if (this.#dialect === 'postgres' && arms.length > 1) {
      const limited = arms.map((arm) =>
        arm
          .orderBy('timestampUs', 'desc')
          .orderBy('id', 'desc')
          .limit(window.offset + window.count),
      );
      return unionOfLimitedArms<LogRow>(limited, sql`timestamp_us DESC, id DESC`, window).compile(
        this.#db,
      );
    }

    return arms
      .reduce((union, arm) => union.unionAll(arm))
      .orderBy('timestampUs', 'desc')
      .orderBy('id', 'desc')
      .offset(window.offset)
      .limit(window.count)
      .compile();
  }

  #filter(projectId: number, options: LogListOptions) {
    let query = this.#db.selectFrom('logs').selectAll().where('projectId', '=', projectId);

    if (options.levels.length > 0) {
      query = query.where('level', 'in', options.levels);
    }
    if (options.traceId !== undefined) {
      query = query.where('traceId', '=', options.traceId);
    }
    if (options.sinceUs !== undefined) {
      query = query.where('timestampUs', '>=', options.sinceUs);
    }
    if (options.text !== undefined && options.text !== '') {
      query = query.where(bodyContains(options.text));
    }
    return query;
  }
}

/** Inserts logs in multi-row statements, within the caller's transaction. */
export async function insertLogs(trx: Kysely<Database>, rows: NewLogRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK_ROWS) {
    await trx
      .insertInto('logs')
      .values(rows.slice(start, start + INSERT_CHUNK_ROWS))
      .execute();
  }
}

/**
 * Matches `text` anywhere in the body, with LIKE's wildcards escaped. Both sides go through the
 * engine's `lower()`, so the match ignores case on both engines: PostgreSQL folds every letter,
 * SQLite only ASCII letters.
 */
function bodyContains(text: string) {
  const pattern = `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
  return sql<boolean>`lower(body) LIKE lower(${pattern}) ESCAPE '\\'`;
}
