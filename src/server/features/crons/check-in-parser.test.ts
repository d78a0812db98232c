import { describe, expect, it } from 'vitest';

import { parseCheckIn, slugifyMonitorSlug, type CheckInParse } from './check-in-parser.js';
import {
  createConfig,
  MAX_INTERVAL_COUNT,
  parseMonitorConfig,
  type ConfigParse,
} from './monitor-config.js';

const ID = '786a53dff8cf46df8e49d51d24a35fd5';

/** Returns the accepted check-in, failing the test with the reason when it was rejected. */
function accepted(parsed: CheckInParse) {
  if (!parsed.ok) {
    throw new Error(`check-in rejected: ${parsed.reason}`);
  }
  return parsed.checkIn;
}

function acceptedConfig(parsed: ConfigParse) {
  if (!parsed.ok) {
    throw new Error(`config rejected: ${parsed.message}`);
  }
  return parsed.update;
}

function checkIn(overrides: Record<string, unknown> = {}) {
  return { check_in_id: ID, monitor_slug: 'nightly-report', status: 'in_progress', ...overrides };
}

describe('parseCheckIn', () => {
  it('reads a check-in from @sentry/node', () => {
    const parsed = parseCheckIn(
      checkIn({
        status: 'ok',
        duration: 0.05,
        environment: 'capture',
        contexts: { trace: { trace_id: '11a43620d506448c9f2ac0dab145cffe' } },
      }),
    );

    expect(parsed).toEqual({
      ok: true,
      checkIn: {
        checkInId: ID,
        monitorSlug: 'nightly-report',
        status: 'ok',
        durationMs: 50,
        environment: 'capture',
        traceId: '11a43620d506448c9f2ac0dab145cffe',
        config: undefined,
      },
    });
  });

  it('defaults the environment to production', () => {
    const parsed = parseCheckIn(checkIn());
    expect(accepted(parsed).environment).toBe('production');
  });

  it('reads the all-zero id as the latest in-progress check-in', () => {
    const parsed = parseCheckIn(checkIn({ check_in_id: '00000000-0000-0000-0000-000000000000' }));
    expect(accepted(parsed).checkInId).toBeUndefined();
  });

  it('accepts a hyphenated id', () => {
    const parsed = parseCheckIn(checkIn({ check_in_id: '786a53df-f8cf-46df-8e49-d51d24a35fd5' }));
    expect(accepted(parsed).checkInId).toBe(ID);
  });

  it.each([
    ['a status Sentry does not know', { status: 'missed' }, 'invalid_check_in'],
    ['a status that is not a string', { status: 1 }, 'invalid_check_in'],
    ['a missing id', { check_in_id: undefined }, 'invalid_guid'],
    ['a malformed id', { check_in_id: 'not-a-uuid' }, 'invalid_guid'],
    ['a negative duration', { duration: -1 }, 'invalid_check_in'],
    ['a duration over 24 days', { duration: 2_200_000 }, 'invalid_check_in'],
    ['a duration that is a string', { duration: '5' }, 'invalid_check_in'],
    ['an environment that is a number', { environment: 5 }, 'invalid_check_in'],
    [
      'an environment over 64 characters',
      { environment: 'e'.repeat(65) },
      'invalid_monitor_environment',
    ],
    ['a malformed trace id', { contexts: { trace: { trace_id: 'xyz' } } }, 'invalid_check_in'],
    ['a slug with no usable characters', { monitor_slug: '!!!' }, 'invalid_monitor_slug'],
    ['a slug that is not a string', { monitor_slug: ['a'] }, 'invalid_monitor_slug'],
  ])('rejects %s', (_name, overrides, reason) => {
    expect(parseCheckIn(checkIn(overrides))).toEqual({ ok: false, reason });
  });

  it('rejects a payload that is not an object', () => {
    expect(parseCheckIn([])).toEqual({ ok: false, reason: 'invalid_check_in' });
  });

  it('keeps an invalid monitor config without rejecting the check-in', () => {
    const parsed = parseCheckIn(
      checkIn({ monitor_config: { schedule: { type: 'crontab', value: 'bad' } } }),
    );
    expect(accepted(parsed).config?.ok).toBe(false);
  });
});

describe('slugifyMonitorSlug', () => {
  it('lowers case, drops symbols and joins words with dashes', () => {
    expect(slugifyMonitorSlug('  Nightly Report (EU)! ')).toBe('nightly-report-eu');
  });

  it('folds accents and cuts at 50 characters', () => {
    expect(slugifyMonitorSlug('Café')).toBe('cafe');
    expect(slugifyMonitorSlug('a'.repeat(60))).toHaveLength(50);
  });
});

describe('parseMonitorConfig', () => {
  it('reads the SDK schedule object with all options', () => {
    const parsed = parseMonitorConfig({
      schedule: { type: 'crontab', value: '0 3  * * *' },
      checkin_margin: 5,
      max_runtime: 30,
      timezone: 'Europe/Berlin',
      failure_issue_threshold: 2,
      recovery_threshold: 3,
    });

    expect(parsed).toEqual({
      ok: true,
      update: {
        schedule_type: 'crontab',
        schedule: '0 3 * * *',
        checkin_margin: 5,
        max_runtime: 30,
        timezone: 'Europe/Berlin',
        failure_issue_threshold: 2,
        recovery_threshold: 3,
      },
    });
  });

  it('reads an interval in both forms', () => {
    const objectForm = parseMonitorConfig({
      schedule: { type: 'interval', value: 1, unit: 'hour' },
    });
    const listForm = parseMonitorConfig({ schedule_type: 'interval', schedule: [1, 'hour'] });

    expect(objectForm).toEqual({
      ok: true,
      update: { schedule_type: 'interval', schedule: [1, 'hour'] },
    });
    expect(listForm).toEqual(objectForm);
  });

  it.each(Object.entries(MAX_INTERVAL_COUNT))('accepts the longest %s interval', (unit, count) => {
    expect(parseMonitorConfig({ schedule: { type: 'interval', value: count, unit } }).ok).toBe(
      true,
    );
  });

  it('rewrites @daily and stores a margin of 0 as 1', () => {
    const parsed = parseMonitorConfig({
      schedule: { type: 'crontab', value: '@daily' },
      checkin_margin: 0,
    });
    expect(parsed).toEqual({
      ok: true,
      update: { schedule_type: 'crontab', schedule: '0 0 * * *', checkin_margin: 1 },
    });
  });

  it.each([
    ['no schedule', { checkin_margin: 5 }],
    ['a six-field crontab', { schedule: { type: 'crontab', value: '0 0 * * * *' } }],
    ['an unknown schedule type', { schedule: { type: 'weekly', value: 1 } }],
    ['a zero interval', { schedule: { type: 'interval', value: 0, unit: 'hour' } }],
    ['an unknown interval unit', { schedule: { type: 'interval', value: 1, unit: 'fortnight' } }],
    [
      'an interval of 2^53 - 1 minutes',
      { schedule: { type: 'interval', value: Number.MAX_SAFE_INTEGER, unit: 'minute' } },
    ],
    ['an interval of 1,001 years', { schedule: { type: 'interval', value: 1_001, unit: 'year' } }],
    [
      'an unknown time zone',
      { schedule: { type: 'crontab', value: '* * * * *' }, timezone: 'Mars/Olympus' },
    ],
    ['a max runtime of 0', { schedule: { type: 'crontab', value: '* * * * *' }, max_runtime: 0 }],
    [
      'a threshold over 720',
      { schedule: { type: 'crontab', value: '* * * * *' }, recovery_threshold: 721 },
    ],
    [
      'a margin that is a fraction',
      { schedule: { type: 'crontab', value: '* * * * *' }, checkin_margin: 1.5 },
    ],
  ])('rejects %s', (_name, value) => {
    expect(parseMonitorConfig(value).ok).toBe(false);
  });

  it('builds a new config with empty options', () => {
    const parsed = parseMonitorConfig({ schedule: { type: 'crontab', value: '0 * * * *' } });
    expect(createConfig(acceptedConfig(parsed))).toEqual({
      schedule_type: 'crontab',
      schedule: '0 * * * *',
      checkin_margin: null,
      max_runtime: null,
      timezone: null,
      failure_issue_threshold: null,
      recovery_threshold: null,
    });
  });
});
