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

/** Inserts records in one transaction and returns the queue id of the last one (0 for none). */
export function createQueueInserter(sqlite: Sqlite.Database): (records: QueueRecord[]) => number {
  const insert = sqlite.prepare(
    'INSERT INTO ingest_queue (project_id, kind, received_at, body) VALUES (?, ?, ?, ?)',
  );
  return sqlite.transaction((records: QueueRecord[]) => {
    let lastId = 0;
    for (const record of records) {
      lastId = Number(
        insert.run(record.projectId, record.kind, record.receivedAt, record.body).lastInsertRowid,
      );
    }
    return lastId;
  });
}

/** Returns the highest queue id still in the file, or 0 when the queue is empty. */
export function readLastQueueId(sqlite: Sqlite.Database): number {
  const row = sqlite.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM ingest_queue').get() as {
    id: number;
  };
  return row.id;
}

/**
 * Reads queue rows for the embedded worker. The worker never writes to the queue file: it
 * records how far it got in the main database, and the spool thread deletes what is behind
 * that position (see `createQueueTrimmer`), so its commits never wait for the worker.
 */
export class SqliteQueueReader {
  readonly #select: Sqlite.Statement<[number, number], RawRow>;

  constructor(sqlite: Sqlite.Database) {
    this.#select = sqlite.prepare(
      'SELECT id, project_id, kind, received_at, body FROM ingest_queue WHERE id > ? ORDER BY id LIMIT ?',
    );
  }

  /** Returns the oldest records after queue id `afterId`. */
  peek(afterId: number, limit: number): ClaimedRecord[] {
    return this.#select.all(afterId, limit).map((row) => ({
      id: row.id,
      projectId: row.project_id,
      kind: row.kind,
      receivedAt: row.received_at,
      body: row.body,
    }));
  }
}

/** Creates the spool thread's cleanup: deletes the rows up to and including a queue id. */
export function createQueueTrimmer(sqlite: Sqlite.Database): (throughId: number) => void {
  const trim = sqlite.prepare('DELETE FROM ingest_queue WHERE id <= ?');
  return (throughId) => {
    trim.run(throughId);
  };
}

interface RawRow {
  id: number;
  project_id: number;
  kind: string;
  received_at: number;
  body: string;
}
