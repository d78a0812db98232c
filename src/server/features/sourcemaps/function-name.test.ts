import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';

import {
  buildScopeIndex,
  lookupFunctionScope,
  originalFunctionName,
  parseSourceMap,
} from './source-map.js';
import { MAX_SCOPE_SOURCE_CHARS } from './function-name.js';

const ORIGINAL = `
export function outerFunction(value) {
  const handler = function () { throw new Error(value); };
  return handler;
}
class Widget {
  constructor() { this.size = 1; }
  render() { return [1].map((item) => item.missing.value); }
  static create() { return new Widget(); }
}
export const helpers = { formatLabel(text) { return text.trim(); } };
export { Widget };
`;

// esbuild minifies the source into one line and renames every local, so each name below
// can only come back through the map.
const MINIFIED = transformSync(ORIGINAL, {
  minify: true,
  sourcemap: 'external',
  sourcefile: 'widget.js',
  format: 'esm',
});
const MAP = parseSourceMap(MINIFIED.map);

/** 1-based line and column of the first occurrence of `text` in the minified code. */
function positionOf(text: string, after = 0): [number, number] {
  const offset = MINIFIED.code.indexOf(text, after);
  expect(offset).toBeGreaterThanOrEqual(0);
  return [1, offset + 1];
}

describe('lookupFunctionScope', () => {
  it.each([
    ['a function declaration', 'return function', 'outerFunction'],
    ['a class constructor', 'this.size', 'new Widget'],
    ['a class method', 'return[1]', 'Widget.render'],
    ['a static method', 'return new', 'Widget.create'],
    ['an object-literal method', '.trim()', 'helpers.formatLabel'],
  ])('names %s after the original identifiers', (_name, marker, expected) => {
    const [line, column] = positionOf(marker);

    expect(lookupFunctionScope(MAP, MINIFIED.code, line, column)).toEqual({
      kind: 'named',
      name: expected,
    });
  });

  it('reports an anonymous function expression', () => {
    const [line, column] = positionOf('throw new Error');

    expect(lookupFunctionScope(MAP, MINIFIED.code, line, column)).toEqual({ kind: 'anonymous' });
  });

  it('reports an arrow passed as an argument as anonymous', () => {
    const [line, column] = positionOf('.missing');

    expect(lookupFunctionScope(MAP, MINIFIED.code, line, column)).toEqual({ kind: 'anonymous' });
  });

  it('reports top-level code as unknown', () => {
    const [line, column] = positionOf('export{');

    expect(lookupFunctionScope(MAP, MINIFIED.code, line, column)).toEqual({ kind: 'unknown' });
  });

  it('reports unknown without the minified source', () => {
    const [line, column] = positionOf('this.size');

    expect(lookupFunctionScope(MAP, undefined, line, column)).toEqual({ kind: 'unknown' });
  });

  it('accepts a scope index built once by the caller', () => {
    const index = buildScopeIndex(MINIFIED.code);
    const [line, column] = positionOf('.trim()');

    expect(index.parsed).toBe(true);
    expect(lookupFunctionScope(MAP, index, line, column)).toEqual({
      kind: 'named',
      name: 'helpers.formatLabel',
    });
  });

  it('keeps a column past the line end on its line', () => {
    const index = buildScopeIndex('function first() {\n}\nfunction second() {}');
    const empty = parseSourceMap(JSON.stringify({ version: 3, sources: [], mappings: '' }));

    expect(lookupFunctionScope(empty, index, 1, 200)).toEqual({ kind: 'named', name: 'first' });
  });

  it('does not parse a minified source past the size cap', () => {
    const [line, column] = positionOf('this.size');
    const padded = `${MINIFIED.code}\n//${' '.repeat(MAX_SCOPE_SOURCE_CHARS)}`;

    expect(lookupFunctionScope(MAP, padded, line, column)).toEqual({ kind: 'unknown' });
    expect(lookupFunctionScope(MAP, MINIFIED.code, line, column)).toEqual({
      kind: 'named',
      name: 'new Widget',
    });
  });

  it('finds no scope in a source that does not parse', () => {
    const index = buildScopeIndex('function broken( {');

    expect(index.parsed).toBe(false);
    expect(lookupFunctionScope(MAP, index, 1, 12)).toEqual({ kind: 'unknown' });
  });
});

describe('originalFunctionName', () => {
  it('returns the enclosing scope name', () => {
    const [line, column] = positionOf('return[1]');

    expect(originalFunctionName(MAP, MINIFIED.code, line, column)).toBe('Widget.render');
  });

  it('falls back to the name at the position inside an anonymous function', () => {
    const [line, column] = positionOf('r)}}', MINIFIED.code.indexOf('Error('));

    expect(originalFunctionName(MAP, MINIFIED.code, line, column)).toBe('value');
  });

  it('returns undefined when neither scope nor position has a name', () => {
    const [line, column] = positionOf('export{');

    expect(originalFunctionName(MAP, MINIFIED.code, line, column)).toBeUndefined();
  });
});

describe('buildScopeIndex name inference', () => {
  const source = [
    'var assigned; assigned = function () {};',
    'obj.nested.member = () => {};',
    'this.onReady = function () {};',
    'const literal = { key: function () {}, inner: { deep: () => {} } };',
    'class Fields { handler = () => {}; #hidden() {} }',
    'const Anonymous = class { run() {} };',
    'wrap(function () {});',
  ].join('\n');
  const index = buildScopeIndex(source);
  const names = index.scopes.map((scope) =>
    scope.name === undefined ? null : scope.name.map((part) => part.text).join(''),
  );

  it.each([
    ['an assignment to a variable', 'assigned'],
    ['an assignment to a member chain', 'obj.nested.member'],
    ['an assignment to this', 'this.onReady'],
    ['an object-literal property', 'literal.key'],
    ['a nested object-literal property', 'literal.inner.deep'],
    ['a class field', 'Fields.handler'],
    ['a private method', 'Fields.#hidden'],
    ['a class bound to a variable', 'new Anonymous'],
    ['a method of that class', 'Anonymous.run'],
  ])('infers %s', (_name, expected) => {
    expect(names).toContain(expected);
  });

  it('leaves a callback argument without a name', () => {
    const callback = index.scopes.find(
      (scope) => scope.start === source.indexOf('function () {});', source.lastIndexOf('wrap(')),
    );

    expect(callback?.name).toBeUndefined();
  });

  it('leaves a very long member chain without a name', () => {
    // Building such a name took time quadratic in the chain length, and the frame would carry it.
    const chain = `root${'.member'.repeat(5_000)} = function () {};`;
    const [scope] = buildScopeIndex(chain).scopes;

    expect(scope).toBeDefined();
    expect(scope?.name).toBeUndefined();
  });
});

describe('lookupFunctionScope with React Native function maps', () => {
  // Generated 1:1 maps to a.js line 1 and generated 1:11 to line 5, column 3. In the function
  // map, `<global>` starts at 1:0 and `foo` at 4:0.
  const METRO_MAP = parseSourceMap(
    JSON.stringify({
      version: 3,
      sources: ['a.js'],
      names: [],
      mappings: 'AAAA,UAIE',
      x_facebook_sources: [[{ names: ['<global>', 'foo'], mappings: 'AAA;ACG' }]],
    }),
  );

  it('names the function that starts before the original position', () => {
    expect(lookupFunctionScope(METRO_MAP, undefined, 1, 11)).toEqual({
      kind: 'named',
      name: 'foo',
    });
  });

  it('names top-level code <global>', () => {
    expect(lookupFunctionScope(METRO_MAP, undefined, 1, 1)).toEqual({
      kind: 'named',
      name: '<global>',
    });
  });

  it('ignores the minified source', () => {
    expect(lookupFunctionScope(METRO_MAP, 'function other() {}', 1, 11)).toEqual({
      kind: 'named',
      name: 'foo',
    });
  });

  it('leaves a malformed function map out without rejecting the map', () => {
    const map = parseSourceMap(
      JSON.stringify({
        version: 3,
        sources: ['a.js'],
        names: [],
        mappings: 'AAAA',
        x_facebook_sources: [[{ names: 'not a list', mappings: 'AAA' }]],
      }),
    );

    expect(map.functionMaps).toEqual([undefined]);
    expect(lookupFunctionScope(map, undefined, 1, 1)).toEqual({ kind: 'unknown' });
  });
});
