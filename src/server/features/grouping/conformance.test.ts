import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import {
  parseSnapshotHashes,
  parseSnapshotVariantNames,
  runFingerprintingConformance,
  runGroupingConformance,
} from './conformance.js';

// Sentry's grouping fixtures may be used for testing but not redistributed, so they are read
// at test time from `PICKET_CONFORMANCE_DIR`, by default the `shared/conformance` folder beside
// the repository.
const REPOSITORY_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CONFORMANCE_DIR =
  process.env.PICKET_CONFORMANCE_DIR ?? path.resolve(REPOSITORY_ROOT, '../shared/conformance');
const FIXTURES_DIR = path.join(CONFORMANCE_DIR, 'sentry-grouping');

describe('runGroupingConformance', () => {
  it.skipIf(!existsSync(FIXTURES_DIR))('reports the share of Sentry snapshots matched', () => {
    const report = runGroupingConformance(FIXTURES_DIR);

    console.log(
      `grouping conformance: ${report.matched}/${report.total}`,
      JSON.stringify(report.byPlatform),
    );
    for (const mismatch of report.mismatches) {
      console.log(
        mismatch.name,
        JSON.stringify(mismatch.expected),
        JSON.stringify(mismatch.actual),
      );
    }

    expect(report.total).toBe(33);
    expect(report.matched).toBe(32);
    expect(report.mismatches.map((mismatch) => mismatch.name)).toEqual([
      'frame-uses-context-line-over-function',
    ]);
  });

  it.skipIf(!existsSync(FIXTURES_DIR))('matches both fingerprint-rule snapshots', () => {
    const report = runFingerprintingConformance(FIXTURES_DIR);

    for (const mismatch of report.mismatches) {
      console.log(
        mismatch.name,
        JSON.stringify(mismatch.expected),
        JSON.stringify(mismatch.actual),
      );
    }

    expect(report.total).toBe(2);
    expect(report.matched).toBe(2);
  });
});

describe('parseSnapshotVariantNames', () => {
  it('lists the names under variants', () => {
    const text = [
      'fingerprint:',
      '- x',
      'variants:',
      '  app:',
      '    component:',
      '      contributes: false',
      '  custom-fingerprint:',
      '    type: custom-fingerprint',
      'title: y',
    ].join('\n');

    expect(parseSnapshotVariantNames(text)).toEqual(['app', 'custom-fingerprint']);
  });
});

describe('parseSnapshotHashes', () => {
  it('reads hashes and nulls per variant', () => {
    const text = [
      '---',
      'created: x',
      '---',
      'app:',
      '  hash: null',
      '  component:',
      '    app',
      '-'.repeat(74),
      'system:',
      '  hash: "abc"',
    ].join('\n');

    expect(parseSnapshotHashes(text)).toEqual({ app: null, system: 'abc' });
  });
});
