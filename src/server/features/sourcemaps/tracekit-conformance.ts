/**
 * Conformance of the stack-string parser against the cases of sentry-javascript's browser
 * "tracekit" tests: each case is an error object and the frames the SDK builds from it.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

import {
  check,
  type ConformanceReport,
  createReport,
  isRecord,
  readJson,
} from './source-map-conformance.js';
import { parseStackString, type ParsedStackFrame } from './stack-parser.js';

const FRAME_KEYS = ['filename', 'function', 'lineno', 'colno'] as const;

/** React's production errors start with a message line that must not be read as a frame. */
const MINIFIED_REACT_ERROR = /Minified React error #\d+;/i;

function pickFrame(frame: Record<string, unknown> | ParsedStackFrame): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of FRAME_KEYS) {
    if (frame[key] !== undefined) {
      picked[key] = frame[key];
    }
  }
  return picked;
}

/**
 * Parses the error the way the SDK reads one: Opera's `stacktrace` before `stack`, one line
 * skipped for minified React errors, and `framesToPop` frames dropped.
 */
export function parseErrorObject(error: Record<string, unknown>): ParsedStackFrame[] {
  const stack =
    typeof error.stacktrace === 'string'
      ? error.stacktrace
      : typeof error.stack === 'string'
        ? error.stack
        : '';
  const message = typeof error.message === 'string' ? error.message : '';

  return parseStackString(stack, {
    skipFirstLines: MINIFIED_REACT_ERROR.test(message) ? 1 : 0,
    framesToPop: typeof error.framesToPop === 'number' ? error.framesToPop : 0,
  });
}

/** Runs every case of every `*.json` file; a case matches when all its frames do. */
export function runTracekitConformance(dir: string): ConformanceReport {
  const report = createReport();
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort();

  for (const file of files) {
    const data = readJson(path.join(dir, file));
    const cases = isRecord(data) && Array.isArray(data.cases) ? data.cases.filter(isRecord) : [];

    for (const testCase of cases) {
      const input = isRecord(testCase.input) ? testCase.input : {};
      const expected = isRecord(testCase.expected) ? testCase.expected : {};
      const stacktrace = isRecord(expected.stacktrace) ? expected.stacktrace : {};
      const frames = Array.isArray(stacktrace.frames) ? stacktrace.frames.filter(isRecord) : [];

      check(
        report,
        `${file} ${String(testCase.name)}`,
        frames.map(pickFrame),
        parseErrorObject(input).map(pickFrame),
      );
    }
  }

  return report;
}
