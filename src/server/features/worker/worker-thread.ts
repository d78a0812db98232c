import { parentPort, workerData } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';

import { connectDb } from '../../platform/db/index.js';
import { createLogger } from '../../platform/logger.js';
import {
  claimPostgresRecords,
  openQueueDb,
  SqliteQueueReader,
} from '../../platform/queue/index.js';
import { processRecords } from './process-records.js';

interface WorkerOptions {
  dataDir: string;
  databaseUrl: string | undefined;
  logLevel: string;
}

const BATCH_SIZE = 500;
const IDLE_DELAY_MS = 10;
const MAX_RETRY_DELAY_MS = 5_000;

// The worker role: takes batches from the queue and stores them, in a thread of its own so
// that CPU work and SQLite writes never stall request handling.
const options = workerData as WorkerOptions;
const log = createLogger(options.logLevel).child({ module: 'worker' });
const db = connectDb({ databaseUrl: options.databaseUrl, dataDir: options.dataDir, poolSize: 2 });
const reader =
  db.dialect === 'sqlite' ? new SqliteQueueReader(openQueueDb(options.dataDir)) : undefined;
let running = true;

parentPort?.on('message', (message) => {
  if (message === 'stop') {
    running = false;
  }
});

/** Runs one batch; returns how many records it took from the queue. */
async function runBatch(): Promise<number> {
  if (reader !== undefined) {
    const records = reader.peek(BATCH_SIZE);
    const first = records[0];
    const last = records.at(-1);
    if (first === undefined || last === undefined) {
      return 0;
    }

    await db.kysely.transaction().execute((trx) => processRecords(trx, db.dialect, records, log));
    reader.remove(first.id, last.id);
    return records.length;
  }

  return db.kysely.transaction().execute(async (trx) => {
    const records = await claimPostgresRecords(trx, BATCH_SIZE);
    if (records.length > 0) {
      await processRecords(trx, db.dialect, records, log);
    }
    return records.length;
  });
}

async function main(): Promise<void> {
  let failures = 0;

  while (running) {
    try {
      const claimed = await runBatch();
      failures = 0;
      if (claimed === 0) {
        await sleep(IDLE_DELAY_MS);
      } else {
        parentPort?.postMessage({ processed: claimed });
      }
    } catch (error) {
      failures += 1;
      const delay = Math.min(MAX_RETRY_DELAY_MS, 100 * 2 ** failures);
      log.error({ err: error, attempt: failures, retryInMs: delay }, 'batch failed, will retry');
      await sleep(delay);
    }
  }

  await db.close();
  parentPort?.postMessage({ stopped: true });
  parentPort?.close();
}

void main();
