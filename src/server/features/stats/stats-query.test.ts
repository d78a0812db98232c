import { describe, expect, it } from 'vitest';

import { ValidationError } from '../../platform/errors.js';
import { parseStatsQuery } from './stats-query.js';
import { buildStatsResponse } from './stats-series.js';

// 2021-03-14T12:27:28Z, the time Sentry's own stats tests use.
const NOW = Date.UTC(2021, 2, 14, 12, 27, 28);
const BASE = { field: 'sum(quantity)', category: 'error' };

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return error instanceof ValidationError ? error.detail : String(error);
  }
  return 'no error';
}

describe('parseStatsQuery', () => {
  it('aligns a day at daily intervals to midnight', () => {
    const query = parseStatsQuery({ ...BASE, statsPeriod: '1d', interval: '1d' }, NOW);

    expect(new Date(query.startMs).toISOString()).toBe('2021-03-14T00:00:00.000Z');
    expect(new Date(query.endMs).toISOString()).toBe('2021-03-15T00:00:00.000Z');
  });

  it('rounds the end up to the next interval', () => {
    const query = parseStatsQuery({ ...BASE, statsPeriod: '1d', interval: '6h' }, NOW);

    expect(new Date(query.startMs).toISOString()).toBe('2021-03-13T18:00:00.000Z');
    expect(new Date(query.endMs).toISOString()).toBe('2021-03-14T18:00:00.000Z');
  });

  it('expands the error category to default, error and security', () => {
    const query = parseStatsQuery(BASE, NOW);

    expect(query.categories).toEqual(['default', 'error', 'security']);
  });

  it('reads -1 as every project', () => {
    const query = parseStatsQuery({ ...BASE, project: ['-1', '4'] }, NOW);

    expect(query.projectIds).toEqual([]);
  });

  it.each([
    [{}, 'Request is missing a "field"'],
    [{ field: 'summ(qarntenty)', category: 'error' }, 'Invalid field: "summ(qarntenty)"'],
    [{ ...BASE, groupBy: 'cattygory' }, 'Invalid groupBy: "cattygory"'],
    [{ ...BASE, dragon: 'smaug' }, 'Invalid parameter: "dragon"'],
    [{ field: 'sum(quantity)' }, 'Query must have category as groupby or filter'],
    [{ ...BASE, interval: '5m' }, 'Invalid interval'],
    [{ ...BASE, interval: 'bad_interval' }, 'Invalid interval'],
    [{ ...BASE, statsPeriod: '365d' }, '90 days'],
    [{ ...BASE, outcome: 'eaten' }, 'Invalid outcome: "eaten"'],
  ])('rejects %j', (query, message) => {
    expect(errorOf(() => parseStatsQuery(query, NOW))).toContain(message);
  });
});

describe('buildStatsResponse', () => {
  const query = parseStatsQuery(
    {
      field: 'sum(quantity)',
      groupBy: ['outcome', 'category', 'reason'],
      statsPeriod: '2d',
      interval: '1d',
    },
    NOW,
  );
  const hour = Date.UTC(2021, 2, 14, 11);
  const row = { projectId: 1, hour, reason: '', quantity: 1 };

  it('sums rows into groups with totals and series', () => {
    const response = buildStatsResponse(query, [
      { ...row, outcome: 'accepted', category: 'error' },
      { ...row, outcome: 'accepted', category: 'default' },
      {
        ...row,
        outcome: 'rate_limited',
        category: 'attachment',
        reason: 'usage_exceeded',
        quantity: 1024,
      },
    ]);

    expect(response).toEqual({
      start: '2021-03-13T00:00:00Z',
      end: '2021-03-15T00:00:00Z',
      intervals: ['2021-03-13T00:00:00Z', '2021-03-14T00:00:00Z'],
      groups: [
        {
          by: { outcome: 'accepted', category: 'error', reason: 'none' },
          totals: { 'sum(quantity)': 2 },
          series: { 'sum(quantity)': [0, 2] },
        },
        {
          by: { outcome: 'rate_limited', category: 'attachment', reason: 'usage_exceeded' },
          totals: { 'sum(quantity)': 1024 },
          series: { 'sum(quantity)': [0, 1024] },
        },
      ],
    });
  });

  it('returns one group without dimensions when not grouped', () => {
    const ungrouped = parseStatsQuery({ ...BASE, statsPeriod: '1d', interval: '1d' }, NOW);

    const response = buildStatsResponse(ungrouped, [
      { ...row, outcome: 'accepted', category: 'error' },
    ]);

    expect(response.groups).toEqual([
      { by: {}, totals: { 'sum(quantity)': 1 }, series: { 'sum(quantity)': [1] } },
    ]);
  });

  it('returns no groups without rows', () => {
    expect(buildStatsResponse(query, []).groups).toEqual([]);
  });
});
