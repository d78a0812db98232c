import { describe, expect, it } from 'vitest';

import type { StatsResponse } from '../../../shared/api/stats';
import { niceMaximum, toOutcomeSeries, toReasonRows } from './stats-series';

const RESPONSE: StatsResponse = {
  start: '2026-01-01T00:00:00Z',
  end: '2026-01-01T03:00:00Z',
  intervals: ['2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z', '2026-01-01T02:00:00Z'],
  groups: [
    {
      by: { outcome: 'accepted', reason: 'none' },
      totals: { 'sum(quantity)': 3 },
      series: { 'sum(quantity)': [1, 0, 2] },
    },
    {
      by: { outcome: 'rate_limited', reason: 'key_quota' },
      totals: { 'sum(quantity)': 4 },
      series: { 'sum(quantity)': [0, 4, 0] },
    },
    {
      by: { outcome: 'rate_limited', reason: 'spike_protection' },
      totals: { 'sum(quantity)': 1 },
      series: { 'sum(quantity)': [0, 0, 1] },
    },
  ],
};

describe('toOutcomeSeries', () => {
  it('adds the reasons of an outcome together', () => {
    const series = toOutcomeSeries(RESPONSE);

    expect(series.find((entry) => entry.outcome === 'rate_limited')).toMatchObject({
      values: [0, 4, 1],
      total: 5,
    });
  });

  it('returns zeros for an outcome without groups', () => {
    const series = toOutcomeSeries(RESPONSE);

    expect(series.find((entry) => entry.outcome === 'invalid')?.values).toEqual([0, 0, 0]);
  });
});

describe('toReasonRows', () => {
  it('lists reasons with the largest total first', () => {
    expect(toReasonRows(RESPONSE).map((row) => `${row.outcome}/${row.reason}`)).toEqual([
      'rate_limited/key_quota',
      'accepted/none',
      'rate_limited/spike_protection',
    ]);
  });
});

describe('niceMaximum', () => {
  it.each([
    [0, 4],
    [3, 4],
    [7, 10],
    [11, 20],
    [240, 250],
    [1234, 2000],
  ])('rounds %i up to %i', (max, expected) => {
    expect(niceMaximum(max)).toBe(expected);
  });
});
