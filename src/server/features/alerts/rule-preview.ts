import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import { readPayload } from '../events/event-serializer.js';
import { attachPayloadDictionaries } from '../events/payload-dictionaries.js';
import { evaluateRule, type EventView, type IssueSignals } from './rule-evaluator.js';
import type { ValidPreview } from './rule-validation.js';
import { FILTER_IDS } from '../../../shared/api/alerts.js';

/** How far back the preview looks, as Sentry's does. */
export const PREVIEW_DAYS = 14;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** The most recently seen issues replayed; older ones in the window are left out. */
const MAX_CANDIDATES = 1_000;

function parseTagLine(line: string | null): [string, string][] {
  return (line ?? '')
    .split('\n')
    .filter((part) => part.includes('='))
    .map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at), part.slice(at + 1)];
    });
}

/** Returns the most events in any run of whole hours as long as the window (at least one hour). */
function peakCount(hours: readonly { hour: number; count: number }[], minutes: number): number {
  const span = Math.max(1, Math.ceil(minutes / 60)) * HOUR_MS;
  let peak = 0;
  let start = 0;
  let sum = 0;
  for (let end = 0; end < hours.length; end += 1) {
    sum += hours[end]?.count ?? 0;
    while ((hours[start]?.hour ?? 0) <= (hours[end]?.hour ?? 0) - span) {
      sum -= hours[start]?.count ?? 0;
      start += 1;
    }
    peak = Math.max(peak, sum);
  }
  return peak;
}

/**
 * Replays a draft rule over the project's issues seen in the last 14 days and returns the ids
 * of those it would have fired for, most recently seen first. The replay approximates:
 * - a new issue is one whose first event falls in the window;
 * - regressions and escalations come from the issue's activity in the window;
 * - "first event in a release" holds when a release tag of the issue was first seen in the window;
 * - event counts come from hourly totals, so a window shorter than an hour is judged by the
 *   busiest hour (which can fire where the live rule would not); user counts are the distinct
 *   users of the whole 14 days;
 * - filters and the environment are checked against each issue's latest event only;
 * - the action interval is not applied: each issue appears once.
 */
export async function previewRule(
  db: Kysely<Database>,
  projectId: number,
  rule: ValidPreview,
  now = Date.now(),
): Promise<number[]> {
  const since = now - PREVIEW_DAYS * DAY_MS;
  const issues = await db
    .selectFrom('issues')
    .select(['id', 'type', 'firstSeen', 'timesSeen'])
    .where('projectId', '=', projectId)
    .where('lastSeen', '>=', since)
    .orderBy('lastSeen', 'desc')
    .limit(MAX_CANDIDATES)
    .execute();
  if (issues.length === 0) {
    return [];
  }
  const ids = issues.map((issue) => Number(issue.id));
  const activity = await db
    .selectFrom('issueActivity')
    .select(['issueId', 'type', 'userId'])
    .where('issueId', 'in', ids)
    .where('createdAt', '>=', since)
    .where('type', 'in', ['set_regression', 'set_escalating', 'set_unresolved'])
    .execute();
  const regressed = new Set(
    activity.filter((row) => row.type === 'set_regression').map((row) => Number(row.issueId)),
  );
  const escalated = new Set(
    activity
      .filter(
        (row) =>
          row.type === 'set_escalating' || (row.type === 'set_unresolved' && row.userId === null),
      )
      .map((row) => Number(row.issueId)),
  );
  const newRelease = new Set(
    (
      await db
        .selectFrom('issueTagValues')
        .select('issueId')
        .where('issueId', 'in', ids)
        .where('key', '=', 'release')
        .where('firstSeen', '>=', since)
        .execute()
    ).map((row) => Number(row.issueId)),
  );
  const readsPayload = rule.filters.some(
    (node) => node.id === FILTER_IDS.attribute || node.id === FILTER_IDS.context,
  );

  const hits: number[] = [];
  for (const issue of issues) {
    const issueId = Number(issue.id);
    const event = await db
      .selectFrom('events')
      .select(['level', 'environment', 'tagLine', 'payload', 'payloadDictionaryId'])
      .where('issueId', '=', issueId)
      .orderBy('timestamp', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (event === undefined) {
      continue;
    }
    let payload: Record<string, unknown> = {};
    if (readsPayload) {
      const [attached] = await attachPayloadDictionaries(db, [event]);
      if (attached !== undefined) {
        payload = readPayload(attached);
      }
    }
    const view: EventView = {
      level: event.level,
      environment: event.environment,
      tags: parseTagLine(event.tagLine),
      payload,
    };
    let hours: Promise<{ hour: number; count: number }[]> | undefined;
    const loadHours = () => {
      hours ??= db
        .selectFrom('issueHourlyCounts')
        .select(['hour', 'count'])
        .where('issueId', '=', issueId)
        .where('hour', '>=', since - HOUR_MS)
        .orderBy('hour')
        .execute()
        .then((rows) => rows.map((row) => ({ hour: Number(row.hour), count: Number(row.count) })));
      return hours;
    };
    const signals: IssueSignals = {
      firstSeen: Number(issue.firstSeen) >= since,
      regression: regressed.has(issueId),
      escalating: escalated.has(issueId),
      releaseFirstEvent: newRelease.has(issueId),
      countEvents: async (minutes) => peakCount(await loadHours(), minutes),
      countUsers: async () => {
        const row = await db
          .selectFrom('events')
          .select((eb) => eb.fn.count<number>('userTag').distinct().as('users'))
          .where('issueId', '=', issueId)
          .where('timestamp', '>=', since)
          .executeTakeFirst();
        return Number(row?.users ?? 0);
      },
    };
    const verdict = await evaluateRule(
      rule,
      view,
      { type: issue.type, firstSeen: Number(issue.firstSeen), timesSeen: Number(issue.timesSeen) },
      signals,
      now,
    );
    if (verdict.fires) {
      hits.push(issueId);
    }
  }
  return hits;
}
