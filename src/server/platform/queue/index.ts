export { claimPostgresRecords, PostgresQueueWriter } from './postgres-queue.js';
export type { ClaimedRecord, QueueRecord, QueueWriter } from './queue-types.js';
export { openQueueDb, SqliteQueueReader } from './sqlite-queue.js';
export { SpoolWriter } from './spool-writer.js';
