import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

import { normalizeEvent } from '../processing/normalize.js';

import type { NormalizedEvent } from '../processing/event-types.js';

import { computeGrouping, type GroupingResult } from './compute-grouping.js';
import {
  type FingerprintRule,
  formatFingerprintRule,
  parseFingerprintRule,
} from './fingerprint-rules.js';

/** The grouping config whose expected outputs the harness compares against. */
const GROUPING_CONFIG = 'newstyle:2023-01-11';
const INPUT_DIR = 'tests/sentry/grouping/grouping_inputs';
const SNAPSHOT_DIR =
  'tests/sentry/grouping/snapshots/test_variants/test_event_hash_variant/newstyle@2023_01_11';

/** Fixed receive time for every case, so that results do not depend on the clock. */
const RECEIVED_AT_MS = Date.UTC(2025, 0, 1);

/** Expected and actual hash per variant name (`null` for a variant that does not contribute). */
export interface ConformanceMismatch {
  name: string;
  expected: Record<string, string | null>;
  actual: Record<string, string | null>;
  /** The reason a mismatch is expected, for cases where the snapshot does not fit its input. */
  note?: string;
}

/**
 * Mismatches explained by the data rather than by Picket. The snapshot of
 * `frame-uses-context-line-over-function` (dated 2023-01-11) hashes only `foo.py` + `bar` and shows
 * no context-line node, but the stored input (read from another commit) has
 * `context_line: "foo bar"`, a function, `data.sourcemap` and a non-URL path. For that input Sentry's `frame:v1` code makes
 * the context line contribute and drops the function ("ignored because sourcemap used and context
 * line available"), which is what the case's name says and what Picket computes.
 */
const KNOWN_MISMATCHES: Record<string, string> = {
  'frame-uses-context-line-over-function':
    'snapshot and input come from different commits: the snapshot has no context-line node, while the input has a context line that Sentry uses over the function',
};

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

function normalizeInput(raw: Record<string, unknown>): NormalizedEvent {
  return normalizeEvent(raw, {
    eventId: undefined,
    receivedAt: RECEIVED_AT_MS,
    sentAt: undefined,
    clientIp: undefined,
    client: undefined,
  });
}

function variantHashes(result: GroupingResult): Record<string, string | null> {
  return Object.fromEntries(
    Object.entries(result.variants).map(([name, variant]) => [name, variant.hash]),
  );
}

function sameVariants(
  expected: Record<string, string | null>,
  actual: Record<string, string | null>,
): boolean {
  const names = Object.keys(expected).sort();
  const actualNames = Object.keys(actual).sort();

  return (
    names.length === actualNames.length &&
    names.every((name, index) => name === actualNames[index] && expected[name] === actual[name])
  );
}

function runCase(testCase: ConformanceCase): {
  platform: string;
  expected: Record<string, string | null>;
  actual: Record<string, string | null>;
} {
  const input = readJson(testCase.inputPath);
  const raw = { ...(isRecord(input) ? input : {}), ...testCase.overrides };
  const grouping = isRecord(raw._grouping) ? raw._grouping : {};
  const event = normalizeInput(raw);
  const result = computeGrouping(event, { enhancements: grouping.enhancements });
  const expected = parseSnapshotHashes(readFileSync(testCase.snapshotPath, 'utf8'));

  return { platform: event.platform, expected, actual: variantHashes(result) };
}

/**
 * Runs Sentry's grouping test inputs through `normalizeEvent` and `computeGrouping` and compares
 * each variant's name and hash with Sentry's snapshot for `newstyle:2023-01-11`. `dir` is the root
 * of a copy of those fixtures (with `MANIFEST.json`, `tests/` and `src/`).
 */
export function runGroupingConformance(dir: string): ConformanceReport {
  const report: ConformanceReport = { total: 0, matched: 0, byPlatform: {}, mismatches: [] };

  for (const testCase of listCases(dir)) {
    const { platform, expected, actual } = runCase(testCase);
    const matched = sameVariants(expected, actual);
    const platformStats = (report.byPlatform[platform] ??= { total: 0, matched: 0 });

    report.total++;
    platformStats.total++;

    if (matched) {
      report.matched++;
      platformStats.matched++;
    } else {
      const note = KNOWN_MISMATCHES[testCase.name];
      report.mismatches.push({
        name: testCase.name,
        expected,
        actual,
        ...(note === undefined ? {} : { note }),
      });
    }
  }

  return report;
}

export interface FingerprintingMismatch {
  name: string;
  expected: { fingerprint: string[]; hash: string; variants: string[] };
  actual: { fingerprint: string[]; hash: string | null; variants: string[] };
}

export interface FingerprintingReport {
  total: number;
  matched: number;
  mismatches: FingerprintingMismatch[];
}

/** Reads the variant names listed under `variants:` in an old-format fingerprinting snapshot. */
export function parseSnapshotVariantNames(text: string): string[] {
  const names: string[] = [];
  let inVariants = false;

  for (const line of text.split(/\r?\n/)) {
    if (/^variants:\s*$/.test(line)) {
      inVariants = true;
    } else if (inVariants && /^\S/.test(line)) {
      inVariants = false;
    } else if (inVariants) {
      const name = /^ {2}([a-z][a-z-]*):\s*$/.exec(line)?.[1];
      if (name !== undefined) {
        names.push(name);
      }
    }
  }

  return names.sort();
}

/**
 * Turns the JSON form of fingerprint rules in Sentry's test inputs
 * (`{matchers: [[key, pattern]], fingerprint, attributes}`) into rules, going through the text
 * syntax so that the parser is exercised too.
 */
function readJsonRules(value: unknown): FingerprintRule[] {
  const rows = Array.isArray(value) ? value.filter(isRecord) : [];

  return rows.flatMap((row) => {
    const matchers = (Array.isArray(row.matchers) ? row.matchers : []).flatMap((pair) =>
      Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string'
        ? [{ key: pair[0], pattern: pair[1] }]
        : [],
    );
    const fingerprint = Array.isArray(row.fingerprint)
      ? row.fingerprint.filter((part): part is string => typeof part === 'string')
      : [];
    const attributes = isRecord(row.attributes) ? row.attributes : {};
    const title = typeof attributes.title === 'string' ? ` title="${attributes.title}"` : '';
    const text = `${matchers.map(({ key, pattern }) => `${key}:"${pattern}"`).join(' ')} -> ${fingerprint
      .map((part) => (part.startsWith('{{') ? part : `"${part}"`))
      .join(', ')}${title}`;
    const rule = parseFingerprintRule(text);

    if (typeof rule !== 'object') {
      throw new Error(`fingerprint rule in test input did not parse: ${text} (${String(rule)})`);
    }

    return [{ ...rule, text: formatFingerprintRule(rule) }];
  });
}

/**
 * Runs Sentry's fingerprint-rule inputs (listed as `fingerprinting_examples` in MANIFEST.json)
 * and compares the resolved fingerprint, the `custom-fingerprint` hash and the variant names.
 */
export function runFingerprintingConformance(dir: string): FingerprintingReport {
  const manifest = readJson(join(dir, 'MANIFEST.json'));
  const rows =
    isRecord(manifest) && Array.isArray(manifest.fingerprinting_examples)
      ? manifest.fingerprinting_examples.filter(isRecord)
      : [];
  const report: FingerprintingReport = { total: 0, matched: 0, mismatches: [] };

  for (const row of rows) {
    if (typeof row.input !== 'string' || typeof row.snapshot !== 'string') {
      continue;
    }

    const input = readJson(join(dir, row.input));
    const raw = isRecord(input) ? input : {};
    const result = computeGrouping(normalizeInput(raw), {
      fingerprintingRules: readJsonRules(raw._fingerprinting_rules),
    });
    const custom = result.variants['custom-fingerprint'];
    const expected = {
      fingerprint: Array.isArray(row.expected_fingerprint)
        ? row.expected_fingerprint.map(String)
        : [],
      hash: typeof row.expected_hash === 'string' ? row.expected_hash : '',
      variants: parseSnapshotVariantNames(readFileSync(join(dir, row.snapshot), 'utf8')),
    };
    const actual = {
      fingerprint: custom?.values ?? [],
      hash: custom?.hash ?? null,
      variants: Object.keys(result.variants).sort(),
    };
    const matched =
      JSON.stringify(expected.fingerprint) === JSON.stringify(actual.fingerprint) &&
      expected.hash === actual.hash &&
      JSON.stringify(expected.variants) === JSON.stringify(actual.variants);

    report.total++;
    if (matched) {
      report.matched++;
    } else {
      report.mismatches.push({ name: basename(row.input, '.json'), expected, actual });
    }
  }

  return report;
}
