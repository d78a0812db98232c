import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { runSearchSyntaxConformance } from './search-conformance.js';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const DATA_DIR = path.resolve(
  process.env.PICKET_CONFORMANCE_DIR ?? path.join(REPOSITORY_ROOT, '../shared/conformance'),
  'sentry-search-syntax',
);

describe.skipIf(!existsSync(DATA_DIR))('search-syntax conformance', () => {
  it('parses every fixture query as Sentry does', () => {
    const report = runSearchSyntaxConformance(DATA_DIR);

    expect(report.mismatches).toEqual([]);
    expect(report.total).toBe(47);
    expect(report.matched).toBe(47);
  });
});
