/**
 * Conformance of the source-map reader against the ECMA-426 test suite
 * (tc39/source-map-tests) and getsentry/rust-sourcemap's fixtures, read at run time from a
 * copy of those data sets. Each check is one validity verdict or one expected lookup.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import {
  findOriginalPosition,
  isIgnoredSource,
  lookupFunctionScope,
  type ParsedSourceMap,
  parseSourceMap,
  type ScopeLookup,
  SourceMapError,
} from './source-map.js';

export interface ConformanceMismatch {
  name: string;
  expected: unknown;
  actual: unknown;
  /** The reason a mismatch is expected, where the data and Picket knowingly differ. */
  note?: string;
}

export interface ConformanceReport {
  total: number;
  matched: number;
  mismatches: ConformanceMismatch[];
}

/** A 0-based original position as the data sets write it, nulls for "not mapped". */
export interface ZeroBasedPosition {
  source: string | null;
  line: number | null;
  column: number | null;
  name: string | null;
}

const UNMAPPED: ZeroBasedPosition = { source: null, line: null, column: null, name: null };

export function createReport(): ConformanceReport {
  return { total: 0, matched: 0, mismatches: [] };
}

/**
 * Counts one check and records it as a mismatch unless both sides serialize the same. `notes`
 * explains known mismatches by check name.
 */
export function check(
  report: ConformanceReport,
  name: string,
  expected: unknown,
  actual: unknown,
  notes: Record<string, string> = {},
): void {
  report.total += 1;
  if (JSON.stringify(expected) === JSON.stringify(actual)) {
    report.matched += 1;
    return;
  }

  const note = notes[name];
  report.mismatches.push({ name, expected, actual, ...(note === undefined ? {} : { note }) });
}

export function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8')) as unknown;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Looks up a 0-based generated position with the greatest-lower-bound bias. */
export function lookupZeroBased(
  map: ParsedSourceMap,
  line: number,
  column: number,
): ZeroBasedPosition {
  const found = findOriginalPosition(map, line + 1, column + 1);
  if (found.status !== 'mapped') {
    return UNMAPPED;
  }

  const { source, line: originalLine, column: originalColumn, name } = found.position;
  return { source, line: originalLine - 1, column: originalColumn - 1, name };
}

function tryParse(file: string): ParsedSourceMap | SourceMapError {
  try {
    return parseSourceMap(readFileSync(file, 'utf8'));
  } catch (error) {
    if (error instanceof SourceMapError) {
      return error;
    }
    throw error;
  }
}

function expectedPosition(action: Record<string, unknown>): ZeroBasedPosition {
  const text = (key: string): string | null =>
    typeof action[key] === 'string' ? action[key] : null;
  const number = (key: string): number | null =>
    typeof action[key] === 'number' ? action[key] : null;
  return {
    source: text('originalSource'),
    line: number('originalLine'),
    column: number('originalColumn'),
    name: text('mappedName'),
  };
}

/** Maps a position through the test's map and then through each intermediate map in turn. */
function lookupTransitive(
  map: ParsedSourceMap,
  action: Record<string, unknown>,
  resources: string,
): ZeroBasedPosition {
  let position = lookupZeroBased(map, Number(action.generatedLine), Number(action.generatedColumn));
  const intermediates = Array.isArray(action.intermediateMaps) ? action.intermediateMaps : [];

  for (const file of intermediates) {
    const next = tryParse(path.join(resources, String(file)));
    if (next instanceof SourceMapError || position.line === null || position.column === null) {
      return UNMAPPED;
    }
    position = lookupZeroBased(next, position.line, position.column);
  }

  return position;
}

function runTc39Action(
  report: ConformanceReport,
  name: string,
  map: ParsedSourceMap | SourceMapError,
  action: Record<string, unknown>,
  resources: string,
): void {
  const where = `${name} ${String(action.actionType)} ${String(action.generatedLine)}:${String(action.generatedColumn)}`;

  if (action.actionType === 'checkIgnoreList') {
    const present = Array.isArray(action.present) ? action.present.map(String) : [];
    const ignored =
      map instanceof SourceMapError ? [] : present.filter((source) => isIgnoredSource(map, source));
    check(report, `${name} checkIgnoreList`, present, ignored);
    return;
  }

  const actual =
    map instanceof SourceMapError
      ? UNMAPPED
      : action.actionType === 'checkMappingTransitive'
        ? lookupTransitive(map, action, resources)
        : lookupZeroBased(map, Number(action.generatedLine), Number(action.generatedColumn));
  check(report, where, expectedPosition(action), actual);
}

/**
 * Runs `source-map-spec-tests.json`: for every test, the validity verdict, then each
 * `checkMapping`, `checkMappingTransitive` and `checkIgnoreList` action.
 */
export function runTc39Conformance(dir: string): ConformanceReport {
  const report = createReport();
  const resources = path.join(dir, 'resources');
  const suite = readJson(path.join(dir, 'source-map-spec-tests.json'));
  const tests = isRecord(suite) && Array.isArray(suite.tests) ? suite.tests.filter(isRecord) : [];

  for (const test of tests) {
    const name = String(test.name);
    const map = tryParse(path.join(resources, String(test.sourceMapFile)));
    const valid = !(map instanceof SourceMapError);

    check(
      report,
      `${name} validity`,
      { valid: test.sourceMapIsValid },
      valid === test.sourceMapIsValid || valid ? { valid } : { valid, error: map.message },
    );

    const actions = Array.isArray(test.testActions) ? test.testActions.filter(isRecord) : [];
    for (const action of actions) {
      runTc39Action(report, name, map, action, resources);
    }
  }

  return report;
}

/** Reduces a scope lookup to the form the data sets use: the name, `null` when there is none. */
export function scopeName(scope: ScopeLookup): string | null {
  return scope.kind === 'named' ? scope.name : null;
}

function runRustLookups(
  report: ConformanceReport,
  dir: string,
  testCase: Record<string, unknown>,
): void {
  const map = parseSourceMap(readFileSync(path.join(dir, String(testCase.map)), 'utf8'));
  const lookups = Array.isArray(testCase.lookups) ? testCase.lookups.filter(isRecord) : [];

  for (const lookup of lookups) {
    const [line = 0, column = 0] = Array.isArray(lookup.generated)
      ? lookup.generated.map(Number)
      : [];
    const token = Array.isArray(lookup.token) ? lookup.token : [];
    const expectedName = lookup.original_function_name ?? lookup.scope ?? null;
    const position = lookupZeroBased(map, line, column);

    check(
      report,
      `${String(testCase.test)} ${line}:${column}`,
      { token, functionName: expectedName },
      {
        token: [position.source, position.line, position.column, position.name],
        functionName: scopeName(lookupFunctionScope(map, undefined, line + 1, column + 1)),
      },
    );
  }
}

/**
 * Checks one debug-ID injection fixture of `adjust_mappings/`. Each segment of the expected
 * composed map is looked up through the injected map, which moves whole lines of the bundle,
 * and then through the bundle's own map. That must give the composed map's original position.
 */
function runAdjustMappings(report: ConformanceReport, dir: string, bundler: string): void {
  const read = (file: string): ParsedSourceMap =>
    parseSourceMap(readFileSync(path.join(dir, file), 'utf8'));
  const original = read(`${bundler}.bundle.js.map`);
  const injected = read(`${bundler}-injected.bundle.js.map`);
  const composed = read(`${bundler}-composed.bundle.js.map`);
  const differences: unknown[] = [];

  composed.mappings.lineStarts.forEach((_start, line) => {
    if (line >= composed.lineCount) {
      return;
    }
    const first = composed.mappings.lineStarts[line] ?? 0;
    const last = composed.mappings.lineStarts[line + 1] ?? 0;
    for (let index = first; index < last; index += 1) {
      const column = composed.mappings.segments[index * 5] ?? 0;
      const expected = lookupZeroBased(composed, line, column);
      const moved = findOriginalPosition(injected, line + 1, column + 1);
      let actual = UNMAPPED;
      if (moved.status === 'mapped') {
        const shift = column + 1 - moved.position.generatedColumn;
        actual = lookupZeroBased(
          original,
          moved.position.line - 1,
          moved.position.column - 1 + shift,
        );
      }
      if (JSON.stringify(expected) !== JSON.stringify(actual)) {
        differences.push({ line, column, expected, actual });
      }
    }
  });

  check(report, `adjust_mappings ${bundler}`, [], differences.slice(0, 5));
}

/**
 * Runs `expected-lookups.json` of rust-sourcemap (tokens and function names of the Hermes and
 * Metro maps) and the `adjust_mappings` fixtures, one check per bundler.
 */
export function runRustSourcemapConformance(dir: string): ConformanceReport {
  const report = createReport();
  const data = readJson(path.join(dir, 'expected-lookups.json'));
  const cases = isRecord(data) && Array.isArray(data.cases) ? data.cases.filter(isRecord) : [];

  for (const testCase of cases) {
    if (typeof testCase.map === 'string') {
      runRustLookups(report, dir, testCase);
    }
  }

  const adjustDir = path.join(dir, 'tests/fixtures/adjust_mappings');
  const bundlers = readdirSync(adjustDir)
    .map((file) => /^([a-z]+)-composed\.bundle\.js\.map$/.exec(file)?.[1])
    .filter((bundler): bundler is string => bundler !== undefined)
    .sort();
  for (const bundler of bundlers) {
    runAdjustMappings(report, adjustDir, bundler);
  }

  return report;
}
