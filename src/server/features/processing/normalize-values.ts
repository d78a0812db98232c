import type { EventError, JsonValue } from './event-types.js';

/** Relay's string limits (`MaxChars` in relay-event-schema), in characters. */
export const MAX_CHARS = {
  message: 8192,
  symbol: 256,
  path: 256,
  culprit: 200,
  tagKey: 200,
  tagValue: 200,
  logger: 64,
  environment: 64,
  distribution: 64,
  email: 75,
  enumLike: 128,
  summary: 1024,
} as const;

/** Databag limits: nesting depth and the length of one string, in characters. */
export const MAX_DATABAG_DEPTH = 7;
export const MAX_DATABAG_STRING_CHARS = 16 * 1024;

/** Collects the processing errors for one event while its fields are normalized. */
export class NormalizeState {
  readonly errors: EventError[] = [];

  invalid(name: string, value: unknown, type = 'invalid_data'): void {
    const error: EventError = { type, name };
    const recorded = summarizeInvalidValue(value);

    if (recorded !== undefined) {
      error.value = recorded;
    }

    this.errors.push(error);
  }
}

/** Shortens an invalid value so that an error entry never carries a whole payload. */
function summarizeInvalidValue(value: unknown): JsonValue | undefined {
  if (value === undefined) {
    return undefined;
  }

  if (typeof value === 'string') {
    return truncateString(value, MAX_CHARS.summary);
  }

  if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
  }

  if (Array.isArray(value)) {
    return `[array of ${value.length}]`;
  }

  return typeof value === 'object' ? '[object]' : typeof value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Cuts a string to `maxChars` code units, ending it with `...` as Relay does. */
export function truncateString(value: string, maxChars: number): string {
  if (value.length <= maxChars) {
    return value;
  }

  return `${value.slice(0, Math.max(0, maxChars - 3))}...`;
}

export interface ReadStringOptions {
  maxChars?: number;
  /** Accept numbers and booleans and turn them into strings (Relay's `LenientString`). */
  lenient?: boolean;
  /** Keep an empty string instead of treating it as absent. */
  keepEmpty?: boolean;
}

/**
 * Reads an optional string field. Returns undefined for null, undefined and (unless
 * `keepEmpty`) empty strings. Records an `invalid_data` error for any other type.
 */
export function readString(
  value: unknown,
  name: string,
  state: NormalizeState,
  options: ReadStringOptions = {},
): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }

  let text: string;

  if (typeof value === 'string') {
    text = value;
  } else if (options.lenient === true && isScalar(value)) {
    text = String(value);
  } else {
    state.invalid(name, value);
    return undefined;
  }

  if (text === '' && options.keepEmpty !== true) {
    return undefined;
  }

  return options.maxChars === undefined ? text : truncateString(text, options.maxChars);
}

function isScalar(value: unknown): value is number | boolean {
  return (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean';
}

/** Reads an optional boolean. Strings and numbers are rejected as Relay does. */
export function readBoolean(
  value: unknown,
  name: string,
  state: NormalizeState,
): boolean | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }

  if (typeof value === 'boolean') {
    return value;
  }

  state.invalid(name, value);
  return undefined;
}

/** Reads an optional non-negative integer such as a line number. */
export function readUnsignedInteger(
  value: unknown,
  name: string,
  state: NormalizeState,
): number | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }

  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
    return value;
  }

  state.invalid(name, value);
  return undefined;
}

/** Reads a list of strings, dropping (and recording) entries of any other type. */
export function readStringList(
  value: unknown,
  name: string,
  state: NormalizeState,
  options: ReadStringOptions = {},
): string[] | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }

  if (!Array.isArray(value)) {
    state.invalid(name, value);
    return undefined;
  }

  const list: string[] = [];

  value.forEach((entry: unknown, index) => {
    const text = readString(entry, `${name}.${index}`, state, { keepEmpty: true, ...options });

    if (text !== undefined) {
      list.push(text);
    }
  });

  return list;
}

/**
 * Reads an object field. Returns undefined and records an error when the value is present but
 * not a JSON object.
 */
export function readRecord(
  value: unknown,
  name: string,
  state: NormalizeState,
): Record<string, unknown> | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }

  if (isRecord(value)) {
    return value;
  }

  state.invalid(name, value);
  return undefined;
}

/**
 * Reads a protocol list that may come bare or wrapped as `{values: [...]}` (exceptions,
 * threads, breadcrumbs).
 */
export function readValuesList(value: unknown, name: string, state: NormalizeState): unknown[] {
  if (value === undefined || value === null) {
    return [];
  }

  if (Array.isArray(value)) {
    return value;
  }

  if (isRecord(value)) {
    const inner = value.values;

    if (inner === undefined || inner === null) {
      return [];
    }

    if (Array.isArray(inner)) {
      return inner;
    }

    state.invalid(`${name}.values`, inner);
    return [];
  }

  state.invalid(name, value);
  return [];
}

/**
 * Sets an own property even when the key is `__proto__`, which a plain assignment would treat as
 * a prototype change. JSON.parse can produce that key, so copies of untrusted objects need this.
 */
export function setOwnProperty<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return;
  }

  target[key] = value;
}
