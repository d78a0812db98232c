// Source-map benchmark: parses jQuery's minified map from symbolic's fixtures, then measures
// lookups, original function names and stack-string parsing in this process, without a server.
// The fixtures are read from PICKET_CONFORMANCE_DIR (default ../shared/conformance beside the
// repository), like npm run conformance. Usage: npm run bench -- --sourcemaps
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPOSITORY_ROOT = fileURLToPath(new URL('../', import.meta.url));
const CONFORMANCE_DIR = path.resolve(
  process.env.PICKET_CONFORMANCE_DIR ?? path.join(REPOSITORY_ROOT, '../shared/conformance'),
);
const FIXTURES = path.join(CONFORMANCE_DIR, 'symbolic/py/tests/res/sourcemaps');

const STACK = [
  'TypeError: Cannot read properties of undefined (reading "id")',
  '    at renderRow (https://app.example.com/static/js/main.4f1c2.js:2:48211)',
  '    at Array.map (<anonymous>)',
  '    at renderTable (https://app.example.com/static/js/main.4f1c2.js:2:49107)',
  '    at Hc (https://app.example.com/static/js/vendor.9a0b1.js:2:61244)',
  '    at Ul (https://app.example.com/static/js/vendor.9a0b1.js:2:70822)',
  '    at async loadPage (https://app.example.com/static/js/main.4f1c2.js:2:12007)',
].join('\n');

/** A small deterministic generator, so that every run looks up the same positions. */
function createRandom(seed) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** Runs `fn(index)` `count` times and returns calls per second. */
function measure(count, fn) {
  const started = process.hrtime.bigint();
  for (let index = 0; index < count; index += 1) {
    fn(index);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return Math.round(count / seconds);
}

function time(fn) {
  const started = process.hrtime.bigint();
  const value = fn();
  return { value, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

export async function runSourceMapBenchmark({ lookups = 1_000_000, rounds = 3 } = {}) {
  const sourcemaps = await import(
    path.join(REPOSITORY_ROOT, 'dist/server/features/sourcemaps/index.js')
  );
  const mapText = readFileSync(path.join(FIXTURES, 'jquery.min.map'), 'utf8');
  const minified = readFileSync(path.join(FIXTURES, 'jquery.min.js'), 'utf8');

  const parses = Array.from({ length: 5 }, () => time(() => sourcemaps.parseSourceMap(mapText)));
  const map = parses.at(-1).value;
  const scopeBuilds = Array.from({ length: 5 }, () =>
    time(() => sourcemaps.buildScopeIndex(minified)),
  );
  const scopeIndex = scopeBuilds.at(-1).value;

  // Positions spread over the whole file: a random line, then a random column up to the
  // line's length, which is where stack frames of a minified bundle land.
  const lines = minified.split('\n');
  const random = createRandom(42);
  const positions = Array.from({ length: 4096 }, () => {
    const line = 1 + Math.floor(random() * Math.min(lines.length, map.lineCount));
    const column = 1 + Math.floor(random() * Math.max(lines[line - 1].length, 1));
    return [line, column];
  });
  const at = (index) => positions[index % positions.length];

  const result = {
    map: 'jquery.min.map',
    mapBytes: mapText.length,
    segments: map.mappings.segments.length / 5,
    generatedLines: map.lineCount,
    parseMs: Math.min(...parses.map((run) => run.ms)).toFixed(1),
    scopeIndexMs: Math.min(...scopeBuilds.map((run) => run.ms)).toFixed(1),
    scopes: scopeIndex.scopes.length,
  };

  for (let round = 1; round <= rounds; round += 1) {
    result[`lookupsPerSecond${round}`] = measure(lookups, (index) => {
      const [line, column] = at(index);
      sourcemaps.findOriginalPosition(map, line, column);
    });
    result[`functionNamesPerSecond${round}`] = measure(lookups / 10, (index) => {
      const [line, column] = at(index);
      sourcemaps.originalFunctionName(map, scopeIndex, line, column);
    });
    result[`stackParsesPerSecond${round}`] = measure(lookups / 20, () => {
      sourcemaps.parseStackString(STACK);
    });
  }

  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
