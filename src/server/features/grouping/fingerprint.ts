import type { NormalizedEvent } from '../processing/event-types.js';

import { getBehaviorFamily } from './function-name.js';

export type FingerprintType = 'default' | 'hybrid' | 'custom';

const VARIABLE_PATTERN = /^\{\{\s*(\S+?)\s*\}\}$/;

/** Returns the variable name of a `{{ name }}` fingerprint entry, or undefined for a literal. */
export function parseFingerprintVariable(value: string): string | undefined {
  return VARIABLE_PATTERN.exec(value.trim())?.[1];
}

export function isDefaultVariable(value: string): boolean {
  return parseFingerprintVariable(value) === 'default';
}

/** `default` when only `{{ default }}`, `hybrid` when it is one part, else `custom`. */
export function getFingerprintType(fingerprint: string[]): FingerprintType {
  if (
    fingerprint.length === 1 &&
    fingerprint[0] !== undefined &&
    isDefaultVariable(fingerprint[0])
  ) {
    return 'default';
  }

  return fingerprint.some(isDefaultVariable) ? 'hybrid' : 'custom';
}

function resolveVariable(name: string, event: NormalizedEvent): string | undefined {
  const exception = event.exception?.values.at(-1);
  const frames = exception?.stacktrace?.frames ?? event.stacktrace?.frames ?? [];
  const crashFrame = frames.at(-1);

  switch (name) {
    case 'default':
      return undefined;
    case 'transaction':
      return event.transaction ?? '<no-transaction>';
    case 'message':
      return event.message?.formatted ?? exception?.value ?? '<no-message>';
    case 'type':
    case 'error.type':
      return exception?.type ?? '<no-type>';
    case 'value':
    case 'error.value':
      return exception?.value ?? '<no-value>';
    case 'function':
      return crashFrame?.function ?? '<no-function>';
    case 'module':
      return crashFrame?.module ?? '<no-module>';
    case 'package':
      return crashFrame?.package ?? '<no-package>';
    case 'level':
      return event.level;
    case 'logger':
      return event.logger ?? '<no-logger>';
  }

  if (name.startsWith('tags.')) {
    const key = name.slice('tags.'.length);
    return event.tags.find(([tag]) => tag === key)?.[1] ?? `<no-value-for-tag-${key}>`;
  }

  return undefined;
}

/**
 * Resolves `{{ transaction }}`, `{{ type }}`, `{{ tags.x }}` and the other fingerprint
 * variables against the event. `{{ default }}` and unknown variables stay as written, the latter
 * as Sentry's 2023-01-11 config does.
 */
export function resolveFingerprint(fingerprint: string[], event: NormalizedEvent): string[] {
  return fingerprint.map((value) => {
    const variable = parseFingerprintVariable(value);
    return variable === undefined ? value : (resolveVariable(variable, event) ?? value);
  });
}

export interface BuiltInFingerprint {
  fingerprint: string[];
  rule: string;
}

/**
 * Sentry's built-in fingerprinting rules for JavaScript (config `javascript@2024-02-02`):
 * every webpack chunk-load failure forms one issue. They apply only when the SDK sent no
 * fingerprint of its own.
 *
 * The config's React hydration-error rules (one issue per transaction) are not implemented.
 */
export function matchBuiltInFingerprint(event: NormalizedEvent): BuiltInFingerprint | undefined {
  if (getBehaviorFamily(event.platform) !== 'javascript') {
    return undefined;
  }

  const exceptions = event.exception?.values ?? [];

  if (exceptions.some((exception) => exception.type === 'ChunkLoadError')) {
    return {
      fingerprint: ['chunkloaderror'],
      rule: 'family:javascript error.type:"ChunkLoadError"',
    };
  }

  if (exceptions.some((exception) => exception.value?.startsWith('ChunkLoadError') === true)) {
    return {
      fingerprint: ['chunkloaderror'],
      rule: 'family:javascript error.value:"ChunkLoadError*"',
    };
  }

  return undefined;
}
