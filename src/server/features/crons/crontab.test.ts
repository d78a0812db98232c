import { describe, expect, it } from 'vitest';

import { nextCrontabTime, parseCrontab, type Crontab } from './crontab.js';

function parse(expression: string): Crontab {
  const parsed = parseCrontab(expression);
  if (!parsed.ok) {
    throw new Error(parsed.message);
  }
  return parsed.crontab;
}

function next(expression: string, after: string, timeZone = 'UTC'): string | undefined {
  const time = nextCrontabTime(parse(expression), Date.parse(after), timeZone);
  return time === undefined ? undefined : new Date(time).toISOString();
}

describe('parseCrontab', () => {
  it('expands steps, ranges and lists', () => {
    const crontab = parse('*/15 9-11 1,15 * *');

    expect([...crontab.minutes]).toEqual([0, 15, 30, 45]);
    expect([...crontab.hours]).toEqual([9, 10, 11]);
    expect([...crontab.daysOfMonth]).toEqual([1, 15]);
    expect(crontab.months.size).toBe(12);
  });

  it('reads a start with a step as running to the end', () => {
    expect([...parse('5/20 * * * *').minutes]).toEqual([5, 25, 45]);
  });

  it('reads month and weekday names in any case', () => {
    const crontab = parse('0 0 * jan-MAR Mon-fri');

    expect([...crontab.months]).toEqual([1, 2, 3]);
    expect([...crontab.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
  });

  it('treats 7 as Sunday', () => {
    expect([...parse('0 0 * * 7').daysOfWeek]).toEqual([0]);
  });

  it('rewrites shorthands', () => {
    expect([...parse('@hourly').minutes]).toEqual([0]);
    expect([...parse('@daily').hours]).toEqual([0]);
  });

  it.each([
    ['* * * *', 'Expected 5 crontab fields, got 4'],
    ['* * * * * *', 'Expected 5 crontab fields, got 6'],
    ['60 * * * *', 'Invalid value in minute field "60"'],
    ['* 5-1 * * *', 'Invalid range in hour field "5-1"'],
    ['*/0 * * * *', 'Invalid step in minute field "*/0"'],
    ['* * 0 * *', 'Invalid value in day of month field "0"'],
    ['* * * foo *', 'Invalid value in month field "foo"'],
    ['* * * * L', 'Invalid value in day of week field "L"'],
    ['@reboot', 'Expected 5 crontab fields, got 1'],
  ])('rejects %s', (expression, message) => {
    expect(parseCrontab(expression)).toEqual({ ok: false, message });
  });
});

describe('nextCrontabTime', () => {
  it('returns the next minute for every minute', () => {
    expect(next('* * * * *', '2026-03-01T10:00:30Z')).toBe('2026-03-01T10:01:00.000Z');
  });

  it('skips the current minute when it matches exactly', () => {
    expect(next('0 * * * *', '2026-03-01T10:00:00Z')).toBe('2026-03-01T11:00:00.000Z');
  });

  it('rolls over to the next day and month', () => {
    expect(next('30 2 * * *', '2026-01-31T03:00:00Z')).toBe('2026-02-01T02:30:00.000Z');
  });

  it('finds 29 February in the next leap year', () => {
    expect(next('0 0 29 2 *', '2026-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('returns undefined for a date that never occurs', () => {
    expect(next('0 0 31 2 *', '2026-01-01T00:00:00Z')).toBeUndefined();
  });

  it('matches either restricted day field, as Vixie cron does', () => {
    // 2026-03-02 is a Monday; the 15th is a Sunday.
    expect(next('0 12 15 * 1', '2026-03-01T00:00:00Z')).toBe('2026-03-02T12:00:00.000Z');
    expect(next('0 12 15 * 1', '2026-03-10T00:00:00Z')).toBe('2026-03-15T12:00:00.000Z');
  });

  it('needs both fields when the weekday field is a star', () => {
    expect(next('0 12 15 * *', '2026-03-01T00:00:00Z')).toBe('2026-03-15T12:00:00.000Z');
  });

  it('applies the time zone', () => {
    expect(next('0 3 * * *', '2026-12-04T12:00:00Z', 'Europe/Berlin')).toBe(
      '2026-12-05T02:00:00.000Z',
    );
    expect(next('0 3 * * *', '2026-07-04T12:00:00Z', 'Europe/Berlin')).toBe(
      '2026-07-05T01:00:00.000Z',
    );
  });

  it('skips a wall-clock time that a spring-forward change removes', () => {
    // Berlin moves from 02:00 to 03:00 on 2026-03-29.
    expect(next('30 2 * * *', '2026-03-28T12:00:00Z', 'Europe/Berlin')).toBe(
      '2026-03-30T00:30:00.000Z',
    );
  });

  it('matches a repeated wall-clock time twice when clocks go back', () => {
    // Berlin repeats 02:00 to 03:00 on 2026-10-25, first at +02:00, then at +01:00.
    const first = next('30 2 * * *', '2026-10-24T12:00:00Z', 'Europe/Berlin');
    expect(first).toBe('2026-10-25T00:30:00.000Z');
    expect(next('30 2 * * *', first!, 'Europe/Berlin')).toBe('2026-10-25T01:30:00.000Z');
  });

  it('handles a zone with a half-hour offset', () => {
    expect(next('0 9 * * *', '2026-01-01T00:00:00Z', 'Asia/Kolkata')).toBe(
      '2026-01-01T03:30:00.000Z',
    );
  });
});
