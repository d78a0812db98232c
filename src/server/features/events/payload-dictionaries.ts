import type { ExpressionBuilder, Kysely } from 'kysely';

import type { Database, Dialect } from '../../platform/db/index.js';
import {
  adler32,
  buildPayloadDictionary,
  compressDictionary,
  inflateDictionary,
  inflatePayload,
  readDictionaryChecksum,
} from './payload-codec.js';

/** A stored payload and the dictionary it was compressed with (null for plain deflate). */
export interface StoredPayload {
  payload: Buffer;
  payloadDictionaryId: number | null;
}

/** A dictionary ready to compress with: its row id and its inflated bytes. */
export interface PayloadDictionary {
  id: number;
  dictionary: Buffer;
}

const CACHE_MAX_BYTES = 4 * 1024 * 1024;
const IDS_PER_QUERY = 500;

/** Inflated dictionaries by `id:checksum`, least recently used first, bounded by total bytes. */
class DictionaryCache {
  readonly #entries = new Map<string, Buffer>();
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  get(key: string): Buffer | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: Buffer): void {
    const previous = this.#entries.get(key);
    if (previous !== undefined) {
      this.#entries.delete(key);
      this.#bytes -= previous.length;
    }
    this.#entries.set(key, value);
    this.#bytes += value.length;

    for (const [oldestKey, oldest] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) {
        break;
      }
      this.#entries.delete(oldestKey);
      this.#bytes -= oldest.length;
    }
  }
}

// One cache per thread: the worker thread's serves the writer, the main thread's the readers.
// Dictionaries never change and their ids are never reused. The key carries the checksum, so
// that two databases open in one process (as in tests) never share an entry by id alone.
const cache = new DictionaryCache(CACHE_MAX_BYTES);

const cacheKey = (id: number, checksum: number) => `${id}:${checksum}`;

/**
 * Returns the dictionaries with the given ids, from the cache or else from the table.
 * @throws Error when a dictionary row is missing or its bytes do not match its checksum.
 */
async function loadDictionaries(
  db: Kysely<Database>,
  expected: ReadonlyMap<number, number>,
): Promise<Map<number, Buffer>> {
  const found = new Map<number, Buffer>();
  const missing: number[] = [];
  for (const [id, checksum] of expected) {
    const cached = cache.get(cacheKey(id, checksum));
    if (cached === undefined) {
      missing.push(id);
    } else {
      found.set(id, cached);
    }
  }

  for (let start = 0; start < missing.length; start += IDS_PER_QUERY) {
    const rows = await db
      .selectFrom('payloadDictionaries')
      .select(['id', 'checksum', 'content'])
      .where('id', 'in', missing.slice(start, start + IDS_PER_QUERY))
      .execute();
    for (const row of rows) {
      const id = Number(row.id);
      const dictionary = inflateDictionary(row.content);
      const checksum = adler32(dictionary);
      if (checksum !== Number(row.checksum) || checksum !== expected.get(id)) {
        throw new Error(`Payload dictionary ${id} does not match its checksum ${row.checksum}`);
      }
      cache.set(cacheKey(id, checksum), dictionary);
      found.set(id, dictionary);
    }
  }

  const lost = missing.filter((id) => !found.has(id));
  if (lost.length > 0) {
    throw new Error(`Payload dictionaries ${lost.join(', ')} not found, but events use them`);
  }
  return found;
}

/**
 * Adds to each row the dictionary its payload was compressed with (`dictionary`, null for
 * payloads stored without one), so that `inflatePayload` can read it.
 * @throws Error when a payload names a dictionary that is missing or does not match it.
 */
export async function attachPayloadDictionaries<T extends StoredPayload>(
  db: Kysely<Database>,
  rows: readonly T[],
): Promise<(T & { dictionary: Buffer | null })[]> {
  const expected = new Map<number, number>();
  for (const row of rows) {
    if (row.payloadDictionaryId === null) {
      continue;
    }
    const id = Number(row.payloadDictionaryId);
    const checksum = readDictionaryChecksum(row.payload);
    if (checksum === null) {
      throw new Error(`A payload names dictionary ${id} but was compressed without one`);
    }
    expected.set(id, checksum);
  }

  const dictionaries =
    expected.size === 0 ? new Map<number, Buffer>() : await loadDictionaries(db, expected);
  return rows.map((row) => ({
    ...row,
    dictionary:
      row.payloadDictionaryId === null
        ? null
        : (dictionaries.get(Number(row.payloadDictionaryId)) ?? null),
  }));
}

/**
 * Inflates stored payloads to their JSON bytes, in the order of `rows`.
 * @throws Error when a payload names a dictionary that is missing or does not match it.
 */
export async function readStoredPayloads(
  db: Kysely<Database>,
  rows: readonly StoredPayload[],
): Promise<Buffer[]> {
  const attached = await attachPayloadDictionaries(db, rows);
  return attached.map((row) => inflatePayload(row.payload, row.dictionary));
}

/** An event about to be stored: its project, its issue and its normalized JSON. */
export interface IssuePayload {
  projectId: number;
  issueId: number;
  json: Buffer;
}

/**
 * Returns the dictionary of each issue in `events`. An issue without one gets one built from
 * its first event in `events`. Runs inside the batch's transaction. On PostgreSQL the rows
 * found are locked (`FOR KEY SHARE`) until the commit, so that the sweep cannot delete them
 * between this read and the insert of the events that use them.
 */
export async function findOrCreateIssueDictionaries(
  trx: Kysely<Database>,
  dialect: Dialect,
  events: readonly IssuePayload[],
  now: number,
): Promise<Map<number, PayloadDictionary>> {
  const issueIds = [...new Set(events.map((event) => event.issueId))];
  const checksums = new Map<number, number>();
  const idOfIssue = new Map<number, number>();

  for (let start = 0; start < issueIds.length; start += IDS_PER_QUERY) {
    let query = trx
      .selectFrom('payloadDictionaries')
      .select(['id', 'issueId', 'checksum'])
      .where('issueId', 'in', issueIds.slice(start, start + IDS_PER_QUERY))
      .orderBy('id');
    if (dialect === 'postgres') {
      query = query.forKeyShare();
    }
    // Two workers may create a dictionary for one new issue at once, and then the older is used.
    for (const row of await query.execute()) {
      if (!idOfIssue.has(Number(row.issueId))) {
        idOfIssue.set(Number(row.issueId), Number(row.id));
        checksums.set(Number(row.id), Number(row.checksum));
      }
    }
  }

  const loaded =
    checksums.size === 0 ? new Map<number, Buffer>() : await loadDictionaries(trx, checksums);
  const result = new Map<number, PayloadDictionary>();
  for (const [issueId, id] of idOfIssue) {
    const dictionary = loaded.get(id);
    if (dictionary !== undefined) {
      result.set(issueId, { id, dictionary });
    }
  }

  const created = await createDictionaries(
    trx,
    events.filter((event) => !result.has(event.issueId)),
    now,
  );
  for (const [issueId, dictionary] of created) {
    result.set(issueId, dictionary);
  }
  return result;
}

/** Creates one dictionary for each issue of `events`, from its first event. */
async function createDictionaries(
  trx: Kysely<Database>,
  events: readonly IssuePayload[],
  now: number,
): Promise<Map<number, PayloadDictionary>> {
  const firsts = new Map<number, { projectId: number; dictionary: Buffer }>();
  for (const event of events) {
    if (!firsts.has(event.issueId)) {
      const dictionary = buildPayloadDictionary(
        JSON.parse(event.json.toString('utf8')) as Record<string, unknown>,
      );
      firsts.set(event.issueId, { projectId: event.projectId, dictionary });
    }
  }

  const created = new Map<number, PayloadDictionary>();
  const entries = [...firsts];
  for (let start = 0; start < entries.length; start += IDS_PER_QUERY) {
    const slice = entries.slice(start, start + IDS_PER_QUERY);
    const rows = await trx
      .insertInto('payloadDictionaries')
      .values(
        slice.map(([issueId, { projectId, dictionary }]) => ({
          projectId,
          issueId,
          checksum: adler32(dictionary),
          content: compressDictionary(dictionary),
          createdAt: now,
        })),
      )
      .returning(['id', 'issueId', 'checksum'])
      .execute();
    for (const row of rows) {
      const dictionary = firsts.get(Number(row.issueId))?.dictionary;
      if (dictionary !== undefined) {
        cache.set(cacheKey(Number(row.id), Number(row.checksum)), dictionary);
        created.set(Number(row.issueId), { id: Number(row.id), dictionary });
      }
    }
  }
  return created;
}

/** Dictionaries younger than this are never swept, even when no event uses them yet. */
export const DICTIONARY_MIN_AGE_MS = 3_600_000;
const SWEEP_BATCH = 1_000;

/** Selects the events that use the dictionary of the outer query's row. */
function eventsUsingDictionary(eb: ExpressionBuilder<Database, 'payloadDictionaries'>) {
  return eb
    .selectFrom('events')
    .select('events.id')
    .whereRef('events.payloadDictionaryId', '=', 'payloadDictionaries.id');
}

const isForeignKeyViolation = (error: unknown) =>
  typeof error === 'object' &&
  error !== null &&
  'code' in error &&
  (error.code === '23503' || error.code === 'SQLITE_CONSTRAINT_FOREIGNKEY');

/**
 * Deletes up to 1,000 dictionaries that no event uses and that are older than an hour.
 * Returns the number deleted, 0 when a concurrent write made one of them used again: the
 * foreign key from `events` then rejects the delete, and the next run tries again.
 */
export async function deleteUnusedPayloadDictionaries(
  db: Kysely<Database>,
  now: number,
): Promise<number> {
  const unused = await db
    .selectFrom('payloadDictionaries')
    .select('id')
    .where('createdAt', '<', now - DICTIONARY_MIN_AGE_MS)
    .where((eb) => eb.not(eb.exists(eventsUsingDictionary(eb))))
    .limit(SWEEP_BATCH)
    .execute();
  if (unused.length === 0) {
    return 0;
  }

  try {
    const result = await db
      .deleteFrom('payloadDictionaries')
      .where(
        'id',
        'in',
        unused.map((row) => Number(row.id)),
      )
      .where((eb) => eb.not(eb.exists(eventsUsingDictionary(eb))))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  } catch (error) {
    if (isForeignKeyViolation(error)) {
      return 0;
    }
    throw new Error('Failed to delete unused payload dictionaries', { cause: error });
  }
}
