import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

import { normalizeEvent } from '../processing/normalize.js';

import { computeGrouping } from './compute-grouping.js';

/** The grouping config whose expected outputs the harness compares against. */
const GROUPING_CONFIG = 'newstyle:2023-01-11';
const INPUT_DIR = 'tests/sentry/grouping/grouping_inputs';
const SNAPSHOT_DIR =
  'tests/sentry/grouping/snapshots/test_variants/test_event_hash_variant/newstyle@2023_01_11';

/** Fixed receive time for every case, so that results do not depend on the clock. */
const RECEIVED_AT_MS = Date.UTC(2025, 0, 1);

export interface ConformanceMismatch {
  name: string;
  expected: string[];
  actual: string[];
}

export interface ConformanceReport {
  total: number;
  matched: number;
  byPlatform: Record<string, { total: number; matched: number }>;
  mismatches: ConformanceMismatch[];
}

interface ConformanceCase {
  name: string;
  inputPath: string;
  snapshotPath: string;
  overrides: Record<string, unknown>;
}

/**
 * Reads the expected variant hashes from a Sentry `.pysnap` file: a YAML header, then one block
 * per variant (`<variant>:` followed by `  hash: "<hex>"` or `  hash: null`), separated by dashes.
 */
export function parseSnapshotHashes(text: string): Record<string, string | null> {
  const hashes: Record<string, string | null> = {};
  let variant: string | undefined;

  for (const line of text.split(/\r?\n/)) {
    const variantMatch = /^([a-z][a-z-]*):\s*$/.exec(line);

    if (variantMatch?.[1] !== undefined) {
      variant = variantMatch[1];
      continue;
    }

    const hashMatch = /^ {2}hash: (?:"([^"]*)"|null)\s*$/.exec(line);

    if (hashMatch !== null && variant !== undefined && !(variant in hashes)) {
      hashes[variant] = hashMatch[1] ?? null;
    }
  }

  return hashes;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Lists the cases from MANIFEST.json, or pairs inputs with snapshots by name when it is missing. */
function listCases(dir: string): ConformanceCase[] {
  const manifestPath = join(dir, 'MANIFEST.json');

  if (existsSync(manifestPath)) {
    const manifest = readJson(manifestPath);
    const rows = isRecord(manifest) && Array.isArray(manifest.cases) ? manifest.cases : [];

    return rows.filter(isRecord).flatMap((row): ConformanceCase[] => {
      if (
        row.grouping_config !== GROUPING_CONFIG ||
        typeof row.input !== 'string' ||
        typeof row.snapshot !== 'string'
      ) {
        return [];
      }

      return [
        {
          name: basename(row.input, '.json'),
          inputPath: join(dir, row.input),
          snapshotPath: join(dir, row.snapshot),
          overrides: isRecord(row.input_overrides) ? row.input_overrides : {},
        },
      ];
    });
  }

  return readdirSync(join(dir, INPUT_DIR))
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({
      name: basename(file, '.json'),
      inputPath: join(dir, INPUT_DIR, file),
      snapshotPath: join(dir, SNAPSHOT_DIR, `${basename(file, '.json').replace(/-/g, '_')}.pysnap`),
      overrides: {},
    }))
    .filter((testCase) => existsSync(testCase.snapshotPath));
}

function runCase(testCase: ConformanceCase): {
  platform: string;
  expected: string[];
  actual: string[];
} {
  const input = readJson(testCase.inputPath);
  const raw = { ...(isRecord(input) ? input : {}), ...testCase.overrides };
  const grouping = isRecord(raw._grouping) ? raw._grouping : {};
  const event = normalizeEvent(raw, {
    eventId: undefined,
    receivedAt: RECEIVED_AT_MS,
    sentAt: undefined,
    clientIp: undefined,
    client: undefined,
  });
  const result = computeGrouping(event, { enhancements: grouping.enhancements });
  const expected = Object.values(parseSnapshotHashes(readFileSync(testCase.snapshotPath, 'utf8')));
  const actual = Object.values(result.variants).map((variant) => variant.hash);
  const sortHashes = (hashes: (string | null)[]): string[] =>
    hashes.filter((hash): hash is string => hash !== null).sort();

  return { platform: event.platform, expected: sortHashes(expected), actual: sortHashes(actual) };
}

/**
 * Runs Sentry's grouping test inputs through `normalizeEvent` and `computeGrouping` and compares
 * the set of variant hashes with Sentry's snapshot for `newstyle:2023-01-11`. `dir` is the root
 * of a copy of those fixtures (with `MANIFEST.json`, `tests/` and `src/`).
 */
export function runGroupingConformance(dir: string): ConformanceReport {
  const report: ConformanceReport = { total: 0, matched: 0, byPlatform: {}, mismatches: [] };

  for (const testCase of listCases(dir)) {
    const { platform, expected, actual } = runCase(testCase);
    const matched =
      expected.length === actual.length && expected.every((hash, index) => hash === actual[index]);
    const platformStats = (report.byPlatform[platform] ??= { total: 0, matched: 0 });

    report.total++;
    platformStats.total++;

    if (matched) {
      report.matched++;
      platformStats.matched++;
    } else {
      report.mismatches.push({ name: testCase.name, expected, actual });
    }
  }

  return report;
}
