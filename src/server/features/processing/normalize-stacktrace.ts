import type { StackFrame, Stacktrace } from './event-types.js';
import { trimDatabagObject } from './normalize-databag.js';
import {
  MAX_CHARS,
  type NormalizeState,
  isRecord,
  readBoolean,
  readRecord,
  readString,
  readUnsignedInteger,
} from './normalize-values.js';

/** At most this many frames are kept per stack trace: the first and the last half. */
export const MAX_FRAMES_PER_STACKTRACE = 250;

/** Path fragments of code that is never the application's own (third-party or runtime). */
const NON_APP_PATH_PATTERNS: RegExp[] = [
  /(^|[\\/])node_modules[\\/]/,
  /^node:/,
  /^internal[\\/]/,
  /[\\/]site-packages[\\/]/,
  /[\\/]dist-packages[\\/]/,
  /^\/usr\/(local\/)?lib\/python\d/,
  /[\\/]rubygems[\\/]/,
  /[\\/]gems[\\/][^\\/]+-\d[^\\/]*[\\/]/,
  /^\/usr\/share\/rubygems-integration\//,
  /^\/usr\/lib\/ruby\//,
];

/**
 * Guesses `in_app` for a frame that the SDK left without one. Returns false for dependency and
 * runtime paths (node_modules, `node:` internals, Python site/dist-packages and the system
 * Python, Ruby gems) and undefined otherwise, which grouping treats as "not in app".
 */
export function inferInApp(frame: StackFrame): boolean | undefined {
  for (const path of [frame.abs_path, frame.filename]) {
    if (path !== undefined && NON_APP_PATH_PATTERNS.some((pattern) => pattern.test(path))) {
      return false;
    }
  }

  return undefined;
}

/** Normalizes one stack frame. Returns undefined when the value is not an object. */
export function normalizeFrame(
  raw: unknown,
  name: string,
  state: NormalizeState,
): StackFrame | undefined {
  if (!isRecord(raw)) {
    state.invalid(name, raw);
    return undefined;
  }

  const frame: StackFrame = {};
  const text = (key: string, maxChars?: number): string | undefined =>
    readString(raw[key], `${name}.${key}`, state, maxChars === undefined ? {} : { maxChars });

  assign(frame, 'filename', text('filename', MAX_CHARS.path));
  assign(frame, 'abs_path', text('abs_path', MAX_CHARS.path));
  moveUrlFilename(frame);
  assign(frame, 'function', cleanFunctionName(text('function', MAX_CHARS.symbol)));
  assign(frame, 'raw_function', text('raw_function'));
  assign(frame, 'symbol', cleanFunctionName(text('symbol', MAX_CHARS.symbol)));
  assign(frame, 'module', text('module', MAX_CHARS.symbol));
  assign(frame, 'package', text('package', MAX_CHARS.path));
  assign(frame, 'platform', text('platform'));
  assign(frame, 'lineno', readUnsignedInteger(raw.lineno, `${name}.lineno`, state));
  assign(frame, 'colno', readUnsignedInteger(raw.colno, `${name}.colno`, state));
  assign(frame, 'context_line', readContextLine(raw.context_line, `${name}.context_line`, state));
  assign(frame, 'pre_context', readContextLines(raw.pre_context, `${name}.pre_context`, state));
  assign(frame, 'post_context', readContextLines(raw.post_context, `${name}.post_context`, state));
  assign(frame, 'in_app', readBoolean(raw.in_app, `${name}.in_app`, state));
  assign(
    frame,
    'instruction_addr',
    readAddress(raw.instruction_addr, `${name}.instruction_addr`, state),
  );

  const vars = readRecord(raw.vars, `${name}.vars`, state);
  const data = readRecord(raw.data, `${name}.data`, state);

  if (vars !== undefined) {
    frame.vars = trimDatabagObject(vars);
  }

  if (data !== undefined) {
    frame.data = trimDatabagObject(data);
  }

  if (frame.in_app === undefined) {
    assign(frame, 'in_app', inferInApp(frame));
  }

  return frame;
}

const URL_PATTERN = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i;

/**
 * Relay keeps a URL filename in `abs_path` when that is empty, and shortens `filename` to the
 * URL's path, so `http://host/static/app.js` reads as `/static/app.js`.
 */
function moveUrlFilename(frame: StackFrame): void {
  if (frame.filename === undefined) {
    return;
  }

  frame.abs_path ??= frame.filename;
  const match = URL_PATTERN.exec(frame.filename);
  if (match !== null) {
    frame.filename = match[1] === undefined || match[1] === '' ? '/' : match[1];
  }
}

/** Relay drops the placeholder function name `?` that some SDKs send. */
function cleanFunctionName(value: string | undefined): string | undefined {
  return value === '?' ? undefined : value;
}

function readContextLine(value: unknown, name: string, state: NormalizeState): string | undefined {
  return readString(value, name, state, { keepEmpty: true });
}

/** Reads pre/post context. A null line becomes an empty string, as in Relay. */
function readContextLines(
  value: unknown,
  name: string,
  state: NormalizeState,
): string[] | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }

  if (!Array.isArray(value)) {
    state.invalid(name, value);
    return undefined;
  }

  return value.map((line: unknown, index) => {
    if (line === null || line === undefined) {
      return '';
    }

    return readString(line, `${name}.${index}`, state, { keepEmpty: true }) ?? '';
  });
}

/** Reads an address, which SDKs send as a hex string or, rarely, as a number. */
function readAddress(value: unknown, name: string, state: NormalizeState): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
    return `0x${value.toString(16)}`;
  }

  return readString(value, name, state);
}

/**
 * Normalizes a stack trace. Keeps at most 250 frames, the first and the last 125, and records
 * the omitted range in `frames_omitted`. Returns undefined for a value that is not an object.
 */
export function normalizeStacktrace(
  raw: unknown,
  name: string,
  state: NormalizeState,
): Stacktrace | undefined {
  const record = readRecord(raw, name, state);

  if (record === undefined) {
    return undefined;
  }

  const rawFrames = Array.isArray(record.frames) ? record.frames : [];

  if (record.frames !== undefined && record.frames !== null && !Array.isArray(record.frames)) {
    state.invalid(`${name}.frames`, record.frames);
  }

  let frames: StackFrame[] = [];

  rawFrames.forEach((rawFrame: unknown, index) => {
    const frame = normalizeFrame(rawFrame, `${name}.frames.${index}`, state);

    if (frame !== undefined) {
      frames.push(frame);
    }
  });

  const stacktrace: Stacktrace = { frames };

  if (frames.length > MAX_FRAMES_PER_STACKTRACE) {
    const half = MAX_FRAMES_PER_STACKTRACE / 2;
    const omittedEnd = frames.length - half;
    frames = [...frames.slice(0, half), ...frames.slice(omittedEnd)];
    stacktrace.frames = frames;
    stacktrace.frames_omitted = [half, omittedEnd];
  }

  const registers = readRecord(record.registers, `${name}.registers`, state);

  if (registers !== undefined) {
    stacktrace.registers = Object.fromEntries(
      Object.entries(registers).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    );
  }

  assign(stacktrace, 'snapshot', readBoolean(record.snapshot, `${name}.snapshot`, state));

  return stacktrace;
}

/** Sets an optional property only when the value is defined, so absent keys stay absent. */
export function assign<T extends object, K extends keyof T>(
  target: T,
  key: K,
  value: T[K] | undefined,
): void {
  if (value !== undefined) {
    target[key] = value;
  }
}
