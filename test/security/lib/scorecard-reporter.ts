import fs from 'node:fs';

import type { Reporter } from 'vitest/node';

import { SCORECARD_FILE } from './scorecard.js';

/**
 * Clears the scorecard file when a run starts and prints its S-lines, sorted by number, when the
 * run ends. Prints nothing when no security test ran.
 */
export class ScorecardReporter implements Reporter {
  onInit(): void {
    fs.rmSync(SCORECARD_FILE, { force: true });
  }

  onTestRunEnd(): void {
    if (!fs.existsSync(SCORECARD_FILE)) {
      return;
    }
    const lines = fs
      .readFileSync(SCORECARD_FILE, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .sort((a, b) => Number(/^S(\d+)/.exec(a)?.[1] ?? 0) - Number(/^S(\d+)/.exec(b)?.[1] ?? 0));
    process.stdout.write(`\nSecurity scorecard\n${lines.map((line) => `  ${line}`).join('\n')}\n`);
  }
}
