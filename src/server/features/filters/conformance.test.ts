import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { formatFilterConformance, runFilterConformance } from './conformance.js';

// Relay's filter cases may be used for testing but not redistributed, so they are read at test
// time from `PICKET_CONFORMANCE_DIR`, by default the `shared/conformance` folder beside the
// repository.
const REPOSITORY_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CONFORMANCE_DIR =
  process.env.PICKET_CONFORMANCE_DIR ?? path.resolve(REPOSITORY_ROOT, '../shared/conformance');
const CASES_FILE = path.join(CONFORMANCE_DIR, 'relay-filter', 'inbound-filter-cases.json');

describe('runFilterConformance', () => {
  it.skipIf(!existsSync(CASES_FILE))('matches every Relay filter decision', () => {
    const report = runFilterConformance(CASES_FILE);

    for (const line of formatFilterConformance(report)) {
      console.log(line);
    }

    expect(report.total).toBe(169);
    expect(report.mismatches).toEqual([]);
  });
});
