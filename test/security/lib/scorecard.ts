/**
 * Scorecard lines (`S3 authorization matrix: …`) that the security tests print. Each line is
 * also appended to a file, because vitest runs test files in worker processes; the
 * scorecard reporter prints the whole file again after the run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCORECARD_FILE = fileURLToPath(
  new URL('../../../test-results/security/scorecard.txt', import.meta.url),
);

/** Prints a scorecard line and appends it to the run's scorecard file. */
export function reportScore(line: string): void {
  fs.mkdirSync(path.dirname(SCORECARD_FILE), { recursive: true });
  fs.appendFileSync(SCORECARD_FILE, `${line}\n`);
  process.stdout.write(`${line}\n`);
}
