import { createHash } from 'node:crypto';

import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';

import { type EnhancementRule, parseRules, validateRules } from './enhancement-parser.js';
import {
  type FingerprintRule,
  parseFingerprintRules,
  type RuleError,
} from './fingerprint-rules.js';

/** A project's grouping rules as the user wrote them. */
export interface GroupingRulesText {
  enhancements: string;
  fingerprinting: string;
}

/** A project's grouping rules, parsed for the worker. */
export interface CompiledGroupingRules {
  enhancements: readonly EnhancementRule[];
  fingerprinting: readonly FingerprintRule[];
  /** A digest of both texts; equal keys mean equal rules, so grouping caches can key on it. */
  key: string;
}

/** Rule text is capped so that a project's rules stay cheap to match against every event. */
export const MAX_RULES_CHARS = 16_000;

export const EMPTY_RULES: CompiledGroupingRules = { enhancements: [], fingerprinting: [], key: '' };

/** Parses both rule texts. Invalid lines are skipped; `validateGroupingRules` reports them. */
export function compileGroupingRules(text: GroupingRulesText): CompiledGroupingRules {
  if (text.enhancements.trim() === '' && text.fingerprinting.trim() === '') {
    return EMPTY_RULES;
  }

  return {
    enhancements: parseRules(text.enhancements),
    fingerprinting: parseFingerprintRules(text.fingerprinting).rules,
    key: createHash('sha1')
      .update(text.enhancements)
      .update('\u0000')
      .update(text.fingerprinting)
      .digest('base64'),
  };
}

/** Returns one error per invalid line of each text, keyed by Sentry's project field name. */
export function validateGroupingRules(text: Partial<GroupingRulesText>): {
  groupingEnhancements: RuleError[];
  fingerprintingRules: RuleError[];
} {
  return {
    groupingEnhancements: text.enhancements === undefined ? [] : validateRules(text.enhancements),
    fingerprintingRules:
      text.fingerprinting === undefined ? [] : parseFingerprintRules(text.fingerprinting).errors,
  };
}

/** Reads the rule texts of the projects; a project without a row has empty rules. */
export async function readGroupingRules(
  db: Kysely<Database>,
  projectIds: readonly number[],
): Promise<Map<number, GroupingRulesText>> {
  const rules = new Map<number, GroupingRulesText>(
    projectIds.map((projectId) => [projectId, { enhancements: '', fingerprinting: '' }]),
  );

  if (projectIds.length === 0) {
    return rules;
  }

  const rows = await db
    .selectFrom('projectGroupingRules')
    .select(['projectId', 'enhancements', 'fingerprinting'])
    .where('projectId', 'in', [...projectIds])
    .execute();

  for (const row of rows) {
    rules.set(Number(row.projectId), {
      enhancements: row.enhancements,
      fingerprinting: row.fingerprinting,
    });
  }

  return rules;
}

/** Stores the given rule texts of a project; a text left undefined keeps its stored value. */
export async function writeGroupingRules(
  db: Kysely<Database>,
  projectId: number,
  change: Partial<GroupingRulesText>,
  now = Date.now(),
): Promise<void> {
  const changed = {
    ...(change.enhancements === undefined ? {} : { enhancements: change.enhancements }),
    ...(change.fingerprinting === undefined ? {} : { fingerprinting: change.fingerprinting }),
    updatedAt: now,
  };

  // One upsert that sets only the given columns, so that two requests changing different texts
  // at the same time both keep their change.
  await db
    .insertInto('projectGroupingRules')
    .values({ projectId, enhancements: '', fingerprinting: '', ...changed })
    .onConflict((conflict) => conflict.column('projectId').doUpdateSet(changed))
    .execute();
}
