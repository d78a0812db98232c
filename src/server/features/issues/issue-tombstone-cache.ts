import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import { ProjectCache } from '../../platform/db/project-cache.js';

/**
 * How long the worker uses a project's tombstones before it reads them again. An event that
 * arrives within this time after a discard can still create a new issue.
 */
export const TOMBSTONE_CACHE_MAX_AGE_MS = 1_000;

/** Reads the discarded hashes of projects; a project without any gets an empty set. */
async function readTombstones(db: Kysely<Database>, projectIds: number[]) {
  const rows = await db
    .selectFrom('issueTombstones')
    .select(['projectId', 'hash'])
    .where('projectId', 'in', projectIds)
    .execute();
  const byProject = new Map<number, Set<string>>(projectIds.map((id) => [id, new Set<string>()]));
  for (const row of rows) {
    byProject.get(Number(row.projectId))?.add(row.hash);
  }
  return byProject;
}

/**
 * The hashes of discarded issues per project, for the worker (see `ProjectCache`). Most
 * projects have none, so the check costs one query per project and `maxAgeMs` instead of one
 * per batch.
 */
export class TombstoneCache extends ProjectCache<ReadonlySet<string>> {
  constructor(maxAgeMs = TOMBSTONE_CACHE_MAX_AGE_MS) {
    super(readTombstones, maxAgeMs);
  }
}

const sharedCache = new TombstoneCache();

/**
 * Splits events into those to store and those whose grouping hashes include a discarded one.
 */
export async function partitionDiscardedEvents<T extends { projectId: number; hashes: string[] }>(
  db: Kysely<Database>,
  events: T[],
): Promise<{ kept: T[]; discarded: T[] }> {
  if (events.length === 0) {
    return { kept: events, discarded: [] };
  }
  const tombstones = await sharedCache.load(
    db,
    events.map((event) => event.projectId),
  );
  if ([...tombstones.values()].every((hashes) => hashes.size === 0)) {
    return { kept: events, discarded: [] };
  }
  const kept: T[] = [];
  const discarded: T[] = [];
  for (const event of events) {
    const hashes = tombstones.get(event.projectId);
    if (hashes !== undefined && event.hashes.some((hash) => hashes.has(hash))) {
      discarded.push(event);
    } else {
      kept.push(event);
    }
  }
  return { kept, discarded };
}
