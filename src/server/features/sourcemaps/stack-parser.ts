/**
 * Parses JavaScript stack strings (`error.stack`) into Sentry frames, for events that carry only
 * the raw text. The result matches what Sentry's browser SDK builds on the client
 * (`defaultStackParser` of @sentry/browser, checked against its tracekit test cases), so that
 * the same error groups the same whichever side parsed it.
 *
 * Recognized line formats:
 * - V8 (Chrome, Edge, Node, Opera 15+, React Native on V8 and Hermes), and IE 10+ / WinJS,
 *   which use the same `at function (location)` shape: `    at foo (http://x/a.js:1:2)`;
 * - SpiderMonkey and JavaScriptCore (Firefox, Safari, React Native on JSC): `foo@http://x/a.js:1:2`;
 * - Opera 10 and 11 `stacktrace` texts (`Line 4 of linked script ...`,
 *   `called from line 4, column 5 in foo(n) in http://x/a.js:`).
 */
import { parseGeckoLine } from './gecko-stack-line.js';
import { createFrame, type LineParser, type ParsedStackFrame } from './stack-frames.js';
import { parseV8Line } from './v8-stack-line.js';

export type { ParsedStackFrame } from './stack-frames.js';

export interface StackParseOptions {
  /** Lines to skip at the start, for example 1 for minified React errors. */
  skipFirstLines?: number;
  /** Frames to drop from the top (newest end), as React's `framesToPop` requests. */
  framesToPop?: number;
}

/** The SDK keeps at most this many frames. */
export const MAX_STACK_FRAMES = 50;

/** Longer lines are cut to this length, as the SDK does, so that one line cannot stall parsing. */
const MAX_LINE_LENGTH = 1024;

/** Maximum number of lines read, because a stack string from an event is untrusted. */
const MAX_STACK_LINES = 1000;

/** Opera 10: `Line 4 of inline#1 script in http://x/a.js: In function bar`. */
const OPERA10_PATTERN =
  /\bLine (\d+) of (?:linked|inline#\d+|eval\S*) script (?:in )?(\S+?)(?:: In function (\S+))?\s*$/i;

/** Opera 11: `called from line 4, column 5 in bar(n) in http://x/a.js:`. */
const OPERA11_PATTERN = /\bline (\d+), column (\d+) in (?:(.+?)\(.*?\) in )?(\S+):\s*$/i;

const parseOpera10Line: LineParser = (line) => {
  const match = OPERA10_PATTERN.exec(line);
  return match === null ? undefined : createFrame(match[2] ?? '', match[3], match[1]);
};

const parseOpera11Line: LineParser = (line) => {
  const match = OPERA11_PATTERN.exec(line);
  if (match === null) {
    return undefined;
  }
  const anonymous = /^<anonymous function: (.+)>$/.exec(match[3] ?? '');
  return createFrame(match[4] ?? '', anonymous?.[1] ?? match[3], match[1], match[2]);
};

const DEFAULT_PARSERS: LineParser[] = [parseV8Line, parseGeckoLine];
const OPERA_PARSERS: LineParser[] = [parseOpera10Line, parseOpera11Line];

/** Opera's `stacktrace` texts; other parsers would misread their lines as frames. */
const OPERA_STACK_PATTERN = /^\s*(?:Line \d+ of .*script|Error thrown at line \d+, column \d+)/i;

/** Webpack chunk errors wrap URLs as `(error: https://...)`. */
const WEBPACK_ERROR_PATTERN = /\(error: (.*)\)/;

/** Lines such as `TypeError: x is undefined` are messages, not frames. */
const MESSAGE_MARKER = 'Error: ';

/** Frames of the SDK's own wrappers, dropped from the ends as the SDK does. */
const WRAPPER_FRAME_PATTERN = /sentryWrapped/;
const CAPTURE_FRAME_PATTERN = /captureMessage|captureException/;

/**
 * Parses a stack string into frames, oldest first, as Sentry events order them. Unrecognized
 * lines (the message line, source excerpts) are skipped, at most 50 frames are kept, and frames
 * of the Sentry SDK's own wrappers are dropped. Returns an empty list when no line is a frame.
 */
export function parseStackString(
  stack: string,
  options: StackParseOptions = {},
): ParsedStackFrame[] {
  const framesToPop = Math.max(options.framesToPop ?? 0, 0);
  const lines = stack.split('\n');
  const firstLine = lines.find((line) => line.trim() !== '') ?? '';
  const parsers = OPERA_STACK_PATTERN.test(firstLine) ? OPERA_PARSERS : DEFAULT_PARSERS;
  const frames: ParsedStackFrame[] = [];

  const lastLine = Math.min(lines.length, MAX_STACK_LINES);
  for (let index = Math.max(options.skipFirstLines ?? 0, 0); index < lastLine; index += 1) {
    const line = (lines[index] ?? '')
      .slice(0, MAX_LINE_LENGTH)
      .replace(WEBPACK_ERROR_PATTERN, '$1');
    if (line.includes(MESSAGE_MARKER)) {
      continue;
    }

    for (const parser of parsers) {
      const frame = parser(line);
      if (frame !== undefined) {
        frames.push(frame);
        break;
      }
    }

    if (frames.length >= MAX_STACK_FRAMES + framesToPop) {
      break;
    }
  }

  return orderFrames(frames.slice(framesToPop));
}

/** Turns newest-first frames into oldest-first, without the SDK's wrapper frames. */
function orderFrames(newestFirst: ParsedStackFrame[]): ParsedStackFrame[] {
  if (newestFirst.length === 0) {
    return [];
  }

  const frames = [...newestFirst];
  if (WRAPPER_FRAME_PATTERN.test(frames.at(-1)?.function ?? '')) {
    frames.pop();
  }
  frames.reverse();

  for (let dropped = 0; dropped < 2; dropped += 1) {
    if (CAPTURE_FRAME_PATTERN.test(frames.at(-1)?.function ?? '')) {
      frames.pop();
    }
  }

  const newestFilename = frames.at(-1)?.filename ?? '';
  return frames.slice(0, MAX_STACK_FRAMES).map((frame) => ({
    ...frame,
    filename: frame.filename === '' ? newestFilename : frame.filename,
  }));
}
