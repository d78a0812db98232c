import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';

import {
  applyPatternToChunks,
  type Chunk,
  countCharacters,
  joinChunks,
  redactionChunk,
  type Remark,
} from './chunks.js';
import { type CompiledPiiConfig, PASSWORD_VALUE_PATTERN } from './compile-config.js';
import {
  ANYTHING_PATTERN,
  REPLACE_VALUE,
  TOKEN_KEY_PATTERN,
  VALUE_PATTERNS,
  PASSWORD_KEY_PATTERN,
  type ValuePattern,
} from './pii-patterns.js';
import type { ResolvedRule } from './pii-rules.js';
import { childSpec, type FieldSpec, itemSpec } from './pii-schema.js';
import {
  matchesPath,
  type PathState,
  pathState,
  type PiiLevel,
  type ValueType,
} from './selector.js';
import { runWithTimeLimit, TimeLimitError } from './time-limit.js';

/**
 * Time in milliseconds that user patterns (advanced rules of type `pattern` and legacy
 * additional sensitive fields) may take per payload. Once it is spent, every later value that
 * such a rule applies to is redacted whole instead of searched, so that a slow pattern costs
 * data, never a stuck worker. The budget is checked between matches; a single slow match is
 * stopped by `CUSTOM_PAYLOAD_LIMIT_MS`.
 */
export const CUSTOM_PATTERN_BUDGET_MS = 50;

/** `_meta` of one value: its remarks and its length before scrubbing. */
export interface ValueMeta {
  rem: Remark[];
  len?: number;
}

/** The outcome of scrubbing: `_meta` in Relay's layout, and the dotted paths that changed. */
export interface ScrubReport {
  meta: Record<string, unknown>;
  changedPaths: string[];
  /** True when the user-pattern budget ran out and values were redacted whole. */
  budgetExceeded: boolean;
}

// Relay leaves these strings alone: they carry no data, and SDKs send them for empty values.
const NOT_SCRUBBED = new Set(['', 'true', 'false', 'null', 'undefined']);

const [BEARER_PATTERN] = VALUE_PATTERNS.bearer as [ValuePattern];

const TYPE_SETS: Record<string, ReadonlySet<ValueType>> = {};
function typeSet(type: ValueType): ReadonlySet<ValueType> {
  return (TYPE_SETS[type] ??= new Set([type]));
}
const NO_TYPES: ReadonlySet<ValueType> = new Set();

function typesOf(value: unknown, spec: FieldSpec): ReadonlySet<ValueType> {
  if (typeof value === 'string') {
    return typeSet('string');
  }
  if (typeof value === 'number') {
    return typeSet('number');
  }
  if (typeof value === 'boolean') {
    return typeSet('boolean');
  }
  if (Array.isArray(value)) {
    return typeSet('array');
  }
  if (typeof value === 'object' && value !== null) {
    return typeSet(spec.type ?? 'object');
  }
  return NO_TYPES;
}

type Outcome = { remove: true } | { remove: false; value: unknown };

const KEEP = (value: unknown): Outcome => ({ remove: false, value });
const REMOVE: Outcome = { remove: true };

/**
 * Scrubs a payload in place with a compiled PII config, following Relay's `PiiProcessor`.
 * Every value whose path matches a selector gets that selector's rules. Strings are redacted
 * piece by piece, and a container or number that a key-based rule or `@anything` matches is
 * removed. Removed object members are deleted (Relay writes `null`), removed pairs are dropped
 * from their list, and removed array items become `null`.
 */
export function scrubPayload(
  root: Record<string, unknown>,
  spec: FieldSpec,
  config: CompiledPiiConfig,
): ScrubReport {
  if (!hasCustomPatterns(config)) {
    return runScrubber(root, spec, config, false);
  }
  try {
    return runWithTimeLimit(() => runScrubber(root, spec, config, false), CUSTOM_PAYLOAD_LIMIT_MS);
  } catch (error) {
    if (!(error instanceof TimeLimitError)) {
      throw error;
    }
    // A user pattern ran away inside one match. The payload may be partly scrubbed; scrub it
    // again with every user pattern redacting its values whole, which runs no user regex.
    return runScrubber(root, spec, config, true);
  }
}

/**
 * Time in milliseconds after which a payload's scrubbing with user patterns is stopped, even
 * inside one regex match, and redone with those patterns redacting whole values. The default
 * rules take well under a millisecond per event.
 */
export const CUSTOM_PAYLOAD_LIMIT_MS = 250;

const customPatternConfigs = new WeakMap<CompiledPiiConfig, boolean>();

/** Returns whether a compiled config contains a user pattern (a matcher of kind `pattern` marked custom). */
function hasCustomPatterns(config: CompiledPiiConfig): boolean {
  let found = customPatternConfigs.get(config);
  if (found === undefined) {
    found = containsCustomMatcher(config, new Set());
    customPatternConfigs.set(config, found);
  }
  return found;
}

function containsCustomMatcher(value: unknown, seen: Set<object>): boolean {
  if (typeof value !== 'object' || value === null || value instanceof RegExp || seen.has(value)) {
    return false;
  }
  seen.add(value);
  const record = value as Record<string, unknown>;
  if (record.kind === 'pattern' && record.custom === true) {
    return true;
  }
  return Object.values(record).some((child) => containsCustomMatcher(child, seen));
}

function runScrubber(
  root: Record<string, unknown>,
  spec: FieldSpec,
  config: CompiledPiiConfig,
  userPatternsExhausted: boolean,
): ScrubReport {
  const scrubber = new Scrubber(config);
  if (userPatternsExhausted) {
    scrubber.budgetSpent = CUSTOM_PATTERN_BUDGET_MS;
  }
  scrubber.processObject(root, spec, [], []);
  return {
    meta: scrubber.meta,
    changedPaths: scrubber.changedPaths,
    budgetExceeded: scrubber.budgetSpent >= CUSTOM_PATTERN_BUDGET_MS,
  };
}

class Scrubber {
  readonly meta: Record<string, unknown> = {};
  readonly changedPaths: string[] = [];
  budgetSpent = 0;
  readonly #config: CompiledPiiConfig;

  constructor(config: CompiledPiiConfig) {
    this.#config = config;
  }

  processObject(
    object: Record<string, unknown>,
    spec: FieldSpec,
    path: PathState[],
    metaPath: string[],
  ): void {
    if (spec.attributes === true) {
      this.#processAttributes(object, path, metaPath);
      return;
    }

    for (const key of Object.keys(object)) {
      const value = object[key];
      const fieldSpec = childSpec(spec, key);
      const selectorKey = fieldSpec.selectorKey ?? key;
      const ruleKey =
        fieldSpec.keyFromSibling === undefined
          ? key
          : (lastSegment(object[fieldSpec.keyFromSibling]) ?? key);
      const state = pathState(selectorKey, undefined, typesOf(value, fieldSpec));
      const outcome = this.processValue(
        value,
        fieldSpec,
        [...path, state],
        [...metaPath, key],
        ruleKey,
      );
      if (outcome.remove) {
        Reflect.deleteProperty(object, key);
      } else if (outcome.value !== value) {
        object[key] = outcome.value;
      }
    }

    if (spec.type === 'user') {
      moveHashedIpToId(object);
    }
  }

  /** Scrubs `{name: {type, value}}` attributes, matching each value under its name. */
  #processAttributes(object: Record<string, unknown>, path: PathState[], metaPath: string[]): void {
    const spec: FieldSpec = { pii: 'true' };
    for (const [name, attribute] of Object.entries(object)) {
      if (!isRecord(attribute) || !('value' in attribute)) {
        continue;
      }
      const value = attribute.value;
      const attributePath = [
        ...path,
        pathState(name, undefined, typeSet('object')),
        pathState('value', undefined, typesOf(value, spec)),
      ];
      const outcome = this.processValue(
        value,
        spec,
        attributePath,
        [...metaPath, name, 'value'],
        name,
      );
      if (outcome.remove) {
        Reflect.deleteProperty(object, name);
      } else {
        attribute.value = outcome.value;
      }
    }
  }

  processValue(
    value: unknown,
    spec: FieldSpec,
    path: PathState[],
    metaPath: string[],
    key: string | undefined,
  ): Outcome {
    if (value === null || value === undefined || typeof value === 'boolean') {
      return KEEP(value);
    }
    if (typeof value === 'string') {
      return NOT_SCRUBBED.has(value)
        ? KEEP(value)
        : this.#applyRules(value, spec.pii, path, metaPath, key);
    }
    if (this.#applyRules(undefined, spec.pii, path, metaPath, key).remove) {
      return REMOVE;
    }
    if (Array.isArray(value)) {
      this.#processArray(value, spec, path, metaPath);
    } else if (isRecord(value)) {
      this.processObject(value, spec, path, metaPath);
    }
    return KEEP(value);
  }

  #processArray(array: unknown[], spec: FieldSpec, path: PathState[], metaPath: string[]): void {
    const inner = itemSpec(spec);

    if (spec.pairs === true) {
      this.#processPairList(array, spec, path, metaPath);
      return;
    }

    // A two-item array with a string first is treated as a key and its value, as Relay does.
    // When that changes nothing, the items are scrubbed one by one.
    if (array.length === 2 && typeof array[0] === 'string' && array[1] !== null) {
      const before = this.changedPaths.length;
      const state = pathState(array[0], undefined, typesOf(array[1], inner));
      const outcome = this.processValue(
        array[1],
        inner,
        [...path, state],
        [...metaPath, '1'],
        array[0],
      );
      array[1] = outcome.remove ? null : outcome.value;
      if (this.changedPaths.length > before) {
        return;
      }
    }

    array.forEach((item, index) => {
      const state = pathState(undefined, index, typesOf(item, inner));
      const outcome = this.processValue(
        item,
        inner,
        [...path, state],
        [...metaPath, String(index)],
        undefined,
      );
      array[index] = outcome.remove ? null : outcome.value;
    });
  }

  #processPairList(array: unknown[], spec: FieldSpec, path: PathState[], metaPath: string[]): void {
    const valueSpec: FieldSpec = { pii: spec.pii };
    const removed = new Set<number>();
    array.forEach((entry, index) => {
      if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') {
        return;
      }
      const [name, value] = entry as [string, unknown];
      const state = pathState(name, undefined, typesOf(value, valueSpec));
      const outcome = this.processValue(
        value,
        valueSpec,
        [...path, state],
        [...metaPath, String(index), '1'],
        name,
      );
      if (outcome.remove) {
        removed.add(index);
      } else {
        entry[1] = outcome.value;
      }
    });
    if (removed.size > 0) {
      const kept = array.filter((_, index) => !removed.has(index));
      array.splice(0, array.length, ...kept);
    }
  }

  #applyRules(
    value: string | undefined,
    pii: PiiLevel,
    path: PathState[],
    metaPath: string[],
    key: string | undefined,
  ): Outcome {
    let chunks: Chunk[] | undefined =
      value === undefined ? undefined : [{ kind: 'text', text: value }];

    for (const application of this.#config.applications) {
      if (!matchesPath(application.selector, path, pii)) {
        continue;
      }
      for (const rule of application.rules) {
        const result = this.#applyRule(rule, key, chunks);
        if (result === 'remove') {
          this.#recordRemoval(value, chunks, rule, metaPath);
          return REMOVE;
        }
        chunks = result;
      }
    }

    if (
      value === undefined ||
      chunks === undefined ||
      chunks.every((chunk) => chunk.kind === 'text')
    ) {
      return KEEP(value);
    }
    const joined = joinChunks(chunks);
    this.#recordMeta(metaPath, { rem: joined.remarks, len: countCharacters(value) });
    return KEEP(joined.text);
  }

  #recordRemoval(
    value: string | undefined,
    chunks: Chunk[] | undefined,
    rule: ResolvedRule,
    metaPath: string[],
  ): void {
    const changed = chunks !== undefined && chunks.some((chunk) => chunk.kind === 'redaction');
    const remarks: Remark[] = changed ? joinChunks(chunks).remarks : [];
    remarks.push([rule.origin, 'x']);
    this.#recordMeta(
      metaPath,
      changed && value !== undefined
        ? { rem: remarks, len: countCharacters(value) }
        : { rem: remarks },
    );
  }

  #recordMeta(metaPath: string[], meta: ValueMeta): void {
    this.changedPaths.push(metaPath.join('.'));
    let node = this.meta;
    for (const segment of metaPath) {
      const next = Object.hasOwn(node, segment) ? node[segment] : undefined;
      if (isRecord(next)) {
        node = next;
      } else {
        const created: Record<string, unknown> = {};
        node[segment] = created;
        node = created;
      }
    }
    node[''] = meta;
  }

  /** Returns the new chunks, or `remove` when the value must go. */
  #applyRule(
    rule: ResolvedRule,
    key: string | undefined,
    chunks: Chunk[] | undefined,
  ): Chunk[] | 'remove' | undefined {
    const redactsPieces = rule.redaction.method !== 'default' && rule.redaction.method !== 'remove';
    const matcher = rule.matcher;

    if (matcher.kind === 'anything') {
      if (chunks === undefined || !redactsPieces) {
        return 'remove';
      }
      return applyPatternToChunks(chunks, ANYTHING_PATTERN, rule.origin, rule.redaction);
    }

    const keyText = key ?? '';
    switch (matcher.kind) {
      case 'password': {
        let result = this.#applyPattern(chunks, BEARER_PATTERN, rule, false);
        if (TOKEN_KEY_PATTERN.test(keyText)) {
          return redactWhole(result, rule, redactsPieces);
        }
        if (PASSWORD_KEY_PATTERN.test(keyText)) {
          return redactWhole(result, rule, redactsPieces);
        }
        result = this.#applyPattern(result, PASSWORD_VALUE_PATTERN, rule, false);
        return result;
      }
      case 'redact_pair': {
        if (this.#timed(() => keyText.search(matcher.keyPattern) >= 0)) {
          return redactWhole(chunks, rule, redactsPieces);
        }
        return this.#applyPattern(
          chunks,
          { regex: matcher.keyPattern, replace: REPLACE_VALUE },
          rule,
          true,
        );
      }
      case 'builtin': {
        let result = chunks;
        for (const pattern of VALUE_PATTERNS[matcher.type]) {
          result = this.#applyPattern(result, pattern, rule, false);
        }
        return result;
      }
      case 'pattern':
        return this.#applyPattern(chunks, matcher.pattern, rule, matcher.custom);
    }
  }

  #applyPattern(
    chunks: Chunk[] | undefined,
    pattern: ValuePattern,
    rule: ResolvedRule,
    custom: boolean,
  ): Chunk[] | undefined {
    if (chunks === undefined) {
      return undefined;
    }
    if (!custom) {
      return applyPatternToChunks(chunks, pattern, rule.origin, rule.redaction);
    }
    if (this.budgetSpent >= CUSTOM_PATTERN_BUDGET_MS) {
      return applyPatternToChunks(chunks, ANYTHING_PATTERN, rule.origin, rule.redaction);
    }
    return this.#timed(() => applyPatternToChunks(chunks, pattern, rule.origin, rule.redaction));
  }

  #timed<T>(run: () => T): T {
    const started = performance.now();
    try {
      return run();
    } finally {
      this.budgetSpent += performance.now() - started;
    }
  }
}

/** Redacts the whole value for a key match; a container or number is removed. */
function redactWhole(
  chunks: Chunk[] | undefined,
  rule: ResolvedRule,
  redactsPieces: boolean,
): Chunk[] | 'remove' {
  if (chunks === undefined || !redactsPieces) {
    return 'remove';
  }
  const text = joinChunks(chunks).text;
  return [redactionChunk(rule.origin, rule.redaction, text)];
}

function lastSegment(value: unknown): string | undefined {
  return typeof value === 'string' ? value.split('.').at(-1) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * When a rule turned a valid IP address into something else (a hash) and the user has no id,
 * user name or e-mail, the value moves to `user.id`, so that users stay countable.
 */
function moveHashedIpToId(user: Record<string, unknown>): void {
  const ip = user.ip_address;
  if (typeof ip !== 'string' || isIP(ip) !== 0 || user.id !== undefined) {
    return;
  }
  if (user.username !== undefined || user.email !== undefined) {
    return;
  }
  if (/^[0-9A-F]{64}$/.test(ip)) {
    user.id = ip;
    delete user.ip_address;
  }
}
