import type { Redis } from '../redis/index.js';
import {
  DEAD_LETTER_STREAM,
  execOrThrow,
  parseStreamEntry,
  QUEUE_STREAM,
  WORKER_GROUP,
  type StreamEntry,
  type StreamRecord,
} from './redis-stream.js';

/** Entries read from the stream: the records, and the ids of entries that are not records. */
export interface DeliveredEntries {
  records: StreamRecord[];
  /** Entries whose fields are missing or malformed. */
  malformed: StreamEntry[];
}

/** The reason a record went to the dead-letter stream, stored with it. */
export interface DeadLetterReason {
  error: string;
  deliveries: number;
}

/**
 * One worker's side of the Redis Streams queue: a consumer of the `workers` group. Entries stay
 * pending for this consumer from the read until `ack`, and another consumer can take them over
 * with `reclaim` once they have been idle long enough.
 */
export class RedisQueueConsumer {
  readonly #redis: Redis;
  readonly #name: string;
  #reclaimCursor = '0-0';

  /** `name` must be unique per worker thread, or two workers would share pending entries. */
  constructor(redis: Redis, name: string) {
    this.#redis = redis;
    this.#name = name;
  }

  get name(): string {
    return this.#name;
  }

  /** Creates the stream and the group when missing. */
  async ensureGroup(): Promise<void> {
    // ioredis does not prefix the key of XGROUP, which comes after a subcommand.
    const stream = `${this.#redis.options.keyPrefix ?? ''}${QUEUE_STREAM}`;
    try {
      await this.#redis.xgroup('CREATE', stream, WORKER_GROUP, '0', 'MKSTREAM');
    } catch (error) {
      // BUSYGROUP: another worker created the group first.
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) {
        throw error;
      }
    }
  }

  /** Reads at most `count` new entries, waiting up to `blockMs` when there are none. */
  async readNew(count: number, blockMs: number): Promise<DeliveredEntries> {
    const reply = (await this.#redis.xreadgroup(
      'GROUP',
      WORKER_GROUP,
      this.#name,
      'COUNT',
      count,
      'BLOCK',
      blockMs,
      'STREAMS',
      QUEUE_STREAM,
      '>',
    )) as [stream: string, entries: StreamEntry[]][] | null;
    return splitEntries(reply?.[0]?.[1] ?? []);
  }

  /**
   * Takes over at most `count` entries that other consumers (or this one) read but did not
   * acknowledge within `minIdleMs`, which adds one to their delivery counts. The scan resumes
   * where the last call stopped and starts over after reaching the end of the pending list.
   */
  async reclaim(minIdleMs: number, count: number): Promise<DeliveredEntries> {
    // Redis 7.0 replies with the next cursor, the claimed entries, and the ids of pending
    // entries that no longer exist in the stream (which it removes from the pending list).
    // Redis 6.2 has no third element and lists such entries with null fields instead.
    const reply = (await this.#redis.xautoclaim(
      QUEUE_STREAM,
      WORKER_GROUP,
      this.#name,
      minIdleMs,
      this.#reclaimCursor,
      'COUNT',
      count,
    )) as [cursor: string, entries: (StreamEntry | [string, null])[], deleted?: string[]];
    this.#reclaimCursor = reply[0];
    const existing = reply[1].filter((entry): entry is StreamEntry => entry[1] !== null);
    return splitEntries(existing);
  }

  /** Whether the last `reclaim` stopped before the end of the pending list. */
  get reclaimUnfinished(): boolean {
    return this.#reclaimCursor !== '0-0';
  }

  /**
   * Delivers an entry that this consumer holds once more, which adds one to its delivery count,
   * and returns the new count (0 when the entry is no longer pending for this consumer).
   */
  async redeliver(streamId: string): Promise<number> {
    await this.#redis.xclaim(QUEUE_STREAM, WORKER_GROUP, this.#name, 0, streamId);
    return (await this.deliveryCounts([streamId])).get(streamId) ?? 0;
  }

  /**
   * Resets the idle time of entries this consumer holds without adding to their delivery
   * counts, so that other consumers do not take over records that this one is still retrying.
   */
  async touch(streamIds: readonly string[]): Promise<void> {
    if (streamIds.length === 0) {
      return;
    }
    await this.#redis.xclaim(QUEUE_STREAM, WORKER_GROUP, this.#name, 0, ...streamIds, 'JUSTID');
  }

  /** Returns the delivery counts of entries pending for this consumer. */
  async deliveryCounts(streamIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (streamIds.length === 0) {
      return counts;
    }

    const sorted = [...streamIds].sort(compareStreamIds);
    const reply = (await this.#redis.xpending(
      QUEUE_STREAM,
      WORKER_GROUP,
      sorted[0] ?? '-',
      sorted.at(-1) ?? '+',
      sorted.length,
      this.#name,
    )) as [id: string, consumer: string, idleMs: number, deliveries: number][];
    for (const [id, , , deliveries] of reply) {
      counts.set(id, Number(deliveries));
    }
    return counts;
  }

  /** Acknowledges entries and deletes them from the stream, in one transaction. */
  async ack(streamIds: readonly string[]): Promise<void> {
    if (streamIds.length === 0) {
      return;
    }
    await execOrThrow(
      this.#redis
        .multi()
        .xack(QUEUE_STREAM, WORKER_GROUP, ...streamIds)
        .xdel(QUEUE_STREAM, ...streamIds),
    );
  }

  /**
   * Copies an entry to the dead-letter stream with the reason, then acknowledges and deletes it,
   * in one transaction. The copy keeps the entry's fields, so it can be requeued.
   */
  async deadLetter(streamId: string, fields: readonly string[], reason: DeadLetterReason) {
    await execOrThrow(
      this.#redis
        .multi()
        .xadd(
          DEAD_LETTER_STREAM,
          '*',
          ...fields,
          'queueId',
          streamId,
          'error',
          reason.error,
          'deliveries',
          String(reason.deliveries),
          'deadAt',
          String(Date.now()),
        )
        .xack(QUEUE_STREAM, WORKER_GROUP, streamId)
        .xdel(QUEUE_STREAM, streamId),
    );
  }
}

/** Orders stream ids by time, then sequence. */
export function compareStreamIds(a: string, b: string): number {
  const [aTime = 0, aSequence = 0] = a.split('-').map(Number);
  const [bTime = 0, bSequence = 0] = b.split('-').map(Number);
  return aTime - bTime || aSequence - bSequence;
}

function splitEntries(entries: readonly StreamEntry[]): DeliveredEntries {
  const records: StreamRecord[] = [];
  const malformed: StreamEntry[] = [];
  for (const entry of entries) {
    const record = parseStreamEntry(entry);
    if (record === undefined) {
      malformed.push(entry);
    } else {
      records.push(record);
    }
  }
  return { records, malformed };
}
