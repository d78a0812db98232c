import { fromWallTime, toWallTime, type WallTime } from './zoned-time.js';

/** A parsed five-field crontab: the allowed values of each field. */
export interface Crontab {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  /** 0 is Sunday; a 7 in the expression is stored as 0. */
  daysOfWeek: ReadonlySet<number>;
  /**
   * Whether the day-of-month and day-of-week fields are restricted (do not start with `*`).
   * When both are, a day matches if either field matches, as in Vixie cron.
   */
  dayOfMonthRestricted: boolean;
  dayOfWeekRestricted: boolean;
}

export type CrontabParse = { ok: true; crontab: Crontab } | { ok: false; message: string };

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTH_NAMES = [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  { name: 'day of week', min: 0, max: 7, names: DAY_NAMES },
];

/** Sentry's shorthands, which it rewrites to five fields; `@reboot` has no schedule. */
const SHORTHANDS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** How far ahead the next run is searched: 8 years covers `0 0 29 2 *` across a century. */
const SEARCH_DAYS = 8 * 366;

/** Rewrites a shorthand such as `@daily` to five fields and collapses whitespace. */
export function normalizeCrontab(expression: string): string {
  const collapsed = expression.trim().replace(/\s+/g, ' ');
  return SHORTHANDS[collapsed.toLowerCase()] ?? collapsed;
}

/**
 * Parses a five-field crontab (minute, hour, day of month, month, day of week) with `*`,
 * ranges (`1-5`), steps (`*\/15`, `0-30/10`, `5/15`), lists (`1,15`) and month and weekday
 * names (`JAN`, `mon-fri`), plus the `@daily` style shorthands.
 */
export function parseCrontab(expression: string): CrontabParse {
  const fields = normalizeCrontab(expression).split(' ');
  if (fields.length !== 5) {
    return { ok: false, message: `Expected 5 crontab fields, got ${fields.length}` };
  }

  const sets: Set<number>[] = [];
  for (const [index, spec] of FIELDS.entries()) {
    const parsed = parseField(fields[index] ?? '', spec);
    if (typeof parsed === 'string') {
      return { ok: false, message: parsed };
    }
    sets.push(parsed);
  }

  const [minutes, hours, daysOfMonth, months, weekdays] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  const daysOfWeek = new Set([...weekdays].map((day) => day % 7));

  return {
    ok: true,
    crontab: {
      minutes,
      hours,
      daysOfMonth,
      months,
      daysOfWeek,
      dayOfMonthRestricted: !(fields[2] ?? '').startsWith('*'),
      dayOfWeekRestricted: !(fields[4] ?? '').startsWith('*'),
    },
  };
}

/** Returns the allowed values of one field, or a message naming what is wrong. */
function parseField(text: string, spec: FieldSpec): Set<number> | string {
  const values = new Set<number>();

  for (const part of text.split(',')) {
    const match = /^(\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:\/(\d+))?$/i.exec(part);
    if (match === null) {
      return `Invalid ${spec.name} field ${JSON.stringify(text)}`;
    }

    const range = match[1] ?? '';
    const step = match[2] === undefined ? 1 : Number(match[2]);
    if (step < 1 || step > spec.max) {
      return `Invalid step in ${spec.name} field ${JSON.stringify(text)}`;
    }

    let low = spec.min;
    let high = spec.max;
    if (range !== '*') {
      const [first = '', last] = range.split('-');
      const start = readValue(first, spec);
      const end = last === undefined ? undefined : readValue(last, spec);
      if (start === undefined || (last !== undefined && end === undefined)) {
        return `Invalid value in ${spec.name} field ${JSON.stringify(text)}`;
      }
      low = start;
      // `5/15` means from 5 to the end of the range, every 15.
      high = end ?? (match[2] === undefined ? start : spec.max);
      if (low > high) {
        return `Invalid range in ${spec.name} field ${JSON.stringify(text)}`;
      }
    }

    for (let value = low; value <= high; value += step) {
      values.add(value);
    }
  }
  return values;
}

function readValue(text: string, spec: FieldSpec): number | undefined {
  const nameIndex = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  if (nameIndex >= 0) {
    return spec.min === 0 ? nameIndex : nameIndex + 1;
  }
  if (!/^\d{1,2}$/.test(text)) {
    return undefined;
  }

  const value = Number(text);
  return value >= spec.min && value <= spec.max ? value : undefined;
}

/**
 * Returns the first time after `afterMs` that the crontab matches in the time zone, in epoch
 * milliseconds at the start of the minute, or undefined when nothing matches within 8 years
 * (`0 0 31 2 *`, for example).
 *
 * NOTE: a wall-clock time skipped by a daylight-saving change does not match; a time that
 * occurs twice when clocks go back matches both times.
 */
export function nextCrontabTime(
  crontab: Crontab,
  afterMs: number,
  timeZone: string,
): number | undefined {
  const start = toWallTime(afterMs, timeZone);
  const firstDay = Date.UTC(start.year, start.month - 1, start.day);

  for (let dayIndex = 0; dayIndex < SEARCH_DAYS; dayIndex += 1) {
    const date = new Date(firstDay + dayIndex * 86_400_000);
    const day: WallTime = {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: 0,
      minute: 0,
    };
    if (!matchesDay(crontab, day, date.getUTCDay())) {
      continue;
    }

    const found = firstMatchOfDay(
      crontab,
      day,
      afterMs,
      timeZone,
      dayIndex === 0 ? start : undefined,
    );
    if (found !== undefined) {
      return found;
    }
  }
  return undefined;
}

function matchesDay(crontab: Crontab, day: WallTime, weekday: number): boolean {
  if (!crontab.months.has(day.month)) {
    return false;
  }

  const domMatches = crontab.daysOfMonth.has(day.day);
  const dowMatches = crontab.daysOfWeek.has(weekday);
  if (crontab.dayOfMonthRestricted && crontab.dayOfWeekRestricted) {
    return domMatches || dowMatches;
  }
  return domMatches && dowMatches;
}

function firstMatchOfDay(
  crontab: Crontab,
  day: WallTime,
  afterMs: number,
  timeZone: string,
  earliest: WallTime | undefined,
): number | undefined {
  const hours = [...crontab.hours].sort((a, b) => a - b);
  const minutes = [...crontab.minutes].sort((a, b) => a - b);

  // On the first day, times more than two hours before the start cannot come after it, even
  // across a daylight-saving change, so they are skipped without converting them.
  const skipBefore = earliest === undefined ? -1 : earliest.hour * 60 + earliest.minute - 120;

  for (const hour of hours) {
    for (const minute of minutes) {
      if (hour * 60 + minute < skipBefore) {
        continue;
      }
      const instants = fromWallTime({ ...day, hour, minute }, timeZone);
      const next = instants.find((instant) => instant > afterMs);
      if (next !== undefined) {
        return next;
      }
    }
  }
  return undefined;
}
