import { randomUUID } from 'node:crypto';

import { AppError } from '../../platform/errors.js';
import { normalizeEventId, parseJsonPayload } from '../ingest/json-payload.js';

type JsonObject = Record<string, unknown>;

const MAX_BRACKET_DEPTH = 8;
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Builds the event of a minidump upload from its form fields: the `sentry` field (a JSON
 * event), then `sentry[...]` bracket fields such as `sentry[tags][build]=42` merged into it.
 * Other fields are kept in `extra`. The event is a fatal native crash and gets a `Minidump`
 * exception unless it names one.
 * @throws AppError 400 when the `sentry` field is not a JSON object or nests over 64 levels.
 */
export function buildMinidumpEvent(fields: [string, string][]): {
  eventId: string;
  event: JsonObject;
} {
  const event = parseSentryField(fields.find(([name]) => name === 'sentry')?.[1]);
  const extra: JsonObject = isObject(event.extra) ? { ...event.extra } : {};

  for (const [name, value] of fields) {
    if (name === 'sentry') {
      continue;
    }
    const path = parseBracketPath(name);
    if (path === undefined) {
      if (!UNSAFE_KEYS.has(name)) {
        extra[name] = value;
      }
      continue;
    }
    setPath(event, path, value);
  }

  const eventId = normalizeEventId(event.event_id) ?? randomUUID().replaceAll('-', '');
  const exceptions = isObject(event.exception) ? event.exception.values : undefined;
  const hasException = Array.isArray(exceptions) && exceptions.length > 0;

  return {
    eventId,
    event: {
      ...event,
      event_id: eventId,
      platform: typeof event.platform === 'string' ? event.platform : 'native',
      level: typeof event.level === 'string' ? event.level : 'fatal',
      ...(Object.keys(extra).length > 0 ? { extra } : {}),
      ...(hasException
        ? {}
        : {
            exception: {
              values: [{ type: 'Minidump', mechanism: { type: 'minidump', handled: false } }],
            },
          }),
    },
  };
}

function parseSentryField(text: string | undefined): JsonObject {
  if (text === undefined || text.trim() === '') {
    return {};
  }

  // The depth limit keeps a deeply nested field from overflowing the stack when the event is
  // serialized for the queue.
  const parsed = parseJsonPayload(Buffer.from(text));
  if (!parsed.ok) {
    const detail = parsed.reason === 'not_object' ? 'it must be a JSON object' : parsed.message;
    throw new AppError(400, 'bad_request', `Invalid "sentry" form field: ${detail}`);
  }
  return parsed.value as JsonObject;
}

/** Splits `sentry[a][b]` into `['a', 'b']`; returns undefined for other names. */
function parseBracketPath(name: string): string[] | undefined {
  const match = /^sentry((?:\[[^[\]]*\])+)$/.exec(name);
  if (match?.[1] === undefined) {
    return undefined;
  }
  const path = [...match[1].matchAll(/\[([^[\]]*)\]/g)].map((part) => part[1] ?? '');
  const isUsable =
    path.length <= MAX_BRACKET_DEPTH && path.every((key) => key !== '' && !UNSAFE_KEYS.has(key));
  return isUsable ? path : undefined;
}

function setPath(target: JsonObject, path: string[], value: string): void {
  const last = path[path.length - 1];
  if (last === undefined) {
    return;
  }

  let current = target;
  for (const key of path.slice(0, -1)) {
    const next = current[key];
    if (isObject(next)) {
      current = next;
    } else {
      const created: JsonObject = {};
      current[key] = created;
      current = created;
    }
  }
  current[last] = value;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
