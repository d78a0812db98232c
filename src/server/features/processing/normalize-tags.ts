import type { Breadcrumb, EventLevel } from './event-types.js';
import { trimDatabagObject } from './normalize-databag.js';
import { assign } from './normalize-stacktrace.js';
import { parseTimestamp } from './normalize-timestamp.js';
import {
  MAX_CHARS,
  type NormalizeState,
  isRecord,
  readRecord,
  readString,
  readValuesList,
} from './normalize-values.js';

/** At most this many breadcrumbs are kept, the newest ones. */
export const MAX_BREADCRUMBS = 100;

/** Tags that Sentry derives itself, so a client-sent tag of that name is removed. */
const RESERVED_TAG_KEYS = new Set(['release', 'dist', 'user', 'filename', 'function']);

/** Level names Relay accepts, with their aliases and the Python logging numbers. */
const LEVEL_ALIASES: Record<string, EventLevel> = {
  fatal: 'fatal',
  critical: 'fatal',
  error: 'error',
  warning: 'warning',
  warn: 'warning',
  info: 'info',
  log: 'info',
  debug: 'debug',
  '10': 'debug',
  '20': 'info',
  '30': 'warning',
  '40': 'error',
  '50': 'fatal',
};

/** Parses a level name, alias or Python logging number. Returns undefined for any other value. */
export function parseLevel(value: unknown): EventLevel | undefined {
  if (typeof value === 'number' || typeof value === 'string') {
    return LEVEL_ALIASES[String(value).trim().toLowerCase()];
  }

  return undefined;
}

export interface NormalizedTags {
  tags: [string, string][];
  /** The value of a client `environment` tag, which becomes the event environment if unset. */
  environment: string | undefined;
}

/**
 * Normalizes tags sent as an object or as a list of pairs. Values are coerced to strings.
 * Empty, over-long or non-string entries are dropped with an error, duplicates keep the first
 * entry, and Sentry's reserved keys are removed.
 */
export function normalizeTags(raw: unknown, state: NormalizeState): NormalizedTags {
  const result: NormalizedTags = { tags: [], environment: undefined };

  if (raw === undefined || raw === null) {
    return result;
  }

  let entries: unknown[];

  if (Array.isArray(raw)) {
    entries = raw;
  } else if (isRecord(raw)) {
    entries = Object.entries(raw);
  } else {
    state.invalid('tags', raw);
    return result;
  }

  const seen = new Set<string>();

  entries.forEach((entry: unknown, index) => {
    const pair = readTagPair(entry, `tags.${index}`, state);

    if (pair === undefined || seen.has(pair[0])) {
      return;
    }

    seen.add(pair[0]);

    if (pair[0] === 'environment') {
      result.environment = pair[1];
    } else if (!RESERVED_TAG_KEYS.has(pair[0])) {
      result.tags.push(pair);
    }
  });

  return result;
}

function readTagPair(
  entry: unknown,
  name: string,
  state: NormalizeState,
): [string, string] | undefined {
  if (!Array.isArray(entry) || entry.length !== 2) {
    state.invalid(name, entry);
    return undefined;
  }

  const [rawKey, rawValue] = entry as [unknown, unknown];

  if (rawValue === null || rawValue === undefined) {
    return undefined;
  }

  const key = typeof rawKey === 'string' ? rawKey.trim() : undefined;
  const value = tagValueToString(rawValue);

  if (key === undefined || key === '' || key.length > MAX_CHARS.tagKey) {
    state.invalid(name, rawKey);
    return undefined;
  }

  if (
    value === undefined ||
    value === '' ||
    value.length > MAX_CHARS.tagValue ||
    value.includes('\n')
  ) {
    state.invalid(`tags.${key}`, rawValue);
    return undefined;
  }

  return [key, value];
}

function tagValueToString(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value.trim();
  }

  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') {
    return String(value);
  }

  return undefined;
}

/**
 * Normalizes breadcrumbs sent as `{values}` or as a list: timestamps parsed and shifted by the
 * clock drift, `type` defaulting to `default` and `level` to `info`. Keeps the newest 100.
 */
export function normalizeBreadcrumbs(
  raw: unknown,
  drift: number,
  state: NormalizeState,
): Breadcrumb[] {
  const list = readValuesList(raw, 'breadcrumbs', state);
  const start = Math.max(0, list.length - MAX_BREADCRUMBS);
  const crumbs: Breadcrumb[] = [];

  list.slice(start).forEach((entry: unknown, offset) => {
    const name = `breadcrumbs.values.${start + offset}`;

    if (!isRecord(entry)) {
      state.invalid(name, entry);
      return;
    }

    const level =
      entry.level === undefined || entry.level === null ? 'info' : parseLevel(entry.level);

    if (level === undefined) {
      state.invalid(`${name}.level`, entry.level);
    }

    const crumb: Breadcrumb = {
      type: readString(entry.type, `${name}.type`, state) ?? 'default',
      level: level ?? 'info',
    };
    const timestamp = parseTimestamp(entry.timestamp);

    if (timestamp === undefined && entry.timestamp !== undefined && entry.timestamp !== null) {
      state.invalid(`${name}.timestamp`, entry.timestamp);
    }

    assign(crumb, 'timestamp', timestamp === undefined ? undefined : timestamp + drift);
    assign(crumb, 'category', readString(entry.category, `${name}.category`, state));
    assign(
      crumb,
      'message',
      readString(entry.message, `${name}.message`, state, { maxChars: MAX_CHARS.message }),
    );

    const data = readRecord(entry.data, `${name}.data`, state);

    if (data !== undefined) {
      crumb.data = trimDatabagObject(data);
    }

    crumbs.push(crumb);
  });

  return crumbs;
}
