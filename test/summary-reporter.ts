import type { Reporter, TestCase } from 'vitest/node';

/**
 * Prints the run's totals as one plain `N passed, N failed, N skipped` line after vitest's own
 * summary, so that tools reading only a log's last lines see how many tests ran.
 */
export class SummaryReporter implements Reporter {
  #passed = 0;
  #failed = 0;
  #skipped = 0;

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
    process.stdout.write(
      `\n${this.#passed} passed, ${this.#failed} failed, ${this.#skipped} skipped\n`,
    );
  }
}
