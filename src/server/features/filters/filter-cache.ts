import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import { readFilterSettings } from './filter-repository.js';
import { toFilterInput } from './filter-settings.js';
import { compileFilterConfig, type InboundFilterConfig } from './inbound-filters.js';

interface CachedConfig {
  config: InboundFilterConfig;
  loadedAt: number;
}

/** How long a project's compiled filters are used before they are read again. */
export const FILTER_CACHE_MAX_AGE_MS = 2_000;

/**
 * Compiled inbound filters per project, for the worker. Entries are read again once older than
 * `maxAgeMs`, so a settings change made through the API applies within that time, from any
 * process. A batch reads all of its stale projects with one query.
 */
export class FilterConfigCache {
  readonly #maxAgeMs: number;
  readonly #entries = new Map<number, CachedConfig>();

  constructor(maxAgeMs = FILTER_CACHE_MAX_AGE_MS) {
    this.#maxAgeMs = maxAgeMs;
  }

  async load(
    db: Kysely<Database>,
    projectIds: Iterable<number>,
    now = Date.now(),
  ): Promise<ReadonlyMap<number, InboundFilterConfig>> {
    const wanted = new Set(projectIds);
    const stale = [...wanted].filter((projectId) => {
      const entry = this.#entries.get(projectId);
      return entry === undefined || now - entry.loadedAt >= this.#maxAgeMs;
    });

    if (stale.length > 0) {
      const settings = await readFilterSettings(db, stale);
      for (const [projectId, projectSettings] of settings) {
        const config = compileFilterConfig(toFilterInput(projectSettings));
        this.#entries.set(projectId, { config, loadedAt: now });
      }
    }

    const configs = new Map<number, InboundFilterConfig>();
    for (const projectId of wanted) {
      const entry = this.#entries.get(projectId);
      if (entry !== undefined) {
        configs.set(projectId, entry.config);
      }
    }
    return configs;
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
