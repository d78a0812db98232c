import { describe, expect, it } from 'vitest';

import { parseClientReport } from './client-report.js';

describe('parseClientReport', () => {
  it('reads the JavaScript SDK report', () => {
    const entries = parseClientReport({
      timestamp: 1796398636.986,
      discarded_events: [{ reason: 'ratelimit_backoff', category: 'error', quantity: 2 }],
    });

    expect(entries).toEqual([{ reason: 'ratelimit_backoff', category: 'error', quantity: 2 }]);
  });

  it('accepts an ISO timestamp as sentry-ruby sends it', () => {
    const entries = parseClientReport({
      timestamp: '2026-12-04T10:00:00Z',
      discarded_events: [{ reason: 'ratelimit_backoff', category: 'error', quantity: 1 }],
    });

    expect(entries).toHaveLength(1);
  });

  it('reads every entry list', () => {
    const entry = { reason: 'sample_rate', category: 'transaction', quantity: 1 };

    const entries = parseClientReport({
      discarded_events: [entry],
      rate_limited_events: [entry],
      filtered_events: [entry],
      filtered_sampling_events: [entry],
    });

    expect(entries).toHaveLength(4);
  });

  it('records an unknown category as unknown', () => {
    const entries = parseClientReport({
      discarded_events: [{ reason: 'before_send', category: 'hologram', quantity: 1 }],
    });

    expect(entries).toEqual([{ reason: 'before_send', category: 'unknown', quantity: 1 }]);
  });

  it.each([
    ['a list', []],
    ['a string', 'report'],
    ['a bad timestamp', { timestamp: 'yesterday', discarded_events: [] }],
    ['a non-list', { discarded_events: { reason: 'x' } }],
    ['a missing reason', { discarded_events: [{ category: 'error', quantity: 1 }] }],
    [
      'a reason with spaces',
      { discarded_events: [{ reason: 'a b', category: 'error', quantity: 1 }] },
    ],
    [
      'a negative quantity',
      { discarded_events: [{ reason: 'x', category: 'error', quantity: -1 }] },
    ],
    [
      'a fractional quantity',
      { discarded_events: [{ reason: 'x', category: 'error', quantity: 1.5 }] },
    ],
    [
      'a string quantity',
      { discarded_events: [{ reason: 'x', category: 'error', quantity: '1' }] },
    ],
  ])('rejects %s', (_name, report) => {
    expect(typeof parseClientReport(report)).toBe('string');
  });
});
