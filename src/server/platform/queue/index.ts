export { claimPostgresRecords, PostgresQueueWriter } from './postgres-queue.js';
export type { ClaimedRecord, QueueRecord, QueueWriter } from './queue-types.js';
export {
  RedisQueueConsumer,
  type DeadLetterReason,
  type DeliveredEntries,
} from './redis-queue-consumer.js';
export { RedisQueueWriter } from './redis-queue-writer.js';
export {
  DEAD_LETTER_STREAM,
  execOrThrow,
  QUEUE_STREAM,
  readFieldMap,
  streamIdTime,
  toStreamFields,
  WORKER_GROUP,
  type StreamEntry,
  type StreamRecord,
} from './redis-stream.js';
export { openQueueDb, SqliteQueueReader } from './sqlite-queue.js';
export { SpoolWriter } from './spool-writer.js';
