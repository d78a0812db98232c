import { describe, expect, it } from 'vitest';

import type { MonitorConfig } from '../../../shared/api/crons.js';
import { checkInMarginMs, maxRuntimeMs, nextExpectedCheckIn } from './schedule.js';

function config(overrides: Partial<MonitorConfig>): MonitorConfig {
  return {
    schedule_type: 'crontab',
    schedule: '0 * * * *',
    checkin_margin: null,
    max_runtime: null,
    timezone: null,
    failure_issue_threshold: null,
    recovery_threshold: null,
    ...overrides,
  };
}

function next(overrides: Partial<MonitorConfig>, reference: string): string | undefined {
  const time = nextExpectedCheckIn(config(overrides), Date.parse(reference));
  return time === undefined ? undefined : new Date(time).toISOString();
}

describe('nextExpectedCheckIn', () => {
  it('uses the crontab in UTC without a time zone', () => {
    expect(next({ schedule: '0 3 * * *' }, '2026-12-04T15:37:25Z')).toBe(
      '2026-12-05T03:00:00.000Z',
    );
  });

  it('uses the crontab in the monitor time zone', () => {
    expect(
      next({ schedule: '0 3 * * *', timezone: 'America/New_York' }, '2026-12-04T15:37:25Z'),
    ).toBe('2026-12-05T08:00:00.000Z');
  });

  it('adds an hour interval and drops the seconds', () => {
    expect(next({ schedule_type: 'interval', schedule: [1, 'hour'] }, '2026-12-04T15:37:25Z')).toBe(
      '2026-12-04T16:37:00.000Z',
    );
  });

  it('adds minutes', () => {
    expect(
      next({ schedule_type: 'interval', schedule: [90, 'minute'] }, '2026-12-04T15:37:25Z'),
    ).toBe('2026-12-04T17:07:00.000Z');
  });

  it('keeps the local time of a daily interval across a clock change', () => {
    expect(
      next(
        { schedule_type: 'interval', schedule: [1, 'day'], timezone: 'Europe/Berlin' },
        '2026-03-28T08:00:00Z',
      ),
    ).toBe('2026-03-29T07:00:00.000Z');
  });

  it('adds weeks', () => {
    expect(next({ schedule_type: 'interval', schedule: [2, 'week'] }, '2026-12-04T15:37:25Z')).toBe(
      '2026-12-18T15:37:00.000Z',
    );
  });

  it('clamps a monthly interval to month end', () => {
    expect(
      next({ schedule_type: 'interval', schedule: [1, 'month'] }, '2026-01-31T10:00:00Z'),
    ).toBe('2026-02-28T10:00:00.000Z');
  });

  it('adds years', () => {
    expect(next({ schedule_type: 'interval', schedule: [1, 'year'] }, '2028-02-29T10:00:00Z')).toBe(
      '2029-02-28T10:00:00.000Z',
    );
  });
});

describe('nextExpectedCheckIn with an unbounded stored interval', () => {
  it.each(['minute', 'hour', 'day', 'week', 'month', 'year'])(
    'returns undefined for 2^53 - 1 %ss',
    (unit) => {
      const schedule = [Number.MAX_SAFE_INTEGER, unit] as MonitorConfig['schedule'];

      expect(next({ schedule_type: 'interval', schedule }, '2026-12-04T15:37:25Z')).toBeUndefined();
    },
  );

  it('returns undefined for an interval that ends after year 9999', () => {
    expect(
      next({ schedule_type: 'interval', schedule: [7_975, 'year'] }, '2026-12-04T15:37:25Z'),
    ).toBeUndefined();
  });

  it('returns undefined for a count that is no whole number', () => {
    expect(
      next({ schedule_type: 'interval', schedule: [1.5, 'day'] }, '2026-12-04T15:37:25Z'),
    ).toBeUndefined();
  });

  it('adds the longest interval a config may have', () => {
    expect(
      next({ schedule_type: 'interval', schedule: [1_000, 'year'] }, '2026-12-04T15:37:25Z'),
    ).toBe('3026-12-04T15:37:00.000Z');
  });
});

describe('monitor defaults', () => {
  it('allows one minute of margin and 30 minutes of runtime', () => {
    expect(checkInMarginMs(config({}))).toBe(60_000);
    expect(maxRuntimeMs(config({}))).toBe(30 * 60_000);
  });

  it('reads the configured minutes', () => {
    expect(checkInMarginMs(config({ checkin_margin: 5 }))).toBe(5 * 60_000);
    expect(maxRuntimeMs(config({ max_runtime: 2 }))).toBe(2 * 60_000);
  });
});
