import { describe, expect, it } from 'vitest';

import {
  GlobList,
  GlobPattern,
  MatchBudget,
  MAX_LIST_TOKENS,
  MAX_MATCH_STEPS,
  MAX_PATTERN_CHARS,
  MAX_PATTERN_TOKENS,
} from './glob-pattern.js';

/** 128 variants of 10 tokens: each fails at `b` after 8 characters, from every start. */
const HEAVY_PATTERN = `*${'{a,?}'.repeat(7)}b`;
const LONG_MESSAGE = 'a'.repeat(8_192);

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

  it('rejects the reported 2,040-character pattern', () => {
    const reported = `${'{aa,bb}'.repeat(8)}*${'a'.repeat(1_983)}`;

    expect(reported).toHaveLength(2_040);
    expect(() => GlobPattern.compile(reported)).toThrow(/2040 characters; the maximum is 256/);
  });

  it('accepts a pattern of the maximum length', () => {
    expect(GlobPattern.compile('a'.repeat(MAX_PATTERN_CHARS)).size).toBe(MAX_PATTERN_CHARS);
  });

  it('rejects alternatives that expand past the token limit', () => {
    // 256 variants of 18 tokens.
    expect(() => GlobPattern.compile(`${'{a,b}'.repeat(8)}${'c'.repeat(10)}`)).toThrow(
      /expand to more than 2048 tokens/,
    );
  });

  it('counts the tokens of every variant', () => {
    const pattern = GlobPattern.compile(HEAVY_PATTERN);

    expect(pattern.size).toBe(128 * 9);
    expect(pattern.size).toBeLessThanOrEqual(MAX_PATTERN_TOKENS);
  });

  it('counts a step for the call and each comparison', () => {
    const budget = new MatchBudget();

    expect(GlobPattern.compile('1.2.*').matches('1.2.3', budget)).toBe(true);
    expect(budget.used).toBe(7);
  });

  it('stops a heavy match when the budget runs out', () => {
    const unbounded = new MatchBudget(Number.MAX_SAFE_INTEGER);
    const budget = new MatchBudget();
    const pattern = GlobPattern.compile(HEAVY_PATTERN);

    expect(pattern.matches(LONG_MESSAGE, unbounded)).toBe(false);
    expect(pattern.matches(LONG_MESSAGE, budget)).toBe(false);
    expect(unbounded.used).toBeGreaterThan(MAX_MATCH_STEPS);
    expect(budget.isExhausted).toBe(true);
    expect(budget.used).toBeLessThanOrEqual(MAX_MATCH_STEPS);
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

  it('shares one budget across 500 heavy patterns', () => {
    const list = new GlobList(Array.from({ length: 500 }, () => HEAVY_PATTERN));
    const budget = new MatchBudget();

    expect(list.matches(LONG_MESSAGE, budget)).toBe(false);
    expect(budget.used).toBeLessThanOrEqual(MAX_MATCH_STEPS);
  });

  it('skips a stored pattern longer than the maximum', () => {
    const stored = 'x'.repeat(MAX_PATTERN_CHARS + 1);
    const list = new GlobList([stored, 'ok']);

    expect(list.matches(stored)).toBe(false);
    expect(list.matches('ok')).toBe(true);
  });

  it('skips the patterns past the list token limit', () => {
    const pattern = 'x'.repeat(MAX_PATTERN_CHARS);
    const fitting = MAX_LIST_TOKENS / MAX_PATTERN_CHARS;
    const list = new GlobList([...Array.from({ length: fitting }, () => pattern), 'late']);

    expect(list.matches(pattern)).toBe(true);
    expect(list.matches('late')).toBe(false);
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
