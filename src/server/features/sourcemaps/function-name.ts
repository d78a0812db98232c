/**
 * Original function names for frames, as Sentry's symbolic finds them. The name is that of the
 * enclosing scope in the minified source, with each identifier mapped through the source map to
 * its original name. React Native maps use the function map of the original source instead.
 */
import { findFunctionName } from './function-map.js';
import {
  findSegment,
  NAME_INDEX,
  ORIGINAL_COLUMN,
  ORIGINAL_LINE,
  SEGMENT_FIELDS,
  SOURCE_INDEX,
} from './mappings.js';
import {
  buildScopeIndex,
  findScope,
  type NameComponent,
  offsetToPosition,
  positionToOffset,
  type ScopeIndex,
} from './scope-index.js';
import type { ParsedSourceMap } from './source-map.js';

export { buildScopeIndex, type ScopeIndex } from './scope-index.js';

/**
 * The scope around a generated position: `named` with the original name, `anonymous` for a
 * function whose name cannot be inferred, `unknown` outside every function (top-level code) or
 * when the minified source is missing or could not be parsed.
 */
export type ScopeLookup =
  { kind: 'named'; name: string } | { kind: 'anonymous' } | { kind: 'unknown' };

/**
 * Minified files longer than this are not parsed for scopes: parsing costs about a second per
 * MB, and a map that falls out of the artifact cache would pay it again in every batch. Their
 * frames take the name the map records at the position instead.
 */
export const MAX_SCOPE_SOURCE_CHARS = 8 * 1024 * 1024;

/** The scope index last built for each map, so repeated lookups parse the source once. */
const scopeIndexCache = new WeakMap<ParsedSourceMap, { source: string; index: ScopeIndex }>();

function scopeIndexFor(map: ParsedSourceMap, minified: string | ScopeIndex): ScopeIndex {
  if (typeof minified !== 'string') {
    return minified;
  }

  const cached = scopeIndexCache.get(map);
  if (cached?.source === minified) {
    return cached.index;
  }

  const index = buildScopeIndex(minified);
  scopeIndexCache.set(map, { source: minified, index });
  return index;
}

/** Returns the name recorded by the segment at or before a 0-based position, if any. */
function nameAt(map: ParsedSourceMap, line: number, column: number): string | undefined {
  const index = findSegment(map.mappings, line, column, 'greatest-lower-bound');
  const nameIndex =
    index === -1 ? -1 : (map.mappings.segments[index * SEGMENT_FIELDS + NAME_INDEX] ?? -1);
  return nameIndex === -1 ? undefined : map.names[nameIndex];
}

function resolveName(map: ParsedSourceMap, index: ScopeIndex, name: NameComponent[]): string {
  return name
    .map((component) => {
      if (component.offset === undefined) {
        return component.text;
      }
      const position = offsetToPosition(index, component.offset);
      return nameAt(map, position.line, position.column) ?? component.text;
    })
    .join('');
}

/** Looks up the enclosing function in React Native's function map of the original source. */
function lookupFunctionMapScope(map: ParsedSourceMap, line: number, column: number): ScopeLookup {
  const segment = findSegment(map.mappings, line, column, 'greatest-lower-bound');
  if (segment === -1) {
    return { kind: 'unknown' };
  }

  const at = segment * SEGMENT_FIELDS;
  const segments = map.mappings.segments;
  const functionMap = map.functionMaps?.[segments[at + SOURCE_INDEX] ?? -1];
  const name =
    functionMap === undefined
      ? undefined
      : findFunctionName(
          functionMap,
          (segments[at + ORIGINAL_LINE] ?? 0) + 1,
          segments[at + ORIGINAL_COLUMN] ?? 0,
        );
  return name === undefined ? { kind: 'unknown' } : { kind: 'named', name };
}

/**
 * Finds the scope enclosing a generated position (1-based line and column) and its original
 * name. Maps with React Native function maps use those and ignore the minified source, as
 * Hermes bundles are bytecode. `minified` is the minified file's text, or a `ScopeIndex` that
 * the caller built with `buildScopeIndex` and keeps per artifact. For text, the index of the
 * last text seen with this map is cached.
 */
export function lookupFunctionScope(
  map: ParsedSourceMap,
  minified: string | ScopeIndex | undefined,
  line: number,
  column: number,
): ScopeLookup {
  const line0 = line - 1;
  const column0 = Math.max(column - 1, 0);

  if (map.functionMaps !== undefined) {
    return lookupFunctionMapScope(map, line0, column0);
  }
  if (
    minified === undefined ||
    (typeof minified === 'string' && minified.length > MAX_SCOPE_SOURCE_CHARS)
  ) {
    return { kind: 'unknown' };
  }

  const index = scopeIndexFor(map, minified);
  const offset = positionToOffset(index, line0, column0);
  const scope = offset === -1 ? undefined : findScope(index, offset);
  if (scope === undefined) {
    return { kind: 'unknown' };
  }

  const name = scope.name === undefined ? '' : resolveName(map, index, scope.name);
  return name === '' ? { kind: 'anonymous' } : { kind: 'named', name };
}

/**
 * Returns the original name of the function enclosing a generated position (1-based line and
 * column): the enclosing scope's name from `lookupFunctionScope`, or, for an anonymous or
 * unknown scope, the original name the map records at the position. Undefined when neither
 * gives a name.
 */
export function originalFunctionName(
  map: ParsedSourceMap,
  minifiedSource: string | ScopeIndex | undefined,
  line: number,
  column: number,
): string | undefined {
  const scope = lookupFunctionScope(map, minifiedSource, line, column);
  if (scope.kind === 'named') {
    return scope.name;
  }

  return line >= 1 ? nameAt(map, line - 1, Math.max(column - 1, 0)) : undefined;
}
