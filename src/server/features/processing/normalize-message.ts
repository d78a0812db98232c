import type { JsonValue, LogEntry } from './event-types.js';
import { trimDatabag } from './normalize-databag.js';
import {
  MAX_CHARS,
  type NormalizeState,
  isRecord,
  readString,
  truncateString,
} from './normalize-values.js';

const PRINTF_PATTERN = /%(%|[sdifr])/g;
const BRACE_PATTERN = /\{(\d*)\}/g;

/**
 * Builds the `logentry` interface from `logentry`, or else from `message` sent as a string or as
 * an object. When `formatted` is missing, it is produced by substituting `params` into `message`
 * (printf-style `%s` placeholders, or `{0}`/`{}` ones). Returns undefined for an empty message.
 */
export function normalizeLogEntry(
  logentry: unknown,
  message: unknown,
  state: NormalizeState,
): LogEntry | undefined {
  if (logentry !== undefined && logentry !== null) {
    return readLogEntry(logentry, 'logentry', state);
  }

  return readLogEntry(message, 'message', state);
}

function readLogEntry(raw: unknown, name: string, state: NormalizeState): LogEntry | undefined {
  if (raw === undefined || raw === null) {
    return undefined;
  }

  if (typeof raw === 'string') {
    const formatted = truncateString(raw, MAX_CHARS.message);
    return formatted.trim() === '' ? undefined : { formatted };
  }

  if (!isRecord(raw)) {
    state.invalid(name, raw);
    return undefined;
  }

  const template = readString(raw.message, `${name}.message`, state, { lenient: true });
  const params = readParams(raw.params, `${name}.params`, state);
  let formatted = readString(raw.formatted, `${name}.formatted`, state, { lenient: true });

  if (formatted === undefined && template !== undefined) {
    formatted = params === undefined ? template : formatMessage(template, params);
  }

  if (formatted === undefined || formatted.trim() === '') {
    return undefined;
  }

  const entry: LogEntry = { formatted: truncateString(formatted, MAX_CHARS.message) };

  if (template !== undefined && template !== formatted) {
    entry.message = truncateString(template, MAX_CHARS.message);
  }

  if (params !== undefined) {
    entry.params = params;
  }

  return entry;
}

function readParams(value: unknown, name: string, state: NormalizeState): JsonValue[] | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }

  const copy = trimDatabag(value);

  if (Array.isArray(copy)) {
    return copy;
  }

  if (isRecord(copy)) {
    return Object.values(copy);
  }

  state.invalid(name, value);
  return undefined;
}

function paramToString(value: JsonValue | undefined): string {
  if (value === undefined) {
    return '';
  }

  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Substitutes positional parameters into a message template. */
export function formatMessage(template: string, params: JsonValue[]): string {
  let next = 0;

  if (PRINTF_PATTERN.test(template)) {
    PRINTF_PATTERN.lastIndex = 0;
    return template.replace(PRINTF_PATTERN, (placeholder: string, kind: string) => {
      if (kind === '%') {
        return '%';
      }

      return next < params.length ? paramToString(params[next++]) : placeholder;
    });
  }

  return template.replace(BRACE_PATTERN, (placeholder: string, index: string) => {
    const position = index === '' ? next++ : Number(index);
    return position < params.length ? paramToString(params[position]) : placeholder;
  });
}
