import fs from 'node:fs';
import path from 'node:path';

import Sqlite from 'better-sqlite3';
import { CamelCasePlugin, Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';

import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

/** A Kysely instance plus the facts callers need to branch on the engine. */
export interface Db {
  kysely: Kysely<Database>;
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
}

// int8 and numeric columns come back as strings by default; ids and epoch milliseconds fit in a
// double, so they are parsed as numbers.
pg.types.setTypeParser(20, (value) => Number(value));

/**
 * Opens the embedded SQLite file with the pragmas ingest needs: WAL, `synchronous=NORMAL`
 * (crash-consistent, the last commits may be lost on power failure) and rare checkpoints.
 */
export function openSqlite(file: string): Sqlite.Database {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Sqlite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('wal_autocheckpoint = 10000');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  return sqlite;
}

/** Connects to PostgreSQL when a URL is given, else to SQLite in the data folder. */
export function connectDb(options: ConnectOptions): Db {
  const plugins = [new CamelCasePlugin()];

  if (options.databaseUrl !== undefined) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
    });
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins });
    return { kysely, dialect: 'postgres', sqlite: undefined, close: () => kysely.destroy() };
  }

  const sqlite = openSqlite(path.join(options.dataDir, options.fileName ?? 'picket.sqlite'));
  const kysely = new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    plugins,
  });
  return { kysely, dialect: 'sqlite', sqlite, close: () => kysely.destroy() };
}
