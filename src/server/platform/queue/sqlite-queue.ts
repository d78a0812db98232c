import path from 'node:path';

import type Sqlite from 'better-sqlite3';

import { openSqlite } from '../db/sqlite.js';
import type { ClaimedRecord, QueueRecord } from './queue-types.js';

export const QUEUE_FILE = 'queue.sqlite';

/** Opens the embedded queue file and creates its table when missing. */
export function openQueueDb(dataDir: string): Sqlite.Database {
  const sqlite = openSqlite(path.join(dataDir, QUEUE_FILE));
  sqlite.exec(`CREATE TABLE IF NOT EXISTS ingest_queue (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    body TEXT NOT NULL
  )`);
  return sqlite;
}

/** Inserts records in one transaction. */
export function createQueueInserter(sqlite: Sqlite.Database): (records: QueueRecord[]) => void {
  const insert = sqlite.prepare(
    'INSERT INTO ingest_queue (project_id, kind, received_at, body) VALUES (?, ?, ?, ?)',
  );
  return sqlite.transaction((records: QueueRecord[]) => {
    for (const record of records) {
      insert.run(record.projectId, record.kind, record.receivedAt, record.body);
    }
  });
}

/** Reads and deletes queue rows for the embedded worker. */
export class SqliteQueueReader {
  readonly #select: Sqlite.Statement<[number], RawRow>;
  readonly #delete: Sqlite.Statement<[number, number]>;
  readonly #count: Sqlite.Statement<[], { count: number }>;

  constructor(sqlite: Sqlite.Database) {
    this.#select = sqlite.prepare(
      'SELECT id, project_id, kind, received_at, body FROM ingest_queue ORDER BY id LIMIT ?',
    );
    this.#delete = sqlite.prepare('DELETE FROM ingest_queue WHERE id >= ? AND id <= ?');
    this.#count = sqlite.prepare('SELECT count(*) AS count FROM ingest_queue');
  }

  /** Returns the oldest records, without removing them. */
  peek(limit: number): ClaimedRecord[] {
    return this.#select.all(limit).map((row) => ({
      id: row.id,
      projectId: row.project_id,
      kind: row.kind,
      receivedAt: row.received_at,
      body: row.body,
    }));
  }

  /** Removes a processed range; the range is contiguous because `peek` reads in id order. */
  remove(firstId: number, lastId: number): void {
    this.#delete.run(firstId, lastId);
  }

  depth(): number {
    return this.#count.get()?.count ?? 0;
  }
}

interface RawRow {
  id: number;
  project_id: number;
  kind: string;
  received_at: number;
  body: string;
}
