import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';

import type { Database } from '../../platform/db/index.js';
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

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * Lists logs newest first (ties by insertion order), fetching one row more than `limit` so
   * that callers can tell whether another page exists.
   */
  list(options: LogListOptions): Promise<LogRow[]> {
    if (options.projectIds.length === 0) {
      return Promise.resolve([]);
    }

    let query = this.#db
      .selectFrom('logs')
      .selectAll()
      .where('projectId', 'in', options.projectIds);

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

    return query
      .orderBy('timestampUs', 'desc')
      .orderBy('id', 'desc')
      .offset(options.offset)
      .limit(options.limit + 1)
      .execute();
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
