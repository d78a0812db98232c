// `npm run conformance`: runs Picket against the conformance data sets of the Sentry ecosystem,
// read at run time from PICKET_CONFORMANCE_DIR (default ../shared/conformance beside the
// repository), and prints one line per data set, then the details.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  runFingerprintingConformance,
  runGroupingConformance,
} from '../features/grouping/conformance.js';
// The conformance runners are imported from their own modules: the features' index modules
// leave them out so that the server does not load them.
import { runSearchSyntaxConformance } from '../features/search/search-conformance.js';
import {
  compareDefaultPiiConfig,
  runRelayPiiConformance,
} from '../features/scrubbing/conformance.js';
import {
  type ConformanceReport,
  runRustSourcemapConformance,
  runTc39Conformance,
} from '../features/sourcemaps/source-map-conformance.js';
import { runSymbolicConformance } from '../features/sourcemaps/symbolic-conformance.js';
import { runTracekitConformance } from '../features/sourcemaps/tracekit-conformance.js';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CONFORMANCE_DIR = path.resolve(
  process.env.PICKET_CONFORMANCE_DIR ?? path.join(REPOSITORY_ROOT, '../shared/conformance'),
);

interface DataSetResult {
  name: string;
  matched: number;
  total: number;
  details: string[];
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

function grouping(dir: string): DataSetResult {
  const report = runGroupingConformance(dir);
  const details = Object.entries(report.byPlatform)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([platform, stats]) => `  ${platform}: ${stats.matched}/${stats.total}`);
  for (const mismatch of report.mismatches) {
    details.push(
      `  mismatch ${mismatch.name}: expected ${JSON.stringify(mismatch.expected)}, got ${JSON.stringify(mismatch.actual)}`,
    );
    if (mismatch.note !== undefined) {
      details.push(`    note: ${mismatch.note}`);
    }
  }
  return { name: 'grouping', matched: report.matched, total: report.total, details };
}

function searchSyntax(dir: string): DataSetResult {
  const report = runSearchSyntaxConformance(dir);
  const details = report.mismatches.map(
    (mismatch) =>
      `  mismatch ${mismatch.file} ${JSON.stringify(mismatch.query)} at ${mismatch.path}: expected ${JSON.stringify(mismatch.expected)}, got ${JSON.stringify(mismatch.actual)}`,
  );
  return { name: 'search-syntax', matched: report.matched, total: report.total, details };
}

function fingerprinting(dir: string): DataSetResult {
  const report = runFingerprintingConformance(dir);
  const details = report.mismatches.map(
    (mismatch) =>
      `  mismatch ${mismatch.name}: expected ${JSON.stringify(mismatch.expected)}, got ${JSON.stringify(mismatch.actual)}`,
  );
  return { name: 'fingerprinting', matched: report.matched, total: report.total, details };
}

function relayPii(dir: string): DataSetResult {
  const report = runRelayPiiConformance(dir);
  const details = Object.entries(report.byGroup)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, stats]) => `  ${group}: ${stats.matched}/${stats.total}`);
  details.push(`  _meta remarks also equal: ${report.metaMatched}/${report.total}`);
  const configDifferences = compareDefaultPiiConfig(dir);
  details.push(
    configDifferences.length === 0
      ? "  default PII config: equal to Relay's"
      : `  default PII config differs at: ${configDifferences.join(' | ')}`,
  );
  for (const mismatch of report.mismatches) {
    details.push(
      `  mismatch ${mismatch.name}: expected ${JSON.stringify(mismatch.expected)}, got ${JSON.stringify(mismatch.actual)}`,
    );
    if (mismatch.note !== undefined) {
      details.push(`    note: ${mismatch.note}`);
    }
  }
  return { name: 'relay-pii', matched: report.matched, total: report.total, details };
}

/** Turns a source-map or stack-parser report into a result, one line per mismatch. */
function checks(name: string, run: (dir: string) => ConformanceReport) {
  return (dir: string): DataSetResult => {
    const report = run(dir);
    const details = report.mismatches.flatMap((mismatch) => [
      `  mismatch ${mismatch.name}: expected ${JSON.stringify(mismatch.expected)}, got ${JSON.stringify(mismatch.actual)}`,
      ...(mismatch.note === undefined ? [] : [`    note: ${mismatch.note}`]),
    ]);
    return { name, matched: report.matched, total: report.total, details };
  };
}

const DATA_SETS: { dir: string; run: (dir: string) => DataSetResult }[] = [
  { dir: 'sentry-grouping', run: grouping },
  { dir: 'sentry-grouping', run: fingerprinting },
  { dir: 'sentry-search-syntax', run: searchSyntax },
  { dir: 'tc39-source-map-tests', run: checks('tc39-source-map-tests', runTc39Conformance) },
  { dir: 'rust-sourcemap', run: checks('rust-sourcemap', runRustSourcemapConformance) },
  { dir: 'symbolic', run: checks('symbolic', runSymbolicConformance) },
  { dir: 'sentry-javascript-tracekit', run: checks('tracekit', runTracekitConformance) },
  { dir: 'relay-pii', run: relayPii },
];

function main(): number {
  const results: DataSetResult[] = [];
  for (const dataSet of DATA_SETS) {
    const dir = path.join(CONFORMANCE_DIR, dataSet.dir);
    if (!existsSync(dir)) {
      process.stderr.write(`conformance: ${dir} is missing; set PICKET_CONFORMANCE_DIR\n`);
      return 1;
    }
    results.push(dataSet.run(dir));
  }

  for (const result of results) {
    print(`${result.name}: ${result.matched}/${result.total}`);
  }
  for (const result of results) {
    print('');
    print(`${result.name}:`);
    for (const line of result.details) {
      print(line);
    }
  }
  return 0;
}

process.exitCode = main();
