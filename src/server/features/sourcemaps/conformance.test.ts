import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { runRustSourcemapConformance, runTc39Conformance } from './source-map-conformance.js';
import { runSymbolicConformance } from './symbolic-conformance.js';
import { runTracekitConformance } from './tracekit-conformance.js';

// The conformance data sets are third-party files that may be used for testing but are not
// kept in this repository. They are read from PICKET_CONFORMANCE_DIR, by default the
// `shared/conformance` folder beside the repository, and without them these tests are skipped.
const REPOSITORY_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CONFORMANCE_DIR =
  process.env.PICKET_CONFORMANCE_DIR ?? path.resolve(REPOSITORY_ROOT, '../shared/conformance');

/** The scores recorded in docs/symbolication-conformance.md; a run must not fall below them. */
const RECORDED = [
  { dir: 'tc39-source-map-tests', run: runTc39Conformance, matched: 193, total: 193 },
  { dir: 'rust-sourcemap', run: runRustSourcemapConformance, matched: 10, total: 10 },
  { dir: 'symbolic', run: runSymbolicConformance, matched: 34, total: 35 },
  { dir: 'sentry-javascript-tracekit', run: runTracekitConformance, matched: 58, total: 58 },
];

for (const { dir, run, matched, total } of RECORDED) {
  const dataDir = path.join(CONFORMANCE_DIR, dir);

  describe.skipIf(!existsSync(dataDir))(
    `${dir} conformance (data from PICKET_CONFORMANCE_DIR)`,
    () => {
      it(`matches at least ${matched} of ${total} checks`, () => {
        const report = run(dataDir);

        for (const mismatch of report.mismatches) {
          console.log(
            dir,
            mismatch.name,
            JSON.stringify(mismatch.expected),
            JSON.stringify(mismatch.actual),
          );
        }

        expect(report.total).toBe(total);
        expect(report.matched).toBeGreaterThanOrEqual(matched);
      });

      it('explains every mismatch with a note', () => {
        const report = run(dataDir);

        expect(report.mismatches.filter((mismatch) => mismatch.note === undefined)).toEqual([]);
      });
    },
  );
}
