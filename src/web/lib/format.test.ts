import { describe, expect, it } from 'vitest';

import {
  formatBytes,
  formatCount,
  formatPercent,
  formatRelativeTime,
  parseTimestamp,
} from './format';

const NOW = Date.parse('2024-06-01T12:00:00Z');

describe('formatRelativeTime', () => {
  it.each([
    ['2024-06-01T11:59:30Z', 'a few seconds ago'],
    ['2024-06-01T11:55:00Z', '5 minutes ago'],
    ['2024-06-01T11:00:00Z', '1 hour ago'],
    ['2024-05-30T12:00:00Z', '2 days ago'],
    ['2024-05-18T12:00:00Z', '2 weeks ago'],
    ['2023-05-01T12:00:00Z', '1 year ago'],
    ['2024-06-01T14:00:00Z', 'in 2 hours'],
  ])('formats %s as "%s"', (timestamp, expected) => {
    expect(formatRelativeTime(new Date(timestamp), NOW)).toBe(expected);
  });
});

describe('parseTimestamp', () => {
  it('reads seconds since the epoch', () => {
    expect(parseTimestamp(1717243200.5)?.toISOString()).toBe('2024-06-01T12:00:00.500Z');
  });

  it('reads an ISO 8601 string', () => {
    expect(parseTimestamp('2024-06-01T12:00:00Z')?.getTime()).toBe(NOW);
  });

  it('returns null for an invalid date', () => {
    expect(parseTimestamp('yesterday')).toBeNull();
  });
});

describe('formatCount', () => {
  it('abbreviates thousands', () => {
    expect(formatCount('1243')).toBe('1.2K');
  });

  it('keeps small counts whole', () => {
    expect(formatCount(87)).toBe('87');
  });
});

describe('formatPercent', () => {
  it('rounds to a whole percentage', () => {
    expect(formatPercent(1, 3)).toBe('33%');
  });

  it('shows a tiny share as below one percent', () => {
    expect(formatPercent(1, 1000)).toBe('<1%');
  });

  it('returns zero for an empty total', () => {
    expect(formatPercent(0, 0)).toBe('0%');
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1,023 B'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    [1_048_575, '1 MiB'],
    [25_276_071_936, '23.5 GiB'],
    [2 ** 50, '1 PiB'],
  ])('formats %d bytes as "%s"', (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected);
  });

  it('returns a negative number as it is', () => {
    expect(formatBytes(-1)).toBe('-1');
  });
});
