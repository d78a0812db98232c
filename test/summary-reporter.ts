import path from 'node:path';

import type { Reporter, TestCase, TestModule } from 'vitest/node';

const SLOWEST_SHOWN = 15;

/**
 * Prints the slowest test files, then the run's totals as one plain `N passed, N failed, N
 * skipped` line after vitest's own summary, so that tools reading only a log's last lines see
 * how many tests ran and where the suite's time goes.
 */
export class SummaryReporter implements Reporter {
  #passed = 0;
  #failed = 0;
  #skipped = 0;
  readonly #durations: { file: string; ms: number }[] = [];

  onTestModuleEnd(testModule: TestModule): void {
    const diagnostic = testModule.diagnostic();
    this.#durations.push({
      file: path.relative(process.cwd(), testModule.moduleId),
      ms: diagnostic.duration + diagnostic.setupDuration + diagnostic.collectDuration,
    });
  }

  onTestCaseResult(testCase: TestCase): void {
    const state = testCase.result().state;
    if (state === 'passed') {
      this.#passed += 1;
    } else if (state === 'failed') {
      this.#failed += 1;
    } else {
      this.#skipped += 1;
    }
  }

  onTestRunEnd(): void {
    const slowest = [...this.#durations].sort((a, b) => b.ms - a.ms).slice(0, SLOWEST_SHOWN);
    if (slowest.length > 0) {
      const lines = slowest.map(
        ({ file, ms }) => `${(ms / 1000).toFixed(1).padStart(7)} s  ${file}`,
      );
      process.stdout.write(`\nSlowest test files:\n${lines.join('\n')}\n`);
    }
    process.stdout.write(
      `\n${this.#passed} passed, ${this.#failed} failed, ${this.#skipped} skipped\n`,
    );
  }
}
