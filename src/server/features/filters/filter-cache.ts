import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import { ProjectCache } from '../../platform/db/project-cache.js';
import { readFilterSettings } from './filter-repository.js';
import { toFilterInput } from './filter-settings.js';
import { compileFilterConfig, type InboundFilterConfig } from './inbound-filters.js';

/** How long a project's compiled filters are used before they are read again. */
export const FILTER_CACHE_MAX_AGE_MS = 2_000;

/** Reads and compiles the inbound filters of projects. */
async function readFilterConfigs(db: Kysely<Database>, projectIds: number[]) {
  const configs = new Map<number, InboundFilterConfig>();
  for (const [projectId, settings] of await readFilterSettings(db, projectIds)) {
    configs.set(projectId, compileFilterConfig(toFilterInput(settings)));
  }
  return configs;
}

/** Compiled inbound filters per project, for the worker (see `ProjectCache`). */
export class FilterConfigCache extends ProjectCache<InboundFilterConfig> {
  constructor(maxAgeMs = FILTER_CACHE_MAX_AGE_MS) {
    super(readFilterConfigs, maxAgeMs);
  }
}

const sharedCache = new FilterConfigCache();

/**
 * Returns the compiled inbound filters of the projects, from a cache shared by everything that
 * runs in this thread (the event path and the feature processors of the worker).
 */
export function loadFilterConfigs(
  db: Kysely<Database>,
  projectIds: Iterable<number>,
): Promise<ReadonlyMap<number, InboundFilterConfig>> {
  return sharedCache.load(db, projectIds);
}
