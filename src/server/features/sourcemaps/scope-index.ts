/**
 * Function scopes of a minified JavaScript file, found with acorn, for naming stack frames the
 * way Sentry's symbolic crate does (`js-source-scopes`). A frame gets the innermost function,
 * method, arrow or class around its position. A scope is named after its own identifier, or
 * else after the variable, property, assignment target or class that it is bound to.
 */
import { createRequire } from 'node:module';

import type * as Acorn from 'acorn';

import {
  type AstNode,
  CLASS_TYPES,
  FUNCTION_TYPES,
  inferName,
  isMethod,
  isNode,
  type NameComponent,
  ownName,
} from './scope-names.js';

export type { NameComponent } from './scope-names.js';

// acorn is loaded with the first source to parse, so that a thread which imports this module
// (the main thread does, through the upload routes) but never names a frame does not hold it.
const requireModule = createRequire(import.meta.url);
let acorn: typeof Acorn | undefined;

function parse(source: string, options: Acorn.Options): Acorn.Program {
  acorn ??= requireModule('acorn') as typeof Acorn;
  return acorn.parse(source, options);
}

export interface Scope {
  start: number;
  end: number;
  /** Undefined for a function whose name cannot be inferred from the code around it. */
  name: NameComponent[] | undefined;
}

/** The scopes of one minified file, built once and reused for every frame in it. */
export interface ScopeIndex {
  /** False when acorn could not parse the source; lookups then find no scope. */
  parsed: boolean;
  /** Offsets where each line of the minified source starts. */
  lineStarts: number[];
  scopes: Scope[];
  /** Offsets where the innermost scope changes, ascending. */
  boundaries: Int32Array;
  /** Index into `scopes` of the innermost scope from each boundary on, or -1 for none. */
  scopeAt: Int32Array;
}

/**
 * Parses a minified source and indexes its function scopes. The source is tried as a module,
 * then as a script; when neither parses, the index has no scopes and `parsed` is false.
 */
export function buildScopeIndex(source: string): ScopeIndex {
  const lineStarts = findLineStarts(source);
  const program = parseLoosely(source);
  const scopes = program === undefined ? [] : collectScopes(program);
  const { boundaries, scopeAt } = indexBoundaries(scopes);

  return { parsed: program !== undefined, lineStarts, scopes, boundaries, scopeAt };
}

function parseLoosely(source: string): AstNode | undefined {
  for (const sourceType of ['module', 'script'] as const) {
    try {
      return parse(source, {
        ecmaVersion: 'latest',
        sourceType,
        allowHashBang: true,
        allowReturnOutsideFunction: true,
        allowImportExportEverywhere: true,
        allowAwaitOutsideFunction: true,
        allowReserved: true,
      }) as unknown as AstNode;
    } catch (error) {
      // A syntax error means the other source type may parse; a RangeError from a very deeply
      // nested source means neither will.
      if (!(error instanceof SyntaxError)) {
        return undefined;
      }
    }
  }

  return undefined;
}

/** Offsets where lines start, splitting at the ECMAScript line terminators. */
function findLineStarts(source: string): number[] {
  const starts = [0];
  const pattern = /\r\n|[\n\r\u2028\u2029]/g;
  for (let match = pattern.exec(source); match !== null; match = pattern.exec(source)) {
    starts.push(match.index + match[0].length);
  }
  return starts;
}

/**
 * Converts a 0-based line and column into an offset, or -1 when the line does not exist. A
 * column past the end of its line is taken as the line's last character.
 */
export function positionToOffset(index: ScopeIndex, line: number, column: number): number {
  const start = index.lineStarts[line];
  if (start === undefined) {
    return -1;
  }

  const next = index.lineStarts[line + 1];
  return next === undefined ? start + column : Math.min(start + column, Math.max(next - 1, start));
}

/** Converts an offset into a 0-based line and column. */
export function offsetToPosition(
  index: ScopeIndex,
  offset: number,
): { line: number; column: number } {
  let low = 0;
  let high = index.lineStarts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((index.lineStarts[middle] ?? 0) <= offset) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }

  const line = Math.max(low - 1, 0);
  return { line, column: offset - (index.lineStarts[line] ?? 0) };
}

/** Returns the innermost scope at an offset, or undefined outside every function and class. */
export function findScope(index: ScopeIndex, offset: number): Scope | undefined {
  let low = 0;
  let high = index.boundaries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((index.boundaries[middle] ?? 0) <= offset) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }

  const scopeId = low === 0 ? -1 : (index.scopeAt[low - 1] ?? -1);
  return scopeId === -1 ? undefined : index.scopes[scopeId];
}

/**
 * Walks the tree depth-first with an explicit stack, so that deep nesting cannot overflow the
 * call stack, and keeps the path of ancestors for name inference.
 */
function collectScopes(program: AstNode): Scope[] {
  const scopes: Scope[] = [];
  const path: AstNode[] = [];
  const stack: { node: AstNode; depth: number }[] = [{ node: program, depth: 0 }];

  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const { node, depth } = entry;
    path.length = depth;

    const scope = scopeOf(node, path);
    if (scope !== undefined) {
      scopes.push(scope);
    }

    path.push(node);
    for (const [key, value] of Object.entries(node)) {
      if (key === 'type' || key === 'start' || key === 'end') {
        continue;
      }
      if (Array.isArray(value)) {
        for (const child of value) {
          if (isNode(child)) {
            stack.push({ node: child, depth: depth + 1 });
          }
        }
      } else if (isNode(value)) {
        stack.push({ node: value, depth: depth + 1 });
      }
    }
  }

  return scopes;
}

/** Returns the scope a node opens, with `ancestors` ordered from the root down to its parent. */
function scopeOf(node: AstNode, ancestors: AstNode[]): Scope | undefined {
  const parent = ancestors.at(-1);

  if (CLASS_TYPES.has(node.type)) {
    const name = ownName(node) ?? inferName(node, ancestors);
    return {
      start: node.start,
      end: node.end,
      name: name === undefined ? undefined : [{ text: 'new ' }, ...name],
    };
  }

  if (!FUNCTION_TYPES.has(node.type)) {
    return undefined;
  }

  if (parent !== undefined && isMethod(parent, node)) {
    // A class constructor runs as part of the class, which is already a scope named `new X`.
    if (parent.kind === 'constructor') {
      return undefined;
    }
    return { start: parent.start, end: parent.end, name: inferName(node, ancestors) };
  }

  return { start: node.start, end: node.end, name: ownName(node) ?? inferName(node, ancestors) };
}

/**
 * Turns nested scope ranges into a sorted list of the offsets where the innermost scope
 * changes. Scopes come from a syntax tree, so any two are nested or disjoint.
 */
function indexBoundaries(scopes: Scope[]): { boundaries: Int32Array; scopeAt: Int32Array } {
  const order = scopes.map((_scope, index) => index);
  order.sort((left, right) => {
    const a = scopes[left];
    const b = scopes[right];
    return a === undefined || b === undefined ? 0 : a.start - b.start || b.end - a.end;
  });

  const offsets: number[] = [];
  const ids: number[] = [];
  const emit = (offset: number, id: number): void => {
    if (offsets.at(-1) === offset) {
      ids[ids.length - 1] = id;
    } else {
      offsets.push(offset);
      ids.push(id);
    }
  };

  const open: number[] = [];
  const closeUntil = (offset: number): void => {
    for (let top = open.at(-1); top !== undefined; top = open.at(-1)) {
      const end = scopes[top]?.end ?? 0;
      if (end > offset) {
        return;
      }
      open.pop();
      emit(end, open.at(-1) ?? -1);
    }
  };

  for (const id of order) {
    const scope = scopes[id];
    if (scope === undefined) {
      continue;
    }
    closeUntil(scope.start);
    emit(scope.start, id);
    open.push(id);
  }
  closeUntil(Number.POSITIVE_INFINITY);

  return { boundaries: Int32Array.from(offsets), scopeAt: Int32Array.from(ids) };
}
