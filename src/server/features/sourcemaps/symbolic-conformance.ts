/**
 * Conformance against getsentry/symbolic's source-map expectations (`expected-lookups.json`,
 * transcribed from its SourceMapCache and Python tests): original file, line, column, name,
 * enclosing scope and source line per lookup, plus the file-level checks those tests make.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import {
  check,
  type ConformanceReport,
  createReport,
  isRecord,
  readJson,
  scopeName,
} from './source-map-conformance.js';
import {
  findOriginalPosition,
  lookupFunctionScope,
  originalFunctionName,
  type ParsedSourceMap,
  parseSourceMap,
  sourceLines,
} from './source-map.js';

/** Maps of symbolic's `verify_index` test: every named token must point at that name. */
const NAME_CHECK_MAPS = [
  'py/tests/res/sourcemaps/jquery.min.map',
  'py/tests/res/sourcemaps/coolstuff.min.map',
  'py/tests/res/sourcemaps/unicode.min.map',
  'py/tests/res/sourcemaps/react-dom.min.map',
  'py/tests/res/sourcemaps/indexed.sourcemap.js',
];

/** Maps of symbolic's `verify_token_search` test: each column finds the segment covering it. */
const TOKEN_SEARCH_MAPS = [
  'py/tests/res/sourcemaps/react-dom.min.map',
  'py/tests/res/sourcemaps/indexed.sourcemap.js',
];

/**
 * Mismatches explained by the data. The Python test `test_react_native_metro` expects no
 * function name at 6:100 because it exercised symbolic's older name search. That search looked
 * for the frame's minified name `e.foo` in the minified source, where nothing declares it (the
 * code assigns `e.foo=function(){...}`). symbolic's SourceMapCache test for the same map and
 * position (`metro_scope_lookup`) expects `foo` from the map's function map, as Picket returns.
 */
const KNOWN_MISMATCHES: Record<string, string> = {
  'test_sourcemaps.py::test_react_native_metro 6:100':
    'the older Python API searched the minified source for "e.foo" and found no declaration; symbolic\'s SourceMapCache test expects "foo" at this position, as Picket returns',
};

type Expectation = Record<string, unknown>;

/** Builds the actual values for exactly the keys the expectation names. */
function describeLookup(
  map: ParsedSourceMap,
  minified: string | undefined,
  line: number,
  column: number,
  expected: Expectation,
): Expectation | null {
  const found = findOriginalPosition(map, line + 1, column + 1);
  if (found.status !== 'mapped') {
    return null;
  }

  const position = found.position;
  const scope = lookupFunctionScope(map, minified, line + 1, column + 1);
  const lineText = sourceLines(map, position.sourceIndex)?.[position.line - 1];
  const values: Expectation = {
    file: position.source,
    file_index: position.sourceIndex,
    src_id: position.sourceIndex,
    line: position.line - 1,
    column: position.column - 1,
    name: position.name,
    scope: scopeName(scope),
    scope_kind: scope.kind,
    line_contents: lineText === undefined ? null : `${lineText}\n`,
    function_name: originalFunctionName(map, minified, line + 1, column + 1) ?? null,
    token_dst: [position.generatedLine - 1, position.generatedColumn - 1],
  };

  return Object.fromEntries(Object.keys(expected).map((key) => [key, values[key] ?? null]));
}

function runLookups(report: ConformanceReport, dir: string, testCase: Expectation): void {
  const map = parseSourceMap(readFileSync(path.join(dir, String(testCase.map)), 'utf8'));
  const minified =
    typeof testCase.minified === 'string'
      ? readFileSync(path.join(dir, testCase.minified), 'utf8')
      : undefined;
  const lookups = Array.isArray(testCase.lookups) ? testCase.lookups.filter(isRecord) : [];

  for (const lookup of lookups) {
    const [line = 0, column = 0] = Array.isArray(lookup.generated)
      ? lookup.generated.map(Number)
      : [];
    const expected = isRecord(lookup.original) ? lookup.original : null;
    const actual =
      expected === null
        ? describeLookup(map, minified, line, column, { file: null, line: null, column: null })
        : describeLookup(map, minified, line, column, expected);
    check(report, `${String(testCase.test)} ${line}:${column}`, expected, actual, KNOWN_MISMATCHES);
  }

  runFileChecks(report, map, testCase);
}

function runFileChecks(
  report: ConformanceReport,
  map: ParsedSourceMap,
  testCase: Expectation,
): void {
  const name = String(testCase.test);

  if (typeof testCase.expect_file_count === 'number') {
    check(report, `${name} file count`, testCase.expect_file_count, map.sources.length);
  }

  if (Array.isArray(testCase.expect_sources_without_content)) {
    const withoutContent = map.sources.filter(
      (_source, index) => map.sourcesContent[index] === null,
    );
    check(
      report,
      `${name} sources without content`,
      testCase.expect_sources_without_content,
      withoutContent,
    );
  }

  const view = testCase.source_view_checks;
  if (isRecord(view)) {
    const lines = sourceLines(map, Number(view.source_index)) ?? [];
    check(
      report,
      `${name} source view`,
      { line_0: view.line_0, line_1: view.line_1, line_count: view.line_count },
      { line_0: lines[0], line_1: lines[1], line_count: lines.length },
    );
  }
}

/**
 * Checks that every segment with a name points at an original line that starts with that name
 * at the original column. Sources without `sourcesContent` are read from the file of the same
 * name beside the map.
 */
function runNameCheck(report: ConformanceReport, dir: string, file: string): void {
  const mapPath = path.join(dir, file);
  const map = parseSourceMap(readFileSync(mapPath, 'utf8'));
  const contents = map.sources.map((source, index) => {
    const embedded = map.sourcesContent[index];
    const beside = source === null ? '' : path.join(path.dirname(mapPath), path.basename(source));
    return embedded ?? (existsSync(beside) ? readFileSync(beside, 'utf8') : null);
  });
  const linesBySource = contents.map((content) => content?.split(/\r\n|\r|\n/));
  const failures: unknown[] = [];
  const { segments } = map.mappings;

  for (let at = 0; at < segments.length; at += 5) {
    const nameIndex = segments[at + 4] ?? -1;
    if (nameIndex === -1) {
      continue;
    }
    const name = map.names[nameIndex] ?? '';
    const line = linesBySource[segments[at + 1] ?? -1]?.[segments[at + 2] ?? -1];
    const text = line?.slice(segments[at + 3] ?? 0);
    // Upstream skips tokens whose original text starts with a quote: jQuery's map points some
    // names (`embed`, `object`, ...) at the quoted key `"embed":`.
    if (text?.startsWith('"') === true) {
      continue;
    }
    if (text === undefined || !text.startsWith(name)) {
      failures.push({ name, found: text?.slice(0, name.length + 10) ?? null });
    }
  }

  check(report, `verify_index ${path.basename(file)}`, [], failures.slice(0, 5));
}

/**
 * Checks that every column from a named segment up to the next segment looks up that segment,
 * as symbolic's `verify_token_search` does.
 */
function runTokenSearchCheck(report: ConformanceReport, dir: string, file: string): void {
  const map = parseSourceMap(readFileSync(path.join(dir, file), 'utf8'));
  const { lineStarts, segments } = map.mappings;
  const failures: unknown[] = [];

  for (let line = 0; line < map.lineCount; line += 1) {
    const last = lineStarts[line + 1] ?? 0;
    for (let index = lineStarts[line] ?? 0; index < last; index += 1) {
      if ((segments[index * 5 + 4] ?? -1) === -1) {
        continue;
      }
      const column = segments[index * 5] ?? 0;
      const next = index + 1 < last ? (segments[(index + 1) * 5] ?? column) : column + 1;
      for (let probe = column; probe < Math.max(next, column + 1); probe += 1) {
        const found = findOriginalPosition(map, line + 1, probe + 1);
        const foundColumn = found.status === 'mapped' ? found.position.generatedColumn - 1 : null;
        if (foundColumn !== column) {
          failures.push({ line, column, probe, foundColumn });
        }
      }
    }
  }

  check(report, `verify_token_search ${path.basename(file)}`, [], failures.slice(0, 5));
}

/**
 * Runs symbolic's `expected-lookups.json`: each lookup compares exactly the fields it lists
 * (`scope` with the enclosing function from the minified source, `function_name` with
 * `originalFunctionName`), then the file counts, missing contents, source view, and the
 * token checks of `verify_index` and `verify_token_search`.
 */
export function runSymbolicConformance(dir: string): ConformanceReport {
  const report = createReport();
  const data = readJson(path.join(dir, 'expected-lookups.json'));
  const cases = isRecord(data) && Array.isArray(data.cases) ? data.cases.filter(isRecord) : [];

  for (const testCase of cases) {
    if (typeof testCase.map === 'string') {
      runLookups(report, dir, testCase);
    }
  }

  for (const file of NAME_CHECK_MAPS) {
    runNameCheck(report, dir, file);
  }
  for (const file of TOKEN_SEARCH_MAPS) {
    runTokenSearchCheck(report, dir, file);
  }

  return report;
}
