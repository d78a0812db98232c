import { describe, expect, it } from 'vitest';

import {
  MAX_QUERY_LENGTH,
  parseSearch,
  searchFilters,
  searchFreeText,
  unescapeQuoted,
  type FilterToken,
} from './search-syntax.js';

const NOW = new Date('2024-05-10T12:00:00Z');

function filters(query: string): FilterToken[] {
  return searchFilters(parseSearch(query, { now: NOW }));
}

function only(query: string): FilterToken {
  const list = filters(query);
  expect(list).toHaveLength(1);
  return list[0]!;
}

describe('parseSearch', () => {
  it('reads key:value text filters', () => {
    const filter = only('browser:Chrome');

    expect(filter.filter).toBe('text');
    expect(filter.key.value).toBe('browser');
    expect(filter.value).toMatchObject({ type: 'valueText', value: 'Chrome', quoted: false });
    expect(filter.text).toBe('browser:Chrome');
  });

  it('keeps free text anywhere in the query', () => {
    const tokens = parseSearch('undefined is level:error not a function', { now: NOW });

    expect(searchFreeText(tokens)).toBe('undefined is not a function');
    expect(searchFilters(tokens).map((filter) => filter.key.value)).toEqual(['level']);
  });

  it('reads quoted free text as one phrase', () => {
    const tokens = parseSearch('"connection reset" level:error', { now: NOW });

    expect(tokens[1]).toEqual({
      type: 'freeText',
      value: 'connection reset',
      quoted: true,
      invalid: null,
    });
  });

  it('reads quoted values with escaped quotes', () => {
    const filter = only('release:"my app \\"beta\\""');

    expect(filter.value).toMatchObject({ value: 'my app \\"beta\\"', quoted: true });
    expect(unescapeQuoted('my app \\"beta\\"')).toBe('my app "beta"');
  });

  it('reads negation', () => {
    expect(only('!environment:production').negated).toBe(true);
    expect(only('environment:production').negated).toBe(false);
  });

  it('reads has and negated has', () => {
    const has = only('has:user');
    const hasNot = only('!has:release');

    expect(has.filter).toBe('has');
    expect(has.value).toMatchObject({ value: 'user' });
    expect(hasNot.filter).toBe('has');
    expect(hasNot.negated).toBe(true);
  });

  it('reads is filters', () => {
    const filter = only('is:unresolved');

    expect(filter.filter).toBe('is');
    expect(filter.value).toMatchObject({ value: 'unresolved' });
  });

  it('reads lists with quoted items', () => {
    const filter = only('level:[error, "fatal"]');

    expect(filter.filter).toBe('textIn');
    expect(filter.value).toMatchObject({
      type: 'valueTextList',
      items: [
        { separator: '', value: { value: 'error', quoted: false } },
        { separator: ', ', value: { value: 'fatal', quoted: true } },
      ],
    });
  });

  it('marks a list with an empty item invalid', () => {
    expect(only('level:[error, ]').invalid).toEqual({
      reason: 'Lists should not have empty values',
    });
  });

  it('sets wildcard flags', () => {
    expect(only('url:*checkout*').value).toMatchObject({ contains: true, startsWith: false });
    expect(only('url:https*').value).toMatchObject({ contains: false, startsWith: true });
    expect(only('url:*.js').value).toMatchObject({ contains: false, endsWith: true });
    expect(only('url:*').value).toMatchObject({ contains: false, startsWith: false });
  });

  it('reads booleans only for boolean keys', () => {
    expect(only('error.handled:false').filter).toBe('boolean');
    expect(only('error.handled:false').value).toMatchObject({ parsed: { value: false } });
    expect(only('custom:false').filter).toBe('text');
  });

  it('reads numeric comparisons with suffixes', () => {
    const filter = only('times_seen:>=1.5k');

    expect(filter.filter).toBe('numeric');
    expect(filter.operator).toBe('>=');
    expect(filter.value).toMatchObject({ type: 'valueNumber', parsed: { value: 1500 } });
  });

  it('reads numeric lists', () => {
    const filter = only('times_seen:[1, 2]');

    expect(filter.filter).toBe('numericIn');
    expect(filter.invalid).toBeUndefined();
  });

  it('marks a malformed number invalid', () => {
    expect(only('times_seen:>lots').invalid?.reason).toMatch(/Invalid number/);
  });

  it('reads durations and sizes', () => {
    const duration = only('transaction.duration:<=2.5s');
    const size = only('measurements.size:>2kib');

    expect(duration.filter).toBe('duration');
    expect(duration.value).toMatchObject({ milliseconds: 2500 });
    expect(size.filter).toBe('size');
    expect(size.value).toMatchObject({ parsed: { value: 2048 } });
  });

  it('reads relative dates from the given clock', () => {
    const filter = only('lastSeen:-24h');

    expect(filter.filter).toBe('relativeDate');
    expect(filter.value).toMatchObject({
      sign: '-',
      unit: 'h',
      parsed: { value: '2024-05-09T12:00:00.000Z' },
    });
  });

  it('reads absolute dates with and without operators', () => {
    const after = only('firstSeen:>2024-01-31T10:00:00');
    const day = only('firstSeen:2024-01-31');
    const zoned = only('firstSeen:<2024-01-31T10:00:00+02:00');

    expect(after.filter).toBe('date');
    expect(after.value).toMatchObject({ parsed: { value: '2024-01-31T10:00:00.000Z' } });
    expect(day.filter).toBe('specificDate');
    expect(day.value).toMatchObject({ dateOnly: true });
    expect(zoned.value).toMatchObject({ parsed: { value: '2024-01-31T08:00:00.000Z' } });
  });

  it('reads a date range as two filters', () => {
    const range = filters('firstSeen:>=2024-01-01 firstSeen:<2024-02-01');

    expect(range.map((filter) => filter.operator)).toEqual(['>=', '<']);
  });

  it('marks a malformed date invalid', () => {
    expect(only('firstSeen:yesterday').invalid?.reason).toMatch(/Invalid date format/);
  });

  it('marks a day past the month end invalid', () => {
    expect(only('lastSeen:2024-02-30').invalid?.reason).toMatch(/Invalid date format/);
    expect(only('lastSeen:2024-02-29').invalid).toBeUndefined();
  });

  it('marks an out-of-range relative date invalid', () => {
    expect(only('firstSeen:-99999999w').invalid?.reason).toMatch(/Invalid date format/);
  });

  it('reads explicit tag keys', () => {
    const filter = only('tags[firstSeen]:x');

    expect(filter.key).toEqual({ type: 'keyExplicitTag', value: 'firstSeen', quoted: false });
    expect(filter.filter).toBe('text');
  });

  it('reads text as free text when no key precedes the colon', () => {
    const tokens = parseSearch(':value plain', { now: NOW });

    expect(searchFilters(tokens)).toEqual([]);
    expect(searchFreeText(tokens)).toBe(':value plain');
  });

  it('returns only spaces for an empty query', () => {
    expect(parseSearch('', { now: NOW })).toEqual([
      { type: 'spaces', value: '' },
      { type: 'spaces', value: '' },
    ]);
  });

  it('parses unclosed lists in linear time', () => {
    // Each `x:[a,` opens a list that runs to the end of the query without closing.
    const query = 'x:[a, '.repeat(MAX_QUERY_LENGTH / 6);
    const started = performance.now();
    const tokens = parseSearch(query, { now: NOW });
    const elapsed = performance.now() - started;

    expect(searchFilters(tokens).length).toBeGreaterThan(0);
    // Quadratic parsing took about 3 s on a 24,000-character query of this form.
    expect(elapsed).toBeLessThan(1_000);
  });
});
