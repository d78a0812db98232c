import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Chart periods of Sentry's issue API: 24 hourly points, or 14 or 30 daily points. */
export type StatsPeriod = '24h' | '14d' | '30d';

const PERIODS: Record<StatsPeriod, { bucketMs: number; points: number }> = {
  '24h': { bucketMs: HOUR_MS, points: 24 },
  '14d': { bucketMs: DAY_MS, points: 14 },
  '30d': { bucketMs: DAY_MS, points: 30 },
};

/** Reads a `groupStatsPeriod` or `statsPeriod` value; `auto` is taken as `24h`. */
export function readStatsPeriod(value: unknown): StatsPeriod | undefined {
  if (value === '' || value === undefined) {
    return undefined;
  }
  if (value === 'auto') {
    return '24h';
  }
  return typeof value === 'string' && value in PERIODS ? (value as StatsPeriod) : undefined;
}

/**
 * Events per bucket for each issue, as Sentry's `[[unix seconds, count], ...]`: the last bucket
 * is the one that holds `now`, and buckets without events count 0. Daily buckets start at
 * midnight UTC.
 */
export async function loadIssueStats(
  db: Kysely<Database>,
  issueIds: readonly number[],
  period: StatsPeriod,
  now = Date.now(),
): Promise<Map<number, [number, number][]>> {
  const { bucketMs, points } = PERIODS[period];
  const lastBucket = Math.floor(now / bucketMs) * bucketMs;
  const firstBucket = lastBucket - (points - 1) * bucketMs;
  const stats = new Map<number, [number, number][]>();

  for (const issueId of issueIds) {
    stats.set(
      issueId,
      Array.from({ length: points }, (_, index): [number, number] => [
        (firstBucket + index * bucketMs) / 1000,
        0,
      ]),
    );
  }
  if (issueIds.length === 0) {
    return stats;
  }

  const rows = await db
    .selectFrom('issueHourlyCounts')
    .select(['issueId', 'hour', 'count'])
    .where('issueId', 'in', [...issueIds])
    .where('hour', '>=', firstBucket)
    .where('hour', '<', lastBucket + bucketMs)
    .execute();

  for (const row of rows) {
    const series = stats.get(Number(row.issueId));
    const index = Math.floor((Number(row.hour) - firstBucket) / bucketMs);
    const point = series?.[index];
    if (point !== undefined) {
      point[1] += Number(row.count);
    }
  }
  return stats;
}
