import { ValidationError } from '../../platform/errors.js';

/**
 * Parsing of `GET /api/0/organizations/{org}/stats_v2/` parameters, following Sentry's
 * outcomes query: `field`, `groupBy`, `interval`, `statsPeriod` or `start`/`end`, `project`,
 * `category`, `outcome` and `reason`.
 */

export const STATS_FIELD = 'sum(quantity)';
export const STATS_GROUP_BYS = ['outcome', 'category', 'reason', 'project'] as const;
export type StatsGroupBy = (typeof STATS_GROUP_BYS)[number];

export const STATS_OUTCOMES = [
  'accepted',
  'filtered',
  'rate_limited',
  'invalid',
  'abuse',
  'client_discard',
  'cardinality_limited',
] as const;

/**
 * Categories that stats report under `error`: Sentry combines `default`, `error` and
 * `security` outcomes into one `error` category.
 */
export const ERROR_STAT_CATEGORIES = ['default', 'error', 'security'];

const ALLOWED_PARAMETERS = new Set([
  'field',
  'groupBy',
  'interval',
  'statsPeriod',
  'start',
  'end',
  'project',
  'category',
  'outcome',
  'reason',
  'utc',
]);

const HOUR_MS = 3_600_000;
const MAX_RANGE_MS = 90 * 24 * HOUR_MS;
const MAX_INTERVALS = 5_000;
const DURATION_PATTERN = /^(\d{1,6})([smhdw])$/;
const UNIT_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: HOUR_MS,
  d: 24 * HOUR_MS,
  w: 7 * 24 * HOUR_MS,
};

export interface StatsQuery {
  groupBy: StatsGroupBy[];
  intervalMs: number;
  startMs: number;
  endMs: number;
  /** Requested project ids; empty means every project the caller can see. */
  projectIds: number[];
  /** Stored categories to keep; empty means all. */
  categories: string[];
  outcomes: string[];
  reasons: string[];
}

/**
 * Parses the query string of a stats request.
 * @throws ValidationError with Sentry's messages (`Invalid field: "…"`, `Invalid groupBy: "…"`).
 */
export function parseStatsQuery(query: Record<string, unknown>, nowMs: number): StatsQuery {
  for (const name of Object.keys(query)) {
    if (!ALLOWED_PARAMETERS.has(name)) {
      throw new ValidationError(`Invalid parameter: ${JSON.stringify(name)}`);
    }
  }

  const fields = toList(query.field);
  if (fields.length === 0) {
    throw new ValidationError('Request is missing a "field"');
  }
  for (const field of fields) {
    if (field !== STATS_FIELD) {
      throw new ValidationError(
        `Invalid field: ${JSON.stringify(field)}; Picket supports only "${STATS_FIELD}"`,
      );
    }
  }

  const groupBy = toList(query.groupBy).map((name) => {
    if (!(STATS_GROUP_BYS as readonly string[]).includes(name)) {
      throw new ValidationError(`Invalid groupBy: ${JSON.stringify(name)}`);
    }
    return name as StatsGroupBy;
  });
  const categories = parseCategories(toList(query.category));
  if (categories.length === 0 && !groupBy.includes('category')) {
    throw new ValidationError('Query must have category as groupby or filter');
  }

  const outcomes = toList(query.outcome).map((outcome) => {
    if (!(STATS_OUTCOMES as readonly string[]).includes(outcome)) {
      throw new ValidationError(`Invalid outcome: ${JSON.stringify(outcome)}`);
    }
    return outcome;
  });

  return {
    groupBy: [...new Set(groupBy)],
    ...parseTimeRange(query, nowMs),
    projectIds: parseProjectIds(toList(query.project)),
    categories,
    outcomes,
    reasons: toList(query.reason),
  };
}

/**
 * Builds the time range as Sentry does: `end` is rounded up to a whole interval and `start`
 * is `end` minus the period rounded up to whole intervals.
 */
function parseTimeRange(query: Record<string, unknown>, nowMs: number) {
  const intervalMs = parseDuration(single(query.interval) ?? '1h', 'interval');
  if (intervalMs < HOUR_MS || intervalMs % HOUR_MS !== 0) {
    throw new ValidationError(
      'Invalid interval: outcomes are stored per hour, so use whole hours such as 1h, 6h or 1d',
    );
  }

  const startText = single(query.start);
  const endText = single(query.end);
  let startMs: number;
  let endMs: number;

  if (startText !== undefined || endText !== undefined) {
    if (startText === undefined || endText === undefined) {
      throw new ValidationError('Send both start and end, or statsPeriod');
    }
    startMs = parseDate(startText, 'start');
    endMs = parseDate(endText, 'end');
  } else {
    const periodMs = parseDuration(single(query.statsPeriod) ?? '24h', 'statsPeriod');
    endMs = nowMs;
    startMs = nowMs - periodMs;
  }

  if (endMs <= startMs) {
    throw new ValidationError('The end of the time range must be after its start');
  }
  if (endMs - startMs > MAX_RANGE_MS) {
    throw new ValidationError('The time range is longer than the 90 days Picket can report');
  }

  const rangeMs = Math.ceil((endMs - startMs) / intervalMs) * intervalMs;
  const roundedEndMs = Math.ceil(endMs / intervalMs) * intervalMs;
  if (rangeMs / intervalMs > MAX_INTERVALS) {
    throw new ValidationError('Too many intervals: choose a longer interval or a shorter period');
  }

  return { intervalMs, startMs: roundedEndMs - rangeMs, endMs: roundedEndMs };
}

function parseCategories(values: string[]): string[] {
  const categories = new Set<string>();
  for (const value of values) {
    if (!/^[a-z_]{1,64}$/.test(value)) {
      throw new ValidationError(`Invalid category: ${JSON.stringify(value.slice(0, 64))}`);
    }
    for (const category of value === 'error' ? ERROR_STAT_CATEGORIES : [value]) {
      categories.add(category);
    }
  }
  return [...categories];
}

function parseProjectIds(values: string[]): number[] {
  const ids = values.map((value) => {
    if (!/^-?\d{1,15}$/.test(value)) {
      throw new ValidationError(`Invalid project: ${JSON.stringify(value.slice(0, 40))}`);
    }
    return Number(value);
  });
  return ids.includes(-1) ? [] : [...new Set(ids)];
}

function parseDuration(value: string, name: string): number {
  const match = DURATION_PATTERN.exec(value);
  const unit = match?.[2] === undefined ? undefined : UNIT_MS[match[2]];
  if (match === null || unit === undefined || Number(match[1]) === 0) {
    throw new ValidationError(
      `Invalid ${name}: ${JSON.stringify(value.slice(0, 20))}; use a number and a unit, such as 24h or 7d`,
    );
  }
  return Number(match[1]) * unit;
}

function parseDate(value: string, name: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new ValidationError(`Invalid ${name}: ${JSON.stringify(value.slice(0, 40))}`);
  }
  return ms;
}

function single(value: unknown): string | undefined {
  return toList(value)[0];
}

function toList(value: unknown): string[] {
  if (value === undefined) {
    return [];
  }
  return (Array.isArray(value) ? value : [value]).filter(
    (entry): entry is string => typeof entry === 'string',
  );
}
