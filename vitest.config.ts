import { defineConfig } from 'vitest/config';

import { ScorecardReporter } from './test/security/lib/scorecard-reporter.js';
import { SummaryReporter } from './test/summary-reporter.js';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['./test/helpers/fetch-retry-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default', new SummaryReporter(), new ScorecardReporter()],
  },
});
