import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { compareDefaultPiiConfig, runRelayPiiConformance } from './conformance.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const DIR = path.resolve(
  process.env.PICKET_CONFORMANCE_DIR ?? path.join(ROOT, '../shared/conformance'),
  'relay-pii',
);

describe.skipIf(!existsSync(DIR))('relay-pii conformance', () => {
  it('matches every case but the Luhn difference', () => {
    const report = runRelayPiiConformance(DIR);
    const unexplained = report.mismatches.filter((mismatch) => mismatch.note === undefined);

    expect(report.matched).toBe(report.total - 1);
    expect(unexplained).toEqual([]);
  });

  it('builds the same default PII config as Relay', () => {
    expect(compareDefaultPiiConfig(DIR)).toEqual([]);
  });
});
