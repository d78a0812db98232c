import { z } from 'zod';

import type { Redis } from '../redis/index.js';
import type { ClaimedRecord, QueueRecord } from './queue-types.js';

/** Stream of queue records, without the client's key prefix. */
export const QUEUE_STREAM = 'queue';
/** Stream of records that were delivered too often without being stored. */
export const DEAD_LETTER_STREAM = 'queue:dead';
/** The consumer group that all workers share. */
export const WORKER_GROUP = 'workers';

/** A queue record read from the stream, with its stream id (`<milliseconds>-<sequence>`). */
export interface StreamRecord extends ClaimedRecord {
  streamId: string;
}

/** A stream entry as ioredis returns it: the id and a flat list of field names and values. */
export type StreamEntry = [id: string, fields: string[]];

const recordFields = z.object({
  projectId: z.string().regex(/^\d{1,15}$/),
  kind: z.string().min(1),
  receivedAt: z.string().regex(/^\d{1,15}$/),
  body: z.string(),
});

/** Returns the fields of a stream entry for XADD, in the order XADD takes them. */
export function toStreamFields(record: QueueRecord): string[] {
  return [
    'projectId',
    String(record.projectId),
    'kind',
    record.kind,
    'receivedAt',
    String(record.receivedAt),
    'body',
    record.body,
  ];
}

/** Turns a flat field list into an object; a repeated field keeps its last value. */
export function readFieldMap(fields: readonly string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (let index = 0; index + 1 < fields.length; index += 2) {
    map[fields[index] ?? ''] = fields[index + 1] ?? '';
  }
  return map;
}

/**
 * Reads a stream entry written by `toStreamFields`. Returns undefined for an entry whose fields
 * are missing or malformed (written by something else), which the worker moves to the
 * dead-letter stream.
 */
export function parseStreamEntry([streamId, fields]: StreamEntry): StreamRecord | undefined {
  const parsed = recordFields.safeParse(readFieldMap(fields));
  if (!parsed.success) {
    return undefined;
  }

  return {
    streamId,
    id: streamIdNumber(streamId),
    projectId: Number(parsed.data.projectId),
    kind: parsed.data.kind,
    receivedAt: Number(parsed.data.receivedAt),
    body: parsed.data.body,
  };
}

/**
 * Returns a stream id as one number (milliseconds × 1,000 + sequence) for the `id` of a claimed
 * record, which only logs read.
 * NOTE: two ids of the same millisecond whose sequences differ by a multiple of 1,000 map to the
 * same number.
 */
function streamIdNumber(streamId: string): number {
  const [milliseconds = '0', sequence = '0'] = streamId.split('-');
  return Number(milliseconds) * 1_000 + (Number(sequence) % 1_000);
}

/** Returns the millisecond part of a stream id: when Redis added the entry. */
export function streamIdTime(streamId: string): number {
  return Number(streamId.split('-')[0]);
}

/** Runs a MULTI and throws the first command error, since EXEC reports them per command. */
export async function execOrThrow(transaction: ReturnType<Redis['multi']>): Promise<void> {
  const replies = await transaction.exec();
  if (replies === null) {
    throw new Error('Redis discarded the queue transaction');
  }
  const failed = replies.find(([error]) => error !== null)?.[0];
  if (failed !== undefined && failed !== null) {
    throw failed;
  }
}
