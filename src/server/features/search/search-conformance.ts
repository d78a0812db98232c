import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { parseSearch } from './search-syntax.js';

/** Sentry's test clock in the search-syntax fixtures, which relative dates count from. */
const FIXTURE_NOW = new Date('2017-10-17T02:41:20Z');

interface FixtureCase {
  desc?: string;
  query: string;
  result: unknown[];
}

export interface SearchSyntaxMismatch {
  file: string;
  query: string;
  /** The first difference: its path in the token list and the expected and parsed values. */
  path: string;
  expected: unknown;
  actual: unknown;
}

export interface SearchSyntaxReport {
  matched: number;
  total: number;
  mismatches: SearchSyntaxMismatch[];
}

/**
 * Parses every query of Sentry's search-syntax fixtures (`fixtures/search-syntax/*.json` under
 * `dir`) and compares the tokens with the expected ones. The comparison is a subset match,
 * because versions of the fixtures differ in which flags they list, with one exception: a filter
 * that the fixture marks invalid must be invalid and the other way round.
 */
export function runSearchSyntaxConformance(dir: string): SearchSyntaxReport {
  const fixtureDir = path.join(dir, 'fixtures', 'search-syntax');
  const report: SearchSyntaxReport = { matched: 0, total: 0, mismatches: [] };

  for (const file of readdirSync(fixtureDir)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const cases = JSON.parse(readFileSync(path.join(fixtureDir, file), 'utf8')) as FixtureCase[];
    for (const fixture of cases) {
      report.total += 1;
      const tokens = parseSearch(fixture.query, { now: FIXTURE_NOW });
      const difference = findDifference(fixture.result, tokens, 'tokens');
      if (difference === undefined) {
        report.matched += 1;
      } else {
        report.mismatches.push({ file, query: fixture.query, ...difference });
      }
    }
  }
  return report;
}

type Difference = { path: string; expected: unknown; actual: unknown };

function findDifference(expected: unknown, actual: unknown, where: string): Difference | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return { path: where, expected, actual };
    }
    for (const [index, item] of expected.entries()) {
      const difference = findDifference(item, actual[index], `${where}[${index}]`);
      if (difference !== undefined) {
        return difference;
      }
    }
    return undefined;
  }

  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') {
      return { path: where, expected, actual };
    }
    const expectedRecord = expected as Record<string, unknown>;
    const actualRecord = actual as Record<string, unknown>;
    if (
      expectedRecord.type === 'filter' &&
      'invalid' in expectedRecord !== 'invalid' in actualRecord
    ) {
      return {
        path: `${where}.invalid`,
        expected: expectedRecord.invalid,
        actual: actualRecord.invalid,
      };
    }
    for (const [key, value] of Object.entries(expectedRecord)) {
      const difference = findDifference(value, actualRecord[key], `${where}.${key}`);
      if (difference !== undefined) {
        return difference;
      }
    }
    return undefined;
  }

  return Object.is(expected, actual) ? undefined : { path: where, expected, actual };
}
