import type { Kysely } from 'kysely';

import { FILTER_OPTION_KEYS } from '../../../shared/api/filters.js';
import type { Database } from '../../platform/db/index.js';
import type { ProjectOptionsStore } from '../organizations/index.js';
import { readFilterSettings, updateFilterSettings } from './filter-repository.js';
import { parseFilterOptions, readFilterOptions, type FilterSettings } from './filter-settings.js';

/**
 * Creates the store of the custom inbound filters as Sentry's project options (`filters:blacklisted_ips`,
 * `filters:releases`, `filters:error_messages`), one entry a line.
 */
export function createFilterOptionsStore(db: Kysely<Database>): ProjectOptionsStore {
  return {
    keys: FILTER_OPTION_KEYS,

    async read(projectId) {
      const settings = await readFilterSettings(db, [projectId]);
      return readFilterOptions(settings.get(projectId) as FilterSettings);
    },

    check(options) {
      const parsed = parseFilterOptions(options);
      return parsed.ok ? {} : parsed.problems;
    },

    async write(projectId, options) {
      const parsed = parseFilterOptions(options);
      if (!parsed.ok) {
        throw new Error(
          `filter options were written without a check: ${Object.keys(parsed.problems).join(', ')}`,
        );
      }
      await updateFilterSettings(db, projectId, parsed.fields);
    },
  };
}
