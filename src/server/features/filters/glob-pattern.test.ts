import { describe, expect, it } from 'vitest';

import { GlobList, GlobPattern } from './glob-pattern.js';

function matches(pattern: string, text: string): boolean {
  return GlobPattern.compile(pattern).matches(text);
}

describe('GlobPattern', () => {
  it.each([
    ['foo', 'foo'],
    ['foo*', 'foobarblub'],
    ['*blub', 'foobarblub'],
    ['*bar*', 'foobarblub'],
    ['*foo*', 'foo\n'],
    ['foo*bar', 'foo\nbar'],
    ['foo*\n*bar', 'foo \n bar'],
    ['1.18.[0-4].*', '1.18.4.2153-2aa83397b'],
    ['1.18.[!0-4].*', '1.18.5.2153-2aa83397b'],
    ['a?c', 'abc'],
    ['FilteredException*', 'filteredexception: boom'],
    [
      '*https://react.dev/errors/{418,419,421}*',
      'Minified React error #419; https://react.dev/errors/419?x',
    ],
    ['*/health{/,}', '/api/health/'],
    ['*/health{/,}', 'GET /health'],
    [String.raw`*/\[_health\]{/,}`, '/api/[_health]'],
    [
      String.raw`/api/0/organizations/\{organization_slug\}/event*`,
      '/api/0/organizations/{organization_slug}/event/foobar',
    ],
    ['[A-Z]x', 'qx'],
    ['ÄRGER', 'ärger'],
    ['a,b}', 'a,b}'],
  ])('%j matches %j', (pattern, text) => {
    expect(matches(pattern, text)).toBe(true);
  });

  it.each([
    ['foo', 'nope'],
    ['foo', 'foobar'],
    ['', ''],
    ['', 'foo'],
    ['*', ''],
    ['1.18.[0-4].*', '1.18.5.2153-2aa83397b'],
    ['1.18.[!0-4].*', '1.18.4.2153-2aa83397b'],
    ['!1.18.4.*', '1.18.4.2153-2aa83397b'],
    ['a?c', 'ac'],
    ['*/health{/,}', '/api/healthcare'],
    [
      String.raw`/api/0/organizations/\{organization_slug\}/event*`,
      String.raw`/api/0/organizations/\{organization_slug\}/event/foobar`,
    ],
  ])('%j does not match %j', (pattern, text) => {
    expect(matches(pattern, text)).toBe(false);
  });

  it.each(['[abc', '{a,b', 'abc\\', '[]', '[z-a]', '{a,{b,c}}'])('rejects %j', (pattern) => {
    expect(() => GlobPattern.compile(pattern)).toThrow(/invalid glob pattern/);
  });

  it('rejects a pattern with too many alternatives', () => {
    expect(() => GlobPattern.compile('{a,b,c,d}'.repeat(5))).toThrow(/too many alternatives/);
  });

  it('matches many stars against a long text in linear passes', () => {
    const pattern = GlobPattern.compile('*a*a*a*a*a*a*a*a*a*a*b');
    const text = 'a'.repeat(20_000);

    const started = performance.now();
    const result = pattern.matches(text);

    expect(result).toBe(false);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('GlobList', () => {
  it('skips invalid patterns and keeps the others', () => {
    const list = new GlobList(['[broken', '1.2.*']);

    expect(list.matches('1.2.3')).toBe(true);
  });

  it('is empty when no pattern compiles', () => {
    expect(new GlobList(['', '{x']).isEmpty).toBe(true);
  });

  it.each([
    ['1.2.3', ['1.3.0', '1.2.3', '1.3.1'], true],
    ['1.2.3', ['1.3.0', '1.2.*', '1.3.1'], true],
    ['1.2.3', ['*', '1.3.0', '1.3.*'], true],
    ['1.2.3', ['1.3.0', '1.2.4', '1.3.1'], false],
    ['1.2.3', ['1.4.0', '1.3.*', '3.*'], false],
    ['1.2.3', [], false],
  ])('release %s against %j is %s', (release, patterns, expected) => {
    expect(new GlobList(patterns).matches(release)).toBe(expected);
  });
});
