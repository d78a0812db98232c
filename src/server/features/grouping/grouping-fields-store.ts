import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import type { ProjectFieldsStore } from '../organizations/index.js';

import {
  MAX_RULES_CHARS,
  readGroupingRules,
  validateGroupingRules,
  writeGroupingRules,
} from './project-rules.js';

const ENHANCEMENTS_FIELD = 'groupingEnhancements';
const FINGERPRINTING_FIELD = 'fingerprintingRules';

function checkText(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return 'expected a string of rules, one per line';
  }

  return value.length > MAX_RULES_CHARS
    ? `the rules are ${value.length} characters long; the maximum is ${MAX_RULES_CHARS}`
    : undefined;
}

/**
 * Serves a project's stack-trace rules and fingerprint rules as Sentry's project fields
 * `groupingEnhancements` and `fingerprintingRules`. Every invalid line is reported as
 * `line N: problem`.
 */
export function createGroupingFieldsStore(db: Kysely<Database>): ProjectFieldsStore {
  return {
    keys: [ENHANCEMENTS_FIELD, FINGERPRINTING_FIELD],

    async read(projectId) {
      const rules = (await readGroupingRules(db, [projectId])).get(projectId);
      return {
        [ENHANCEMENTS_FIELD]: rules?.enhancements ?? '',
        [FINGERPRINTING_FIELD]: rules?.fingerprinting ?? '',
      };
    },

    check(fields) {
      const problems: Record<string, string[]> = {};

      for (const key of [ENHANCEMENTS_FIELD, FINGERPRINTING_FIELD]) {
        const problem = key in fields ? checkText(fields[key]) : undefined;
        if (problem !== undefined) {
          problems[key] = [problem];
        }
      }

      if (Object.keys(problems).length > 0) {
        return problems;
      }

      const errors = validateGroupingRules({
        enhancements: fields[ENHANCEMENTS_FIELD] as string | undefined,
        fingerprinting: fields[FINGERPRINTING_FIELD] as string | undefined,
      });

      for (const [key, lineErrors] of Object.entries(errors)) {
        if (lineErrors.length > 0) {
          problems[key] = lineErrors.map((error) => `line ${error.line}: ${error.message}`);
        }
      }

      return problems;
    },

    async write(projectId, fields) {
      await writeGroupingRules(db, projectId, {
        enhancements: fields[ENHANCEMENTS_FIELD] as string | undefined,
        fingerprinting: fields[FINGERPRINTING_FIELD] as string | undefined,
      });
    },
  };
}
