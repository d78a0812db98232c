const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const RELATIVE_UNITS: { unit: Intl.RelativeTimeFormatUnit; ms: number }[] = [
  { unit: 'year', ms: 365 * DAY_MS },
  { unit: 'month', ms: 30 * DAY_MS },
  { unit: 'week', ms: 7 * DAY_MS },
  { unit: 'day', ms: DAY_MS },
  { unit: 'hour', ms: HOUR_MS },
  { unit: 'minute', ms: MINUTE_MS },
];

const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'always' });
const compactNumberFormat = new Intl.NumberFormat('en', {
  notation: 'compact',
  maximumFractionDigits: 1,
});
const dateTimeFormat = new Intl.DateTimeFormat('en', {
  dateStyle: 'medium',
  timeStyle: 'medium',
});
const timeFormat = new Intl.DateTimeFormat('en', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
  hour12: false,
});

/**
 * Formats a timestamp relative to `now`, as "5 minutes ago" or "in 2 hours". Anything within
 * a minute either way reads "a few seconds ago", which also absorbs small clock skew between
 * the SDK's host and the browser.
 */
export function formatRelativeTime(date: Date, now: number = Date.now()): string {
  const elapsedMs = now - date.getTime();

  if (Math.abs(elapsedMs) < MINUTE_MS) {
    return 'a few seconds ago';
  }

  for (const { unit, ms } of RELATIVE_UNITS) {
    if (Math.abs(elapsedMs) >= ms) {
      return relativeFormat.format(-Math.floor(elapsedMs / ms), unit);
    }
  }

  return relativeFormat.format(-Math.floor(elapsedMs / MINUTE_MS), 'minute');
}

/** Formats a date with its date and time of day in the browser's time zone. */
export function formatDateTime(date: Date): string {
  return dateTimeFormat.format(date);
}

/** Formats the time of day with milliseconds, as breadcrumb timestamps need. */
export function formatTimeOfDay(date: Date): string {
  return timeFormat.format(date);
}

/**
 * Parses an API timestamp: an ISO 8601 string, or seconds since the epoch as SDKs send in
 * breadcrumbs. Returns null when the value is missing or not a valid date.
 */
export function parseTimestamp(value: string | number | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') {
    return null;
  }

  const date = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Formats a count compactly, as "1.2K", for counts the API may send as strings. */
export function formatCount(value: string | number): string {
  const count = Number(value);
  return Number.isFinite(count) ? compactNumberFormat.format(count) : String(value);
}

/** Formats a share of a total as a whole percentage, with "<1%" for small non-zero shares. */
export function formatPercent(part: number, total: number): string {
  if (total <= 0) {
    return '0%';
  }

  const percent = (part / total) * 100;
  if (percent > 0 && percent < 1) {
    return '<1%';
  }

  return `${Math.round(percent)}%`;
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
const byteFormat = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

/**
 * Formats a byte count in binary units with at most one decimal, as "23.5 GiB". Negative and
 * non-finite numbers are not sizes, so they are returned as they are.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) {
    return String(bytes);
  }

  let value = bytes;
  let unitIndex = 0;

  // Compares the rounded value, so that 1,048,575 bytes read "1 MiB" and not "1,024 KiB".
  while (unitIndex < BYTE_UNITS.length - 1 && Math.round(value * 10) / 10 >= 1024) {
    value /= 1024;
    unitIndex += 1;
  }

  return `${byteFormat.format(value)} ${BYTE_UNITS[unitIndex] ?? 'B'}`;
}

/**
 * Renders an arbitrary JSON value from an event as display text: strings as they are, and
 * everything else as indented JSON.
 */
export function formatJsonValue(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }

  if (value === undefined) {
    return 'undefined';
  }

  return JSON.stringify(value, null, 2);
}
