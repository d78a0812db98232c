import { ERROR_STAT_CATEGORIES, STATS_FIELD, type StatsQuery } from './stats-query.js';
import type { OutcomeTotalRow } from './stats-repository.js';

/** One group of Sentry's stats_v2 response. */
export interface StatsGroup {
  by: Record<string, string | number>;
  totals: Record<string, number>;
  series: Record<string, number[]>;
}

export interface StatsResponse {
  start: string;
  end: string;
  intervals: string[];
  groups: StatsGroup[];
}

/**
 * Sums outcome rows into Sentry's stats_v2 shape: one group per distinct value of the
 * `groupBy` dimensions, each with its total and its series over the intervals. Reasons are
 * reported as `none` when empty (accepted outcomes), and `default` and `security` as `error`.
 */
export function buildStatsResponse(query: StatsQuery, rows: OutcomeTotalRow[]): StatsResponse {
  const intervalCount = (query.endMs - query.startMs) / query.intervalMs;
  const groups = new Map<string, StatsGroup>();

  for (const row of rows) {
    const by = groupValues(query, row);
    const key = JSON.stringify(by);
    let group = groups.get(key);
    if (group === undefined) {
      group = {
        by,
        totals: { [STATS_FIELD]: 0 },
        series: { [STATS_FIELD]: new Array<number>(intervalCount).fill(0) },
      };
      groups.set(key, group);
    }

    const index = Math.floor((row.hour - query.startMs) / query.intervalMs);
    const series = group.series[STATS_FIELD];
    if (series !== undefined && index >= 0 && index < intervalCount) {
      series[index] = (series[index] ?? 0) + row.quantity;
      group.totals[STATS_FIELD] = (group.totals[STATS_FIELD] ?? 0) + row.quantity;
    }
  }

  const intervals = Array.from({ length: intervalCount }, (_, index) =>
    formatTime(query.startMs + index * query.intervalMs),
  );

  return {
    start: formatTime(query.startMs),
    end: formatTime(query.endMs),
    intervals,
    groups: [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, group]) => group),
  };
}

function groupValues(query: StatsQuery, row: OutcomeTotalRow): Record<string, string | number> {
  const by: Record<string, string | number> = {};
  for (const dimension of query.groupBy) {
    if (dimension === 'project') {
      by.project = row.projectId;
    } else if (dimension === 'category') {
      by.category = ERROR_STAT_CATEGORIES.includes(row.category) ? 'error' : row.category;
    } else if (dimension === 'reason') {
      by.reason = row.reason === '' ? 'none' : row.reason;
    } else {
      by.outcome = row.outcome;
    }
  }
  return by;
}

/** Formats a time as Sentry's stats do: ISO 8601 in UTC without milliseconds. */
function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
