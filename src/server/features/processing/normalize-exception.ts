// The stack parser alone, not the source-map feature's index: that loads the upload routes and
// symbolication, which the worker thread loads only when it first symbolicates.
import { parseStackString } from '../sourcemaps/stack-parser.js';

import type { ExceptionValue, Mechanism, Stacktrace, Thread } from './event-types.js';
import { trimDatabagObject } from './normalize-databag.js';
import { assign, normalizeStacktrace } from './normalize-stacktrace.js';
import {
  MAX_CHARS,
  type NormalizeState,
  isRecord,
  readBoolean,
  readRecord,
  readString,
  readValuesList,
} from './normalize-values.js';

/** Relay splits a missing type out of values such as `ValueError: bad input`. */
const TYPE_IN_VALUE_PATTERN = /^(\w[\w.$]*): (.*)$/s;

/** Platforms whose raw stack strings (`error.stack` text) are parsed into frames. */
const STACK_STRING_PLATFORMS = new Set(['javascript', 'node']);

/** Maximum length of a raw stack string, in characters; longer ones are cut before parsing. */
const MAX_STACK_STRING_CHARS = 64 * 1024;

/**
 * Normalizes the exception interface, sent as `{values: [...]}` or as a bare list. Entries
 * that are not objects, or that have neither type nor value, are dropped with an error. On
 * JavaScript and Node events, a `stacktrace` sent as a string (the raw `error.stack`, as some
 * hand-written clients send it) is parsed into frames.
 */
export function normalizeExceptions(
  raw: unknown,
  state: NormalizeState,
  platform = 'other',
): ExceptionValue[] {
  const list = readValuesList(raw, 'exception', state);
  const values: ExceptionValue[] = [];
  const parseStrings = STACK_STRING_PLATFORMS.has(platform);

  list.forEach((entry: unknown, index) => {
    const exception = normalizeException(entry, `exception.values.${index}`, state, parseStrings);

    if (exception !== undefined) {
      values.push(exception);
    }
  });

  return values;
}

function normalizeException(
  raw: unknown,
  name: string,
  state: NormalizeState,
  parseStrings: boolean,
): ExceptionValue | undefined {
  if (!isRecord(raw)) {
    state.invalid(name, raw);
    return undefined;
  }

  const exception: ExceptionValue = {};
  let type = readString(raw.type, `${name}.type`, state, { maxChars: MAX_CHARS.symbol });
  let value = readString(raw.value, `${name}.value`, state, {
    lenient: true,
    maxChars: MAX_CHARS.message,
  });

  if (type === undefined && value !== undefined) {
    const match = TYPE_IN_VALUE_PATTERN.exec(value);

    if (match?.[1] !== undefined && match[2] !== undefined) {
      type = match[1];
      value = match[2];
    }
  }

  const stacktrace =
    parseStrings && typeof raw.stacktrace === 'string'
      ? stacktraceFromString(raw.stacktrace, `${name}.stacktrace`, state)
      : normalizeStacktrace(raw.stacktrace, `${name}.stacktrace`, state);

  if (type === undefined && value === undefined) {
    state.errors.push({ type: 'missing_attribute', name, value: 'type or value' });
    return undefined;
  }

  assign(exception, 'type', type);
  assign(exception, 'value', value);
  assign(exception, 'module', readString(raw.module, `${name}.module`, state));
  assign(exception, 'thread_id', readThreadId(raw.thread_id, `${name}.thread_id`, state));
  assign(exception, 'mechanism', normalizeMechanism(raw.mechanism, `${name}.mechanism`, state));
  assign(exception, 'stacktrace', stacktrace);

  return exception;
}

/**
 * Parses a raw JavaScript stack string into a normalized stack trace. A string in which no line
 * reads as a frame is recorded as invalid data.
 */
function stacktraceFromString(
  text: string,
  name: string,
  state: NormalizeState,
): Stacktrace | undefined {
  const frames = parseStackString(text.slice(0, MAX_STACK_STRING_CHARS));

  if (frames.length === 0) {
    state.invalid(name, text);
    return undefined;
  }

  return normalizeStacktrace({ frames }, name, state);
}

/**
 * Gives the only exception of a JavaScript or Node event the frames of `extra.stack` when it
 * has no stack trace, because some hand-written clients send `error.stack` there. A string
 * without frames is left alone, as `extra` may contain any text.
 */
export function attachExtraStack(
  exceptions: ExceptionValue[],
  extra: unknown,
  platform: string,
  state: NormalizeState,
): void {
  const only = exceptions.length === 1 ? exceptions[0] : undefined;
  const stack = isRecord(extra) ? extra.stack : undefined;

  if (
    only === undefined ||
    only.stacktrace !== undefined ||
    typeof stack !== 'string' ||
    !STACK_STRING_PLATFORMS.has(platform)
  ) {
    return;
  }

  const frames = parseStackString(stack.slice(0, MAX_STACK_STRING_CHARS));

  if (frames.length > 0) {
    assign(only, 'stacktrace', normalizeStacktrace({ frames }, 'extra.stack', state));
  }
}

function readThreadId(
  value: unknown,
  name: string,
  state: NormalizeState,
): string | number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) {
    return value;
  }

  return readString(value, name, state);
}

function readInteger(value: unknown, name: string, state: NormalizeState): number | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }

  if (typeof value === 'number' && Number.isInteger(value)) {
    return value;
  }

  state.invalid(name, value);
  return undefined;
}

/** Normalizes an exception mechanism. A mechanism without a type gets `generic`. */
export function normalizeMechanism(
  raw: unknown,
  name: string,
  state: NormalizeState,
): Mechanism | undefined {
  const record = readRecord(raw, name, state);

  if (record === undefined) {
    return undefined;
  }

  const mechanism: Mechanism = {
    type:
      readString(record.type, `${name}.type`, state, { maxChars: MAX_CHARS.enumLike }) ?? 'generic',
  };
  const text = (key: string): string | undefined =>
    readString(record[key], `${name}.${key}`, state);

  assign(mechanism, 'handled', readBoolean(record.handled, `${name}.handled`, state));
  assign(mechanism, 'synthetic', readBoolean(record.synthetic, `${name}.synthetic`, state));
  assign(mechanism, 'description', text('description'));
  assign(mechanism, 'help_link', text('help_link'));
  assign(mechanism, 'source', text('source'));
  assign(
    mechanism,
    'exception_id',
    readInteger(record.exception_id, `${name}.exception_id`, state),
  );
  assign(mechanism, 'parent_id', readInteger(record.parent_id, `${name}.parent_id`, state));
  assign(
    mechanism,
    'is_exception_group',
    readBoolean(record.is_exception_group, `${name}.is_exception_group`, state),
  );

  const data = readRecord(record.data, `${name}.data`, state);
  const meta = readRecord(record.meta, `${name}.meta`, state);

  if (data !== undefined) {
    mechanism.data = trimDatabagObject(data);
  }

  if (meta !== undefined) {
    mechanism.meta = trimDatabagObject(meta);
  }

  return mechanism;
}

/** Normalizes the threads interface, sent as `{values: [...]}` or as a bare list. */
export function normalizeThreads(raw: unknown, state: NormalizeState): Thread[] {
  const list = readValuesList(raw, 'threads', state);
  const threads: Thread[] = [];

  list.forEach((entry: unknown, index) => {
    const name = `threads.values.${index}`;

    if (!isRecord(entry)) {
      state.invalid(name, entry);
      return;
    }

    const thread: Thread = {};
    assign(thread, 'id', readThreadId(entry.id, `${name}.id`, state));
    assign(thread, 'name', readString(entry.name, `${name}.name`, state));
    assign(thread, 'crashed', readBoolean(entry.crashed, `${name}.crashed`, state));
    assign(thread, 'current', readBoolean(entry.current, `${name}.current`, state));
    assign(thread, 'main', readBoolean(entry.main, `${name}.main`, state));
    assign(thread, 'state', readString(entry.state, `${name}.state`, state));
    assign(
      thread,
      'stacktrace',
      normalizeStacktrace(entry.stacktrace, `${name}.stacktrace`, state),
    );
    threads.push(thread);
  });

  return threads;
}

/**
 * Moves a top-level stack trace into the only exception when that exception has none, as Relay
 * does. Returns the stack trace that stays at the top level, if any.
 */
export function attachTopLevelStacktrace(
  stacktrace: Stacktrace | undefined,
  exceptions: ExceptionValue[],
): Stacktrace | undefined {
  const only = exceptions.length === 1 ? exceptions[0] : undefined;

  if (stacktrace !== undefined && only !== undefined && only.stacktrace === undefined) {
    only.stacktrace = stacktrace;
    return undefined;
  }

  return stacktrace;
}
