import { parentPort, workerData } from 'node:worker_threads';

import {
  createQueueInserter,
  createQueueTrimmer,
  openQueueDb,
  readLastQueueId,
} from './sqlite-queue.js';
import type { QueueRecord } from './queue-types.js';

interface SpoolRequest {
  id: number;
  records: QueueRecord[];
}

// Runs in its own thread: the queue file's writer. Requests that arrive while a transaction
// runs are committed together in the next one (group commit), and each is acknowledged only
// after its commit.
const port = parentPort;
if (port === null) {
  throw new Error('spool-thread must run as a worker thread');
}

const { dataDir } = workerData as { dataDir: string };
const sqlite = openQueueDb(dataDir);
// Ingest acknowledges an event once this commit returns, so the commit must reach the disk:
// with FULL, SQLite syncs the WAL on every commit and a power failure loses nothing that was
// acknowledged. Group commit keeps the number of syncs low.
sqlite.pragma('synchronous = FULL');
// Queued events are the client's data before scrubbing, so deleted rows are overwritten with
// zeros rather than left in free pages.
sqlite.pragma('secure_delete = ON');
const insertAll = createQueueInserter(sqlite);
const trimThrough = createQueueTrimmer(sqlite);
const TRIM_INTERVAL_MS = 1_000;
let trimmedThrough = 0;
let storedThrough = 0;
let lastInsertedId = 0;

// Processed rows are deleted in one statement a second, outside the commits that ingest waits
// for.
setInterval(() => {
  if (storedThrough > trimmedThrough) {
    try {
      trimThrough(storedThrough);
      trimmedThrough = storedThrough;
      // With the queue drained, the WAL still contains copies of the processed rows. Truncating
      // it leaves no unscrubbed event on disk. Under load the queue is rarely empty, and the
      // WAL frames are reused after each automatic checkpoint instead.
      if (trimmedThrough >= lastInsertedId && pending.length === 0) {
        sqlite.pragma('wal_checkpoint(TRUNCATE)');
      }
    } catch {
      // The rows stay until the next try; a failed delete loses nothing.
    }
  }
}, TRIM_INTERVAL_MS).unref();
let pending: SpoolRequest[] = [];
let scheduled = false;

// The writer measures the backlog from the last queue id and the worker's position.
port.postMessage({ lastId: readLastQueueId(sqlite) });

function flush(): void {
  scheduled = false;
  const batch = pending;
  pending = [];

  try {
    const lastId = insertAll(batch.flatMap((request) => request.records));
    lastInsertedId = Math.max(lastInsertedId, lastId);
    port?.postMessage({ ok: batch.map((request) => request.id), lastId });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    port?.postMessage({ failed: batch.map((request) => request.id), message });
  }
}

port.on('message', (requests: SpoolRequest[] | { trimThrough: number } | 'close') => {
  if (typeof requests === 'object' && 'trimThrough' in requests) {
    storedThrough = Math.max(storedThrough, requests.trimThrough);
    return;
  }

  if (requests === 'close') {
    if (pending.length > 0) {
      flush();
    }
    sqlite.close();
    port.close();
    return;
  }

  pending.push(...requests);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
});
