import { describe, expect, it } from 'vitest';

import { readTimeWindow } from './time-window.js';

const NOW = Date.parse('2024-05-10T12:00:00Z');

describe('readTimeWindow', () => {
  it('returns undefined without parameters', () => {
    expect(readTimeWindow({}, NOW)).toBeUndefined();
    expect(readTimeWindow({ statsPeriod: '' }, NOW)).toBeUndefined();
  });

  it('reads statsPeriod ending now', () => {
    expect(readTimeWindow({ statsPeriod: '24h' }, NOW)).toEqual({
      start: NOW - 86_400_000,
      end: NOW,
    });
    expect(readTimeWindow({ statsPeriod: '2w' }, NOW)?.start).toBe(NOW - 14 * 86_400_000);
  });

  it('reads start and end, without a zone as UTC', () => {
    expect(
      readTimeWindow({ start: '2024-05-01T00:00:00', end: '2024-05-02 06:30:00+02:00' }, NOW),
    ).toEqual({
      start: Date.parse('2024-05-01T00:00:00Z'),
      end: Date.parse('2024-05-02T04:30:00Z'),
    });
  });

  it('prefers statsPeriod over start and end', () => {
    const window = readTimeWindow(
      { statsPeriod: '1h', start: '2024-05-01', end: '2024-05-03' },
      NOW,
    );

    expect(window).toEqual({ start: NOW - 3_600_000, end: NOW });
  });

  it('rejects malformed and incomplete values', () => {
    expect(() => readTimeWindow({ statsPeriod: 'yesterday' }, NOW)).toThrow(/statsPeriod/);
    expect(() => readTimeWindow({ start: '2024-05-01' }, NOW)).toThrow(/given together/);
    expect(() => readTimeWindow({ start: 'soon', end: '2024-05-01' }, NOW)).toThrow(/"start"/);
    expect(() => readTimeWindow({ start: '2024-05-03', end: '2024-05-01' }, NOW)).toThrow(
      /is after end/,
    );
    expect(() => readTimeWindow({ statsPeriod: ['1h', '2h'] }, NOW)).toThrow(/several/);
  });
});
