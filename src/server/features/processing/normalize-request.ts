import type { EventRequest, EventUser, JsonValue } from './event-types.js';
import { trimDatabag, trimDatabagObject } from './normalize-databag.js';
import { assign } from './normalize-stacktrace.js';
import {
  MAX_CHARS,
  type NormalizeState,
  isRecord,
  readRecord,
  readString,
  setOwnProperty,
} from './normalize-values.js';

/** The placeholder an SDK sends to ask the server to fill in the client's IP address. */
export const AUTO_IP_ADDRESS = '{{auto}}';

const KNOWN_USER_KEYS = new Set([
  'id',
  'email',
  'username',
  'ip_address',
  'name',
  'segment',
  'geo',
  'data',
]);

/**
 * Normalizes the user interface. Known keys are kept, unknown keys move into `data`, and the
 * `{{auto}}` IP address is replaced by the client IP (or dropped when there is none).
 */
export function normalizeUser(
  raw: unknown,
  clientIp: string | undefined,
  state: NormalizeState,
): EventUser | undefined {
  const record = readRecord(raw, 'user', state);

  if (record === undefined) {
    return undefined;
  }

  const user: EventUser = {};
  assign(
    user,
    'id',
    readString(record.id, 'user.id', state, { lenient: true, maxChars: MAX_CHARS.enumLike }),
  );
  assign(
    user,
    'email',
    readString(record.email, 'user.email', state, { maxChars: MAX_CHARS.email }),
  );
  assign(
    user,
    'username',
    readString(record.username, 'user.username', state, { maxChars: MAX_CHARS.enumLike }),
  );
  assign(
    user,
    'name',
    readString(record.name, 'user.name', state, { maxChars: MAX_CHARS.enumLike }),
  );
  assign(user, 'segment', readString(record.segment, 'user.segment', state));

  const ip = readString(record.ip_address, 'user.ip_address', state);
  assign(user, 'ip_address', ip === AUTO_IP_ADDRESS ? clientIp : ip);

  const geo = readRecord(record.geo, 'user.geo', state);

  if (geo !== undefined) {
    const geoStrings: Record<string, string> = {};

    for (const [key, value] of Object.entries(geo)) {
      const text = readString(value, `user.geo.${key}`, state);

      if (text !== undefined) {
        setOwnProperty(geoStrings, key, text);
      }
    }

    user.geo = geoStrings;
  }

  const data: Record<string, JsonValue> = trimDatabagObject(
    readRecord(record.data, 'user.data', state),
  );

  for (const [key, value] of Object.entries(record)) {
    const copy = KNOWN_USER_KEYS.has(key) ? undefined : trimDatabag(value);

    if (copy !== undefined) {
      setOwnProperty(data, key, copy);
    }
  }

  if (Object.keys(data).length > 0) {
    user.data = data;
  }

  return Object.keys(user).length > 0 ? user : undefined;
}

/** Normalizes the request interface (`url, method, query_string, data, cookies, headers`). */
export function normalizeRequest(raw: unknown, state: NormalizeState): EventRequest | undefined {
  const record = readRecord(raw, 'request', state);

  if (record === undefined) {
    return undefined;
  }

  const request: EventRequest = {};
  let url = readString(record.url, 'request.url', state);
  let queryString = readPairs(record.query_string, 'request.query_string', state, parseQueryString);
  let fragment = readString(record.fragment, 'request.fragment', state);

  if (url !== undefined) {
    const hashIndex = url.indexOf('#');

    if (hashIndex >= 0) {
      fragment ??= url.slice(hashIndex + 1);
      url = url.slice(0, hashIndex);
    }

    const queryIndex = url.indexOf('?');

    if (queryIndex >= 0) {
      queryString ??= parseQueryString(url.slice(queryIndex + 1));
      url = url.slice(0, queryIndex);
    }
  }

  assign(request, 'url', url);
  assign(request, 'method', readString(record.method, 'request.method', state)?.toUpperCase());
  assign(request, 'query_string', queryString);
  assign(request, 'fragment', fragment);
  assign(request, 'cookies', readPairs(record.cookies, 'request.cookies', state, parseCookies));
  assign(request, 'headers', normalizeHeaders(readPairs(record.headers, 'request.headers', state)));

  if (record.data !== undefined && record.data !== null) {
    assign(request, 'data', trimDatabag(record.data));
  }

  const env = readRecord(record.env, 'request.env', state);

  if (env !== undefined) {
    request.env = trimDatabagObject(env);
  }

  return request;
}

/**
 * Reads a key/value collection sent as an object, a list of pairs or (when `parseString` is
 * given) an encoded string. Values are coerced to strings; entries that cannot be are dropped.
 */
function readPairs(
  value: unknown,
  name: string,
  state: NormalizeState,
  parseString?: (text: string) => [string, string][],
): [string, string][] | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }

  if (typeof value === 'string' && parseString !== undefined) {
    return parseString(value);
  }

  let entries: unknown[][];

  if (Array.isArray(value)) {
    entries = value.map((entry: unknown) =>
      Array.isArray(entry) ? (entry as unknown[]) : [undefined],
    );
  } else if (isRecord(value)) {
    entries = Object.entries(value);
  } else {
    state.invalid(name, value);
    return undefined;
  }

  const pairs: [string, string][] = [];

  entries.forEach((entry, index) => {
    const [key, entryValue] = entry;
    const text = pairValueToString(entryValue);

    if (typeof key !== 'string' || entry.length !== 2 || text === undefined) {
      state.invalid(`${name}.${index}`, entry.length === 2 ? entryValue : entry);
      return;
    }

    pairs.push([key, text]);
  });

  return pairs;
}

function pairValueToString(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }

  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') {
    return String(value);
  }

  if (Array.isArray(value) && value.every((entry) => typeof entry === 'string')) {
    return value.join(', ');
  }

  return undefined;
}

/** Relay writes header names in Title-Case (`user-agent` becomes `User-Agent`). */
function normalizeHeaders(pairs: [string, string][] | undefined): [string, string][] | undefined {
  return pairs?.map(([key, value]) => [
    key
      .split('-')
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join('-'),
    value,
  ]);
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    // A malformed percent escape is kept as sent rather than dropping the whole pair.
    return text;
  }
}

function parseQueryString(text: string): [string, string][] {
  const query = text.startsWith('?') ? text.slice(1) : text;

  return query
    .split('&')
    .filter((part) => part !== '')
    .map((part): [string, string] => {
      const equals = part.indexOf('=');
      return equals < 0
        ? [decodeComponent(part), '']
        : [decodeComponent(part.slice(0, equals)), decodeComponent(part.slice(equals + 1))];
    });
}

function parseCookies(text: string): [string, string][] {
  return text
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part): [string, string] => {
      const equals = part.indexOf('=');
      return equals < 0 ? [part, ''] : [part.slice(0, equals), part.slice(equals + 1)];
    });
}

/** Returns the value of a request header, matched without regard to case. */
export function findHeader(
  request: EventRequest | undefined,
  headerName: string,
): string | undefined {
  const lowerName = headerName.toLowerCase();
  return request?.headers?.find(([key]) => key.toLowerCase() === lowerName)?.[1];
}
