import type { Kysely, RawBuilder } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import { attachPayloadDictionaries } from './payload-dictionaries.js';

export interface EventRow {
  id: number;
  projectId: number;
  issueId: number;
  eventId: string;
  timestamp: number;
  receivedAt: number;
  payload: Buffer;
  size: number;
  payloadDictionaryId: number | null;
  /** The dictionary `payload` was compressed with, loaded with the row; null for none. */
  dictionary: Buffer | null;
}

const COLUMNS = [
  'id',
  'projectId',
  'issueId',
  'eventId',
  'timestamp',
  'receivedAt',
  'payload',
  'size',
  'payloadDictionaryId',
] as const;

/** Reads stored events. Every query here is served by `events_issue_timestamp` or the unique key. */
export class EventRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async findByEventId(projectIds: number[], eventId: string): Promise<EventRow | undefined> {
    if (projectIds.length === 0) {
      return undefined;
    }
    const row = await this.#db
      .selectFrom('events')
      .select(COLUMNS)
      .where('projectId', 'in', projectIds)
      .where('eventId', '=', eventId)
      .executeTakeFirst();
    return row === undefined ? undefined : (await attachPayloadDictionaries(this.#db, [row]))[0];
  }

  async findEdge(issueId: number, edge: 'latest' | 'oldest'): Promise<EventRow | undefined> {
    const direction = edge === 'latest' ? 'desc' : 'asc';
    const row = await this.#db
      .selectFrom('events')
      .select(COLUMNS)
      .where('issueId', '=', issueId)
      .orderBy('timestamp', direction)
      .orderBy('id', direction)
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : (await attachPayloadDictionaries(this.#db, [row]))[0];
  }

  /**
   * Lists an issue's events, newest first, that meet every condition (from
   * `eventSearchConditions`), fetching one extra row to tell whether more exist.
   */
  async listByIssue(
    issueId: number,
    offset: number,
    limit: number,
    conditions: RawBuilder<boolean>[] = [],
  ): Promise<EventRow[]> {
    let query = this.#db.selectFrom('events').select(COLUMNS).where('issueId', '=', issueId);
    for (const condition of conditions) {
      query = query.where(condition);
    }
    const rows = await query
      .orderBy('timestamp', 'desc')
      .orderBy('id', 'desc')
      .offset(offset)
      .limit(limit + 1)
      .execute();
    return attachPayloadDictionaries(this.#db, rows);
  }

  /** Returns the event ids just before (older) and after (newer) an event in its issue. */
  async findNeighbors(row: EventRow): Promise<{ previous: string | null; next: string | null }> {
    const older = await this.#db
      .selectFrom('events')
      .select('eventId')
      .where('issueId', '=', row.issueId)
      // The bound on `timestamp` alone lets PostgreSQL seek to the event in the index. With the
      // OR alone it walked every event of the issue from the other end (250 ms for 100,000).
      .where('timestamp', '<=', row.timestamp)
      .where((eb) => eb.or([eb('timestamp', '<', row.timestamp), eb('id', '<', row.id)]))
      .orderBy('timestamp', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    const newer = await this.#db
      .selectFrom('events')
      .select('eventId')
      .where('issueId', '=', row.issueId)
      .where('timestamp', '>=', row.timestamp)
      .where((eb) => eb.or([eb('timestamp', '>', row.timestamp), eb('id', '>', row.id)]))
      .orderBy('timestamp', 'asc')
      .orderBy('id', 'asc')
      .limit(1)
      .executeTakeFirst();

    return { previous: older?.eventId ?? null, next: newer?.eventId ?? null };
  }
}
