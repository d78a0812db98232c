import { ValidationError } from '../../platform/errors.js';
import { MAX_QUERY_LENGTH, parseDateValue } from './search-syntax.js';

/**
 * Rejects a search query longer than `MAX_QUERY_LENGTH` characters.
 * @throws ValidationError naming the length and the maximum.
 */
export function checkQueryLength(query: string): void {
  if (query.length > MAX_QUERY_LENGTH) {
    throw new ValidationError(
      `Invalid search: the query is ${query.length} characters long, the maximum is ${MAX_QUERY_LENGTH}`,
    );
  }
}

/**
 * The maximum number of filters in one search. Each becomes a subquery, and PostgreSQL's planning time
 * grows much faster than their number (seconds at 100), so a longer search is rejected.
 */
export const MAX_SEARCH_FILTERS = 30;

/** @throws ValidationError when a search contains more than `MAX_SEARCH_FILTERS` filters. */
export function checkFilterCount(count: number): void {
  if (count > MAX_SEARCH_FILTERS) {
    throw new ValidationError(
      `Invalid search: it has ${count} filters, the maximum is ${MAX_SEARCH_FILTERS}`,
    );
  }
}

/** A time range in epoch milliseconds, both ends included. */
export interface TimeWindow {
  start: number;
  end: number;
}

const PERIOD = /^(\d{1,6})([smhdw])$/;
const UNIT_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Reads Sentry's time parameters: `statsPeriod` (`24h`, `14d`, `30m`, `2w`) ending now, or else
 * `start` and `end` (ISO 8601, both required together). Like Sentry, a non-empty `statsPeriod`
 * wins over `start` and `end`. Returns undefined when none is given.
 * @throws ValidationError for a malformed or inverted value.
 */
export function readTimeWindow(
  query: Record<string, unknown>,
  now = Date.now(),
): TimeWindow | undefined {
  const period = single(query, 'statsPeriod');
  if (period !== undefined && period !== '') {
    const match = PERIOD.exec(period);
    if (match?.[1] === undefined || match[2] === undefined) {
      throw new ValidationError(
        `Invalid statsPeriod ${JSON.stringify(period)}: use a number and a unit (s, m, h, d or w), e.g. 24h or 14d`,
      );
    }
    return { start: now - Number(match[1]) * (UNIT_MS[match[2]] ?? 0), end: now };
  }

  const start = single(query, 'start');
  const end = single(query, 'end');
  if (start === undefined && end === undefined) {
    return undefined;
  }
  if (start === undefined || end === undefined) {
    throw new ValidationError('Invalid time range: "start" and "end" must be given together');
  }
  const window = { start: parseTime('start', start), end: parseTime('end', end) };
  if (window.start > window.end) {
    throw new ValidationError(`Invalid time range: start ${start} is after end ${end}`);
  }
  return window;
}

function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new ValidationError(`Invalid "${name}": expected one value, got several`);
  }
  return value;
}

function parseTime(name: string, value: string): number {
  // parseDateValue reads a time without a zone as UTC, as Sentry does.
  const date = parseDateValue(value);
  if (date === undefined) {
    throw new ValidationError(
      `Invalid "${name}" ${JSON.stringify(value)}: use an ISO 8601 time, e.g. 2024-01-31T10:00:00Z`,
    );
  }
  return Date.parse(date.parsed.value);
}
