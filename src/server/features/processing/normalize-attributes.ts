/** Normalizers for the smaller event attributes: release, environment, contexts, sdk, fingerprint and modules. */

import type { Context, SdkInfo } from './event-types.js';
import { trimDatabagObject } from './normalize-databag.js';
import { assign } from './normalize-stacktrace.js';
import { inferUserAgentContexts } from './normalize-user-agent.js';
import {
  MAX_CHARS,
  type NormalizeState,
  isRecord,
  readRecord,
  readString,
  readStringList,
  setOwnProperty,
} from './normalize-values.js';

const RELEASE_FORBIDDEN = /[\n\r\t/\\]/;

/** Relay rejects releases that are empty, too long, contain separators or are reserved words. */
export function validateRelease(
  release: string | undefined,
  state: NormalizeState,
): string | undefined {
  const trimmed = release?.trim();

  if (trimmed === undefined) {
    return undefined;
  }

  const isReserved =
    trimmed === '' || trimmed === '.' || trimmed === '..' || trimmed.toLowerCase() === 'latest';

  if (isReserved || trimmed.length > MAX_CHARS.tagValue || RELEASE_FORBIDDEN.test(trimmed)) {
    state.invalid('release', release);
    return undefined;
  }

  return trimmed;
}

export function validateEnvironment(
  environment: string | undefined,
  state: NormalizeState,
): string | undefined {
  const trimmed = environment?.trim();

  if (trimmed === undefined || trimmed === '') {
    return undefined;
  }

  if (trimmed.length > MAX_CHARS.environment || /[\n\r/]/.test(trimmed)) {
    state.invalid('environment', environment);
    return undefined;
  }

  return trimmed;
}

export function normalizeContexts(
  raw: unknown,
  userAgent: string | undefined,
  state: NormalizeState,
): Record<string, Context> {
  const contexts: Record<string, Context> = {};
  const record = readRecord(raw, 'contexts', state) ?? {};

  for (const [key, value] of Object.entries(record)) {
    if (key === 'reprocessing' || value === null || value === undefined) {
      continue;
    }

    if (!isRecord(value)) {
      state.invalid(`contexts.${key}`, value);
      continue;
    }

    const copy = trimDatabagObject(value);
    const type = typeof copy.type === 'string' && copy.type !== '' ? copy.type : key;
    setOwnProperty(contexts, key, { ...copy, type });
  }

  if (userAgent !== undefined) {
    for (const [key, inferred] of Object.entries(inferUserAgentContexts(userAgent))) {
      contexts[key] ??= inferred;
    }
  }

  return contexts;
}

export function normalizeSdk(
  raw: unknown,
  client: string | undefined,
  state: NormalizeState,
): SdkInfo | undefined {
  const record = readRecord(raw, 'sdk', state);
  const name = readString(record?.name, 'sdk.name', state);
  const version = readString(record?.version, 'sdk.version', state, { lenient: true });

  if (record === undefined || name === undefined || version === undefined) {
    return sdkFromClient(client);
  }

  const sdk: SdkInfo = { name, version };
  assign(sdk, 'integrations', readStringList(record.integrations, 'sdk.integrations', state));

  if (Array.isArray(record.packages)) {
    sdk.packages = record.packages.flatMap((entry: unknown) =>
      isRecord(entry) && typeof entry.name === 'string' && typeof entry.version === 'string'
        ? [{ name: entry.name, version: entry.version }]
        : [],
    );
  }

  const settings = readRecord(record.settings, 'sdk.settings', state);

  if (settings !== undefined) {
    sdk.settings = trimDatabagObject(settings);
  }

  return sdk;
}

function sdkFromClient(client: string | undefined): SdkInfo | undefined {
  const slash = client?.indexOf('/') ?? -1;

  if (client === undefined || slash <= 0 || slash === client.length - 1) {
    return undefined;
  }

  return { name: client.slice(0, slash), version: client.slice(slash + 1) };
}

/** Fingerprint entries may be strings, numbers or booleans; all become strings. */
export function readFingerprint(value: unknown, state: NormalizeState): string[] | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }

  if (!Array.isArray(value)) {
    state.invalid('fingerprint', value);
    return undefined;
  }

  const entries = value.map((entry: unknown, index): string | undefined => {
    if (typeof entry === 'string') {
      return entry;
    }

    if ((typeof entry === 'number' && Number.isFinite(entry)) || typeof entry === 'boolean') {
      return String(entry);
    }

    state.invalid(`fingerprint.${index}`, entry);
    return undefined;
  });

  const fingerprint = entries.filter((entry): entry is string => entry !== undefined);
  return fingerprint.length > 0 ? fingerprint : undefined;
}

export function readModules(
  value: unknown,
  state: NormalizeState,
): Record<string, string> | undefined {
  const record = readRecord(value, 'modules', state);

  if (record === undefined) {
    return undefined;
  }

  const modules: Record<string, string> = {};

  for (const [name, version] of Object.entries(record)) {
    const text = readString(version, `modules.${name}`, state, { lenient: true, keepEmpty: true });

    if (text !== undefined) {
      setOwnProperty(modules, name, text);
    }
  }

  return modules;
}
