import { existsSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { parseSnapshotHashes, runGroupingConformance } from './conformance.js';

/** Sentry's grouping fixtures live outside the repository and are read only at test time. */
const FIXTURES_DIR = '/work/shared/conformance/sentry-grouping';

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
    expect(report.matched).toBeGreaterThanOrEqual(32);
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
