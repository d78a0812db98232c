import { describe, expect, it } from 'vitest';

import { compileGlob } from './glob.js';

describe('compileGlob', () => {
  it('matches stars and question marks in names', () => {
    const glob = compileGlob('foo*bar?', false, false);

    expect(glob.test('foobarx')).toBe(true);
    expect(glob.test('foo/zzbarx')).toBe(true);
    expect(glob.test('foobar')).toBe(false);
    expect(glob.test('Foobarx')).toBe(false);
  });

  it('stops a single star at slashes in paths', () => {
    expect(compileGlob('src/*.js', true, false).test('src/a.js')).toBe(true);
    expect(compileGlob('src/*.js', true, false).test('src/lib/a.js')).toBe(false);
    expect(compileGlob('src/**.js', true, false).test('src/lib/a.js')).toBe(true);
  });

  it('ignores case when asked', () => {
    expect(compileGlob('**/Node_Modules/*', true, true).test('/app/node_modules/x')).toBe(true);
  });

  it('reads character classes and escapes', () => {
    expect(compileGlob('v[0-9].js', false, false).test('v7.js')).toBe(true);
    expect(compileGlob('v[!0-9].js', false, false).test('v7.js')).toBe(false);
    expect(compileGlob('a\\*b', false, false).test('a*b')).toBe(true);
    expect(compileGlob('a\\*b', false, false).test('axb')).toBe(false);
  });

  it('matches nothing for a reversed range instead of throwing', () => {
    expect(compileGlob('[z-a]', false, false).test('m')).toBe(false);
  });

  it('rejects a long value for a backtracking pattern', () => {
    // A regular expression built from this pattern backtracks for minutes on such a value,
    // which would exceed the test's timeout.
    const glob = compileGlob('*a*a*a*a*a*a*b', false, false);

    expect(glob.test('a'.repeat(5_000))).toBe(false);
    expect(glob.test(`${'a'.repeat(5_000)}b`)).toBe(true);
  });
});
