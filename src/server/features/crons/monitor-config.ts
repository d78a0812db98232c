import type { IntervalUnit, MonitorConfig } from '../../../shared/api/crons.js';
import { normalizeCrontab, parseCrontab } from './crontab.js';
import { isKnownTimeZone } from './zoned-time.js';

/** Sentry's limits: margins and runtimes up to 28 days in minutes, thresholds up to 720. */
const MAX_MINUTES = 40_320;
const MAX_THRESHOLD = 720;

const INTERVAL_UNITS: readonly IntervalUnit[] = ['year', 'month', 'week', 'day', 'hour', 'minute'];

/**
 * Maximum interval count of each unit, 1,000 years' worth. Larger counts could put the next
 * check-in past year 9999, beyond ISO 8601's four-digit years.
 */
export const MAX_INTERVAL_COUNT: Readonly<Record<IntervalUnit, number>> = {
  year: 1_000,
  month: 12_000,
  week: 52_000,
  day: 365_000,
  hour: 8_760_000,
  minute: 525_600_000,
};

/** The keys of `MonitorConfig` that an SDK's `monitor_config` may set. */
export type ConfigUpdate = Partial<MonitorConfig>;

export type ConfigParse = { ok: true; update: ConfigUpdate } | { ok: false; message: string };

export const EMPTY_CONFIG: Omit<MonitorConfig, 'schedule_type' | 'schedule'> = {
  checkin_margin: null,
  max_runtime: null,
  timezone: null,
  failure_issue_threshold: null,
  recovery_threshold: null,
};

/**
 * Validates an SDK's `monitor_config` as Sentry's config validator does. The schedule comes
 * as `{type, value, unit}` or as `schedule_type` plus a crontab string or `[count, unit]`.
 * The schedule is required. Returns only the keys the payload sets, so an update leaves the
 * other keys as they were.
 */
export function parseMonitorConfig(value: unknown): ConfigParse {
  if (!isRecord(value)) {
    return { ok: false, message: 'monitor_config is not an object' };
  }

  // As in Sentry, a config without a schedule is invalid, also for an existing monitor.
  if (value.schedule === undefined || value.schedule === null) {
    return { ok: false, message: 'monitor_config has no schedule' };
  }
  const schedule = parseSchedule(value.schedule, value.schedule_type);
  if (typeof schedule === 'string') {
    return { ok: false, message: schedule };
  }
  const update: ConfigUpdate = { ...schedule };

  const margin = readInteger(value, 'checkin_margin', 0, MAX_MINUTES);
  const runtime = readInteger(value, 'max_runtime', 1, MAX_MINUTES);
  const failures = readInteger(value, 'failure_issue_threshold', 1, MAX_THRESHOLD);
  const recoveries = readInteger(value, 'recovery_threshold', 1, MAX_THRESHOLD);
  for (const result of [margin, runtime, failures, recoveries]) {
    if (typeof result === 'string') {
      return { ok: false, message: result };
    }
  }

  // Sentry still accepts a margin of 0 from older SDKs and stores it as 1.
  setIfPresent(update, 'checkin_margin', margin === 0 ? 1 : margin);
  setIfPresent(update, 'max_runtime', runtime);
  setIfPresent(update, 'failure_issue_threshold', failures);
  setIfPresent(update, 'recovery_threshold', recoveries);

  const timeZone = value.timezone;
  if (timeZone !== undefined && timeZone !== null && timeZone !== '') {
    if (typeof timeZone !== 'string' || !isKnownTimeZone(timeZone)) {
      return { ok: false, message: `Unknown timezone ${JSON.stringify(timeZone)}` };
    }
    update.timezone = timeZone;
  }

  return { ok: true, update };
}

/** Builds a new monitor's config; undefined when the update has no schedule. */
export function createConfig(update: ConfigUpdate): MonitorConfig | undefined {
  if (update.schedule_type === undefined || update.schedule === undefined) {
    return undefined;
  }
  return {
    schedule_type: update.schedule_type,
    schedule: update.schedule,
    ...EMPTY_CONFIG,
    ...update,
  };
}

/** Reads a stored config, filling keys that older rows may lack. */
export function readStoredConfig(json: string): MonitorConfig {
  const { schedule_type: scheduleType, schedule, ...options } = JSON.parse(json) as MonitorConfig;
  return { schedule_type: scheduleType, schedule, ...EMPTY_CONFIG, ...options };
}

function parseSchedule(schedule: unknown, scheduleType: unknown): ConfigUpdate | string {
  let type = scheduleType;
  let body = schedule;

  if (isRecord(schedule) && schedule.type !== undefined) {
    type = schedule.type;
    body = schedule.type === 'interval' ? [schedule.value, schedule.unit] : schedule.value;
  }

  if (type === 'crontab') {
    if (typeof body !== 'string') {
      return "Invalid schedule for 'crontab' type";
    }
    const crontab = normalizeCrontab(body);
    if (crontab.startsWith('@')) {
      return 'Schedule was not parseable';
    }
    const parsed = parseCrontab(crontab);
    return parsed.ok
      ? { schedule_type: 'crontab', schedule: crontab }
      : `Schedule is invalid: ${parsed.message}`;
  }

  if (type === 'interval') {
    if (!Array.isArray(body) || body.length !== 2) {
      return "Invalid schedule for 'interval' type";
    }
    const [count, unit] = body as [unknown, unknown];
    if (!Number.isSafeInteger(count) || (count as number) <= 0) {
      return 'Interval must be a whole number greater than zero';
    }
    if (!INTERVAL_UNITS.includes(unit as IntervalUnit)) {
      return `Invalid interval unit ${JSON.stringify(unit)}: use ${INTERVAL_UNITS.join(', ')}`;
    }
    const maxCount = MAX_INTERVAL_COUNT[unit as IntervalUnit];
    if ((count as number) > maxCount) {
      return `Interval of ${String(count)} ${String(unit)}s is too long: use at most ${maxCount}`;
    }
    return { schedule_type: 'interval', schedule: [count as number, unit as IntervalUnit] };
  }

  return 'Missing or invalid schedule type';
}

/** Returns the integer, null, undefined when the key is absent, or a message. */
function readInteger(
  record: Record<string, unknown>,
  key: string,
  min: number,
  max: number,
): number | null | undefined | string {
  if (!(key in record)) {
    return undefined;
  }

  const raw = record[key];
  if (raw === null || raw === '') {
    return null;
  }

  const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
    return `Invalid ${key} ${JSON.stringify(raw)}: use a whole number from ${min} to ${max}`;
  }
  return value as number;
}

function setIfPresent(
  update: ConfigUpdate,
  key: 'checkin_margin' | 'max_runtime' | 'failure_issue_threshold' | 'recovery_threshold',
  value: number | null | undefined | string,
) {
  if (value !== undefined && typeof value !== 'string') {
    update[key] = value;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
