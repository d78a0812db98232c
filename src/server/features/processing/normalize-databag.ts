import type { JsonValue } from './event-types.js';
import {
  MAX_DATABAG_DEPTH,
  MAX_DATABAG_STRING_CHARS,
  isRecord,
  setOwnProperty,
  truncateString,
} from './normalize-values.js';

/**
 * Copies an arbitrary value into plain JSON, trimmed like Relay trims databags (`extra`, context
 * values, `request.data`, breadcrumb `data`, frame `vars`).
 *
 * Containers nested deeper than `maxDepth` are dropped, as Relay deletes them. Strings longer than
 * 16 KiB are cut. Values that JSON cannot hold (functions, symbols, undefined) are dropped,
 * non-finite numbers and bigints become strings, and a reference cycle is cut where it closes.
 */
export function trimDatabag(value: unknown, maxDepth = MAX_DATABAG_DEPTH): JsonValue | undefined {
  return copyValue(value, 0, maxDepth, new WeakSet());
}

/** Like `trimDatabag`, but keeps only an object result; anything else becomes `{}`. */
export function trimDatabagObject(
  value: unknown,
  maxDepth = MAX_DATABAG_DEPTH,
): Record<string, JsonValue> {
  const copy = trimDatabag(value, maxDepth);
  return isRecord(copy) ? copy : {};
}

function copyValue(
  value: unknown,
  depth: number,
  maxDepth: number,
  seen: WeakSet<object>,
): JsonValue | undefined {
  switch (typeof value) {
    case 'string':
      return truncateString(value, MAX_DATABAG_STRING_CHARS);
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'object':
      break;
  }

  if (value === null) {
    return null;
  }

  if (depth >= maxDepth || seen.has(value)) {
    return undefined;
  }

  seen.add(value);
  const copy = Array.isArray(value)
    ? copyArray(value, depth, maxDepth, seen)
    : copyObject(value as Record<string, unknown>, depth, maxDepth, seen);
  seen.delete(value);

  return copy;
}

function copyArray(
  value: unknown[],
  depth: number,
  maxDepth: number,
  seen: WeakSet<object>,
): JsonValue[] {
  const copy: JsonValue[] = [];

  for (const entry of value) {
    const entryCopy = copyValue(entry, depth + 1, maxDepth, seen);

    if (entryCopy !== undefined) {
      copy.push(entryCopy);
    }
  }

  return copy;
}

function copyObject(
  value: Record<string, unknown>,
  depth: number,
  maxDepth: number,
  seen: WeakSet<object>,
): Record<string, JsonValue> {
  const copy: Record<string, JsonValue> = {};

  for (const [key, entry] of Object.entries(value)) {
    const entryCopy = copyValue(entry, depth + 1, maxDepth, seen);

    if (entryCopy !== undefined) {
      setOwnProperty(copy, key, entryCopy);
    }
  }

  return copy;
}
