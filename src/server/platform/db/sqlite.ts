import path from 'node:path';

import Sqlite from 'better-sqlite3';

import { ensureDirectory } from '../directories.js';

/**
 * Opens the embedded SQLite file with the pragmas ingest needs: WAL, `synchronous=NORMAL`
 * (crash-consistent, the last commits may be lost on power failure) and rare checkpoints.
 */
export function openSqlite(file: string): Sqlite.Database {
  ensureDirectory(path.dirname(file));
  const sqlite = new Sqlite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('wal_autocheckpoint = 10000');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  return sqlite;
}
