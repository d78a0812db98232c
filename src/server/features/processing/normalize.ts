import { randomUUID } from 'node:crypto';

import type { EventLevel, NormalizedEvent } from './event-types.js';
import { trimDatabagObject } from './normalize-databag.js';
import {
  attachExtraStack,
  attachTopLevelStacktrace,
  normalizeExceptions,
  normalizeThreads,
} from './normalize-exception.js';
import { normalizeLogEntry } from './normalize-message.js';
import {
  AUTO_IP_ADDRESS,
  findHeader,
  normalizeRequest,
  normalizeUser,
} from './normalize-request.js';
import { assign, normalizeStacktrace } from './normalize-stacktrace.js';
import { normalizeBreadcrumbs, normalizeTags, parseLevel } from './normalize-tags.js';
import { computeClockDrift, parseTimestamp, resolveEventTimestamp } from './normalize-timestamp.js';
import {
  normalizeContexts,
  normalizeSdk,
  readFingerprint,
  readModules,
  validateEnvironment,
  validateRelease,
} from './normalize-attributes.js';
import {
  MAX_CHARS,
  NormalizeState,
  isRecord,
  readRecord,
  readString,
  setOwnProperty,
} from './normalize-values.js';

export interface NormalizeContext {
  /** Event id from the envelope header; it wins over the payload's `event_id`. */
  eventId: string | undefined;
  /** Receive time in epoch milliseconds. */
  receivedAt: number;
  /** The envelope's `sent_at`, used to correct client clock drift. */
  sentAt: string | undefined;
  clientIp: string | undefined;
  /** The `sentry_client` auth value (`name/version`), used when the event has no `sdk`. */
  client: string | undefined;
  defaultType?: 'error' | 'default';
}

/** Platforms Relay accepts; anything else becomes `other`. */
export const VALID_PLATFORMS = new Set([
  'as3',
  'c',
  'cfml',
  'cocoa',
  'csharp',
  'dart',
  'elixir',
  'go',
  'groovy',
  'haskell',
  'java',
  'javascript',
  'kotlin',
  'native',
  'node',
  'objc',
  'other',
  'perl',
  'php',
  'python',
  'ruby',
]);

/** Platforms whose SDKs expect the server to fill in the user IP unless `infer_ip` is `never`. */
const IP_INFERRING_PLATFORMS = new Set(['javascript', 'cocoa', 'objc']);

/** Old interface names that some SDKs (and Sentry's own fixtures) still send. */
const LEGACY_ALIASES: Record<string, string> = {
  'sentry.interfaces.Exception': 'exception',
  'sentry.interfaces.Message': 'logentry',
  'sentry.interfaces.Http': 'request',
  'sentry.interfaces.User': 'user',
  'sentry.interfaces.Stacktrace': 'stacktrace',
  'sentry.interfaces.Threads': 'threads',
  'sentry.interfaces.Breadcrumbs': 'breadcrumbs',
  'sentry.interfaces.Contexts': 'contexts',
};

const SECURITY_INTERFACES = ['csp', 'hpkp', 'expectct', 'expectstaple'] as const;
const EVENT_ID_PATTERN = /^[0-9a-f]{32}$/;

/**
 * Normalizes an untrusted event payload into Sentry's event shape, as Relay's store
 * normalization does. Malformed input does not make it throw: fields of the wrong type are dropped
 * or coerced, and each
 * such change is recorded in `errors` as `{type: 'invalid_data', name: <path>, value}`.
 */
export function normalizeEvent(
  raw: Record<string, unknown>,
  context: NormalizeContext,
): NormalizedEvent {
  const input = resolveAliases(isRecord(raw) ? raw : {});
  const state = new NormalizeState();
  const receivedSeconds = context.receivedAt / 1000;
  const drift = computeClockDrift(context.sentAt, receivedSeconds);
  const clientTimestamp = parseTimestamp(input.timestamp);

  if (clientTimestamp === undefined && input.timestamp !== undefined && input.timestamp !== null) {
    state.invalid('timestamp', input.timestamp);
  }

  const timing = resolveEventTimestamp(clientTimestamp, receivedSeconds, drift);
  const platform = readPlatform(input.platform, state);
  const exceptions = normalizeExceptions(input.exception, state, platform);
  const tags = normalizeTags(input.tags, state);

  const event: NormalizedEvent = {
    event_id: resolveEventId(context.eventId, input.event_id, state),
    timestamp: timing.timestamp,
    received: receivedSeconds,
    level: readEventLevel(input.level, state),
    platform,
    type: exceptions.length > 0 ? 'error' : (context.defaultType ?? 'default'),
    tags: tags.tags,
    extra: trimDatabagObject(readRecord(input.extra, 'extra', state)),
    contexts: {},
    errors: [],
  };

  assignTopLevelStrings(event, input, tags.environment, state);
  assign(event, 'message', normalizeLogEntry(input.logentry, input.message, state));
  assign(event, 'request', normalizeRequest(input.request, state));
  event.contexts = normalizeContexts(
    input.contexts,
    findHeader(event.request, 'User-Agent'),
    state,
  );
  assign(event, 'sdk', normalizeSdk(input.sdk, context.client, state));
  assign(event, 'user', normalizeUser(input.user, context.clientIp, state));
  inferUserIp(event, context.clientIp);

  const topLevelStacktrace = normalizeStacktrace(input.stacktrace, 'stacktrace', state);
  assign(event, 'stacktrace', attachTopLevelStacktrace(topLevelStacktrace, exceptions));
  attachExtraStack(exceptions, input.extra, platform, state);

  if (exceptions.length > 0) {
    event.exception = { values: exceptions };
  }

  assignCollections(event, input, drift, state);
  event.errors = [...timing.errors, ...state.errors];

  return event;
}

function resolveAliases(input: Record<string, unknown>): Record<string, unknown> {
  const resolved: Record<string, unknown> = {};

  for (const [key, value] of Object.entries(input)) {
    setOwnProperty(resolved, key, value);
  }

  for (const [legacy, modern] of Object.entries(LEGACY_ALIASES)) {
    if (resolved[modern] === undefined && input[legacy] !== undefined) {
      resolved[modern] = input[legacy];
    }
  }

  return resolved;
}

function resolveEventId(
  headerId: string | undefined,
  payloadId: unknown,
  state: NormalizeState,
): string {
  for (const [candidate, name] of [
    [headerId, 'event_id'],
    [payloadId, 'event_id'],
  ] as const) {
    if (candidate === undefined || candidate === null) {
      continue;
    }

    const id = typeof candidate === 'string' ? candidate.replace(/-/g, '').toLowerCase() : '';

    if (EVENT_ID_PATTERN.test(id)) {
      return id;
    }

    state.invalid(name, candidate);
  }

  return randomUUID().replace(/-/g, '');
}

function readEventLevel(value: unknown, state: NormalizeState): EventLevel {
  if (value === undefined || value === null) {
    return 'error';
  }

  const level = parseLevel(value);

  if (level === undefined) {
    state.invalid('level', value);
  }

  return level ?? 'error';
}

function readPlatform(value: unknown, state: NormalizeState): string {
  if (value === undefined || value === null) {
    return 'other';
  }

  if (typeof value === 'string' && VALID_PLATFORMS.has(value)) {
    return value;
  }

  state.invalid('platform', value);
  return 'other';
}

function assignTopLevelStrings(
  event: NormalizedEvent,
  input: Record<string, unknown>,
  environmentTag: string | undefined,
  state: NormalizeState,
): void {
  assign(
    event,
    'logger',
    readString(input.logger, 'logger', state, { maxChars: MAX_CHARS.logger }),
  );
  assign(
    event,
    'transaction',
    readString(input.transaction, 'transaction', state, { maxChars: MAX_CHARS.culprit }),
  );
  assign(
    event,
    'server_name',
    readString(input.server_name, 'server_name', state, { maxChars: MAX_CHARS.symbol }),
  );
  assign(
    event,
    'culprit',
    readString(input.culprit, 'culprit', state, { maxChars: MAX_CHARS.culprit }),
  );
  assign(
    event,
    'dist',
    readString(input.dist, 'dist', state, { maxChars: MAX_CHARS.distribution })?.trim() ||
      undefined,
  );
  assign(
    event,
    'release',
    validateRelease(readString(input.release, 'release', state, { lenient: true }), state),
  );
  assign(
    event,
    'environment',
    validateEnvironment(
      readString(input.environment, 'environment', state) ?? environmentTag,
      state,
    ),
  );
}

/** Browser and Apple SDKs leave the user IP to the server unless `infer_ip` is `never`. */
function inferUserIp(event: NormalizedEvent, clientIp: string | undefined): void {
  const inferSetting = event.sdk?.settings?.infer_ip;

  if (
    clientIp === undefined ||
    event.user?.ip_address !== undefined ||
    !IP_INFERRING_PLATFORMS.has(event.platform) ||
    inferSetting === 'never'
  ) {
    return;
  }

  event.user = { ...event.user, ip_address: clientIp };
}

function assignCollections(
  event: NormalizedEvent,
  input: Record<string, unknown>,
  drift: number,
  state: NormalizeState,
): void {
  const threads = normalizeThreads(input.threads, state);
  const breadcrumbs = normalizeBreadcrumbs(input.breadcrumbs, drift, state);

  if (threads.length > 0) {
    event.threads = { values: threads };
  }

  if (breadcrumbs.length > 0) {
    event.breadcrumbs = { values: breadcrumbs };
  }

  assign(event, 'fingerprint', readFingerprint(input.fingerprint, state));
  assign(event, 'checksum', readString(input.checksum, 'checksum', state));
  assign(event, 'modules', readModules(input.modules, state));

  const debugMeta = readRecord(input.debug_meta, 'debug_meta', state);

  if (debugMeta !== undefined) {
    event.debug_meta = trimDatabagObject(debugMeta);
  }

  if (event.request?.env?.REMOTE_ADDR === AUTO_IP_ADDRESS) {
    const env = { ...event.request.env };
    delete env.REMOTE_ADDR;
    event.request.env =
      event.user?.ip_address === undefined ? env : { ...env, REMOTE_ADDR: event.user.ip_address };
  }

  for (const name of SECURITY_INTERFACES) {
    const report = readRecord(input[name], name, state);

    if (report !== undefined) {
      event.security = { ...event.security, [name]: trimDatabagObject(report) };
    }
  }
}
