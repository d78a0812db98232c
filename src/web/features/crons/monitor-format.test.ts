import { describe, expect, it } from 'vitest';

import type { MonitorConfig } from '../../../shared/api/crons';
import {
  buildCheckInUrl,
  buildCurlExample,
  describeSchedule,
  formatDuration,
  statusClassName,
  statusLabel,
} from './monitor-format';

const BASE: MonitorConfig = {
  schedule_type: 'crontab',
  schedule: '0 3 * * *',
  checkin_margin: null,
  max_runtime: null,
  timezone: null,
  failure_issue_threshold: null,
  recovery_threshold: null,
};

describe('describeSchedule', () => {
  it('shows a crontab with its time zone, UTC by default', () => {
    expect(describeSchedule(BASE)).toBe('0 3 * * * (UTC)');
    expect(describeSchedule({ ...BASE, timezone: 'Europe/Berlin' })).toBe(
      '0 3 * * * (Europe/Berlin)',
    );
  });

  it('spells out intervals', () => {
    expect(describeSchedule({ ...BASE, schedule_type: 'interval', schedule: [1, 'hour'] })).toBe(
      'Every hour',
    );
    expect(describeSchedule({ ...BASE, schedule_type: 'interval', schedule: [10, 'minute'] })).toBe(
      'Every 10 minutes',
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [null, '—'],
    [850, '850 ms'],
    [4_210, '4.2 s'],
    [185_000, '3 min 5 s'],
    [120_000, '2 min'],
  ])('formats %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('statusLabel', () => {
  it('names missed and timed-out monitors', () => {
    expect(statusLabel('missed_checkin')).toBe('Missed');
    expect(statusLabel('timeout')).toBe('Timed out');
    expect(statusClassName('missed_checkin')).toContain('missed');
    expect(statusClassName('error')).toContain('failed');
  });
});

describe('buildCheckInUrl', () => {
  it('puts the slug in the key template', () => {
    expect(
      buildCheckInUrl('http://picket.test/api/4/cron/___MONITOR_SLUG___/abc123/', 'nightly-job'),
    ).toBe('http://picket.test/api/4/cron/nightly-job/abc123/');
  });
});

describe('buildCurlExample', () => {
  it('reports the start and the end of a job', () => {
    const lines = buildCurlExample('http://picket.test/api/4/cron/job/abc/').split('\n');

    expect(lines).toContain('curl "http://picket.test/api/4/cron/job/abc/?status=in_progress"');
    expect(lines).toContain('curl "http://picket.test/api/4/cron/job/abc/?status=ok"');
  });
});
