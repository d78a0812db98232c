import type { IntervalUnit, MonitorConfig } from '../../../shared/api/crons.js';
import { nextCrontabTime, parseCrontab } from './crontab.js';
import { fromWallTime, toWallTime } from './zoned-time.js';

const MINUTE_MS = 60_000;

/** The last minute of year 9999, the latest time that ISO 8601's four-digit years can write. */
export const MAX_SCHEDULE_MS = Date.UTC(9999, 11, 31, 23, 59);

// An upper bound of each unit's length, so that an interval is checked before date arithmetic.
const MAX_UNIT_MS: Record<IntervalUnit, number> = {
  minute: MINUTE_MS,
  hour: 60 * MINUTE_MS,
  day: 25 * 60 * MINUTE_MS,
  week: 7 * 25 * 60 * MINUTE_MS,
  month: 32 * 25 * 60 * MINUTE_MS,
  year: 367 * 25 * 60 * MINUTE_MS,
};

/** Sentry's defaults: a check-in may be 1 minute late and run for 30 minutes. */
export const DEFAULT_CHECKIN_MARGIN_MINUTES = 1;
export const DEFAULT_MAX_RUNTIME_MINUTES = 30;

/**
 * Returns when the next check-in is expected after a check-in at `referenceMs`: the next
 * crontab match after it, or the reference plus the interval, at the start of the minute, in
 * the monitor's time zone (UTC when it has none). Undefined when a crontab never matches and
 * for a stored interval that is malformed or ends after {@link MAX_SCHEDULE_MS}.
 */
export function nextExpectedCheckIn(
  config: MonitorConfig,
  referenceMs: number,
): number | undefined {
  const timeZone = config.timezone ?? 'UTC';

  if (config.schedule_type === 'crontab') {
    const parsed = parseCrontab(String(config.schedule));
    return parsed.ok ? nextCrontabTime(parsed.crontab, referenceMs, timeZone) : undefined;
  }

  const [count, unit] = config.schedule as [number, IntervalUnit];
  const maxUnitMs = Object.hasOwn(MAX_UNIT_MS, unit) ? MAX_UNIT_MS[unit] : undefined;
  // Configs stored before intervals were bounded may hold any safe integer.
  if (
    maxUnitMs === undefined ||
    !Number.isSafeInteger(count) ||
    count <= 0 ||
    count * maxUnitMs > MAX_SCHEDULE_MS - referenceMs
  ) {
    return undefined;
  }

  const next = floorToMinute(addInterval(referenceMs, count, unit, timeZone));
  return Number.isFinite(next) && next <= MAX_SCHEDULE_MS ? next : undefined;
}

/** Returns how long after the expected time a check-in counts as missed, in milliseconds. */
export function checkInMarginMs(config: MonitorConfig): number {
  return (config.checkin_margin ?? DEFAULT_CHECKIN_MARGIN_MINUTES) * MINUTE_MS;
}

/** Returns how long a check-in may stay in progress before it times out, in milliseconds. */
export function maxRuntimeMs(config: MonitorConfig): number {
  return (config.max_runtime ?? DEFAULT_MAX_RUNTIME_MINUTES) * MINUTE_MS;
}

export function floorToMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/**
 * Adds an interval. Minutes and hours are fixed lengths. Days, weeks, months and years move
 * the wall clock of the time zone, so a daily job keeps its local time across daylight-saving
 * changes. A month added to the 31st lands on the last day of a shorter month.
 */
function addInterval(ms: number, count: number, unit: IntervalUnit, timeZone: string): number {
  if (unit === 'minute' || unit === 'hour') {
    return ms + count * (unit === 'minute' ? MINUTE_MS : 60 * MINUTE_MS);
  }

  const wall = toWallTime(ms, timeZone);
  let { year, month, day } = wall;
  if (unit === 'day' || unit === 'week') {
    const date = new Date(Date.UTC(year, month - 1, day + count * (unit === 'week' ? 7 : 1)));
    year = date.getUTCFullYear();
    month = date.getUTCMonth() + 1;
    day = date.getUTCDate();
  } else {
    const months = year * 12 + (month - 1) + count * (unit === 'year' ? 12 : 1);
    year = Math.floor(months / 12);
    month = (months % 12) + 1;
    day = Math.min(day, new Date(Date.UTC(year, month, 0)).getUTCDate());
  }

  const instants = fromWallTime({ ...wall, year, month, day }, timeZone);
  // A wall time skipped by a clock change falls back to adding whole days of 24 hours.
  return (
    instants[0] ??
    ms + (Date.UTC(year, month - 1, day) - Date.UTC(wall.year, wall.month - 1, wall.day))
  );
}
