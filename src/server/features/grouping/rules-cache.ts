import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import { ProjectCache } from '../../platform/db/project-cache.js';

import {
  type CompiledGroupingRules,
  compileGroupingRules,
  readGroupingRules,
} from './project-rules.js';

/** How long a project's compiled grouping rules are used before they are read again. */
export const GROUPING_RULES_MAX_AGE_MS = 2_000;

async function readCompiledRules(db: Kysely<Database>, projectIds: number[]) {
  const rules = new Map<number, CompiledGroupingRules>();
  for (const [projectId, text] of await readGroupingRules(db, projectIds)) {
    rules.set(projectId, compileGroupingRules(text));
  }
  return rules;
}

/**
 * Compiled grouping rules per project, for the worker (see `ProjectCache`). Unchanged rules keep
 * their previous object, so that the grouping cache keyed by it stays warm.
 */
export class GroupingRulesCache extends ProjectCache<CompiledGroupingRules> {
  constructor(maxAgeMs = GROUPING_RULES_MAX_AGE_MS) {
    super(readCompiledRules, maxAgeMs, (previous, next) =>
      previous.key === next.key ? previous : next,
    );
  }
}

const sharedCache = new GroupingRulesCache();

/** Returns the compiled grouping rules of the projects, from a cache shared by this thread. */
export function loadGroupingRules(
  db: Kysely<Database>,
  projectIds: Iterable<number>,
): Promise<ReadonlyMap<number, CompiledGroupingRules>> {
  return sharedCache.load(db, projectIds);
}
