import { createRequire } from 'node:module';
import path from 'node:path';

import type Sqlite from 'better-sqlite3';
import { CamelCasePlugin, Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type PgModule from 'pg';

import type { Database } from './schema.js';
import { openSqlite } from './sqlite.js';

export type Dialect = 'sqlite' | 'postgres';

/** A Kysely instance plus the facts callers need to branch on the engine. */
export interface Db {
  kysely: Kysely<Database>;
  /**
   * The instance for read-heavy API queries that need not see the request's own writes: a read
   * replica (`DATABASE_READ_URL`) when one is set, else the same instance as `kysely`.
   */
  read: Kysely<Database>;
  dialect: Dialect;
  /** The raw SQLite handle, for pragmas and `EXPLAIN QUERY PLAN`; undefined on PostgreSQL. */
  sqlite: Sqlite.Database | undefined;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** PostgreSQL URL; when undefined, SQLite is used. */
  databaseUrl: string | undefined;
  /** Folder for the SQLite file. */
  dataDir: string;
  /** SQLite file name inside `dataDir`. */
  fileName?: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
  /** PostgreSQL URL of a read replica for `Db.read`; needs `databaseUrl`. */
  databaseReadUrl?: string | undefined;
}

const require = createRequire(import.meta.url);

// `pg` is loaded only when PostgreSQL is configured: in the embedded mode it would add about
// 10 MB to every thread that opens the database.
function loadPg(): typeof PgModule {
  const pg = require('pg') as typeof PgModule;
  // int8 columns come back as strings by default; ids and epoch milliseconds fit in a double,
  // so they are parsed as numbers.
  pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
  return pg;
}

const STATEMENT_CACHE_SIZE = 200;
// Queries with long IN lists have a text of their own for each list length. They are rare
// per text and each compiles to a large program, so they are not cached.
const MAX_CACHED_SQL_LENGTH = 2_000;

/**
 * Wraps a SQLite handle so that Kysely reuses prepared statements. Kysely prepares every query
 * again, which cost as much as running it on the hot paths. Kysely runs one query at a time
 * per connection, so a cached statement is never used twice at once.
 *
 * Kysely starts transactions with a plain `begin`, which takes the write lock only at the first
 * write. When another connection (the worker thread) commits between a transaction's first read
 * and its first write, SQLite fails that write at once with SQLITE_BUSY, without waiting. Taking
 * the lock at `begin immediate` makes the transaction wait its turn (up to `busy_timeout`).
 */
function withStatementCache(sqlite: Sqlite.Database) {
  const statements = new Map<string, Sqlite.Statement>();

  return {
    close: () => sqlite.close(),
    prepare: (text: string) => {
      const sql = text === 'begin' ? 'begin immediate' : text;
      if (sql.length > MAX_CACHED_SQL_LENGTH) {
        return sqlite.prepare(sql);
      }

      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = sqlite.prepare(sql);
        if (statements.size >= STATEMENT_CACHE_SIZE) {
          statements.clear();
        }
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

function connectPostgres(
  url: string,
  poolSize: number | undefined,
  plugins: CamelCasePlugin[],
): Kysely<Database> {
  const pg = loadPg();
  const pool = new pg.Pool({ connectionString: url, max: poolSize ?? 10 });
  // An idle client whose connection drops emits 'error' on the pool; unheard, it would end the
  // process. The pool replaces the client, and the next query reports any lasting outage.
  pool.on('error', (error: Error) => {
    process.stderr.write(`picket: an idle PostgreSQL connection failed: ${error.message}\n`);
  });
  // A client that is checked out but between queries (inside a transaction, for example)
  // emits 'error' on itself, not on the pool, when the server ends its connection. Unheard,
  // that too would end the process. Its next query fails, and the pool discards it on release.
  pool.on('connect', (client) => {
    client.on('error', (error: Error) => {
      process.stderr.write(`picket: a PostgreSQL connection in use failed: ${error.message}\n`);
    });
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins });
}

/** Connects to PostgreSQL when a URL is given, else to SQLite in the data folder. */
export function connectDb(options: ConnectOptions): Db {
  const plugins = [new CamelCasePlugin()];

  if (options.databaseUrl !== undefined) {
    const kysely = connectPostgres(options.databaseUrl, options.poolSize, plugins);
    if (options.databaseReadUrl === undefined) {
      return {
        kysely,
        read: kysely,
        dialect: 'postgres',
        sqlite: undefined,
        close: () => kysely.destroy(),
      };
    }
    const read = connectPostgres(options.databaseReadUrl, options.poolSize, plugins);
    const close = async () => {
      await Promise.all([kysely.destroy(), read.destroy()]);
    };
    return { kysely, read, dialect: 'postgres', sqlite: undefined, close };
  }

  const sqlite = openSqlite(path.join(options.dataDir, options.fileName ?? 'picket.sqlite'));
  const kysely = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    plugins,
  });
  return { kysely, read: kysely, dialect: 'sqlite', sqlite, close: () => kysely.destroy() };
}
