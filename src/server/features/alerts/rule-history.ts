import type { Kysely } from 'kysely';

import type {
  IssueAlertFiring,
  NotificationDelivery,
  RuleGroupHistory,
} from '../../../shared/api/alerts.js';
import type { Database } from '../../platform/db/index.js';
import { formatShortId } from '../issues/issue-serializer.js';
import { describeTarget } from '../notifications/deliveries.js';

const DELIVERY_LIMIT = 100;
const DAY_MS = 86_400_000;

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(Number(ms)).toISOString();
}

function parseReasons(text: string): string[] {
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

function deliveryQuery(db: Kysely<Database>) {
  return db
    .selectFrom('notificationDeliveries')
    .leftJoin('alertRules', 'alertRules.id', 'notificationDeliveries.ruleId')
    .select([
      'notificationDeliveries.id',
      'notificationDeliveries.source',
      'notificationDeliveries.ruleId',
      'alertRules.name as ruleName',
      'notificationDeliveries.issueId',
      'notificationDeliveries.firingId',
      'notificationDeliveries.channel',
      'notificationDeliveries.target',
      'notificationDeliveries.status',
      'notificationDeliveries.attempts',
      'notificationDeliveries.responseStatus',
      'notificationDeliveries.lastError',
      'notificationDeliveries.createdAt',
      'notificationDeliveries.finishedAt',
    ]);
}

type DeliveryRow = Awaited<ReturnType<ReturnType<typeof deliveryQuery>['execute']>>[number];

/** Serializes a delivery in the API's shape, with URLs shown without their secret parts. */
export function serializeDelivery(row: DeliveryRow): NotificationDelivery {
  return {
    id: String(row.id),
    source: row.source,
    ruleId: row.ruleId === null ? null : String(row.ruleId),
    ruleName: row.ruleName ?? null,
    issueId: row.issueId === null ? null : String(row.issueId),
    channel: row.channel,
    target: describeTarget(row.channel, row.target),
    status: row.status,
    attempts: Number(row.attempts),
    responseStatus: row.responseStatus === null ? null : Number(row.responseStatus),
    lastError: row.lastError,
    dateCreated: iso(row.createdAt) ?? '',
    dateFinished: iso(row.finishedAt),
  };
}

/** Lists the newest deliveries of a rule. */
export async function listRuleDeliveries(
  db: Kysely<Database>,
  ruleId: number,
): Promise<NotificationDelivery[]> {
  const rows = await deliveryQuery(db)
    .where('notificationDeliveries.ruleId', '=', ruleId)
    .orderBy('notificationDeliveries.createdAt', 'desc')
    .orderBy('notificationDeliveries.id', 'desc')
    .limit(DELIVERY_LIMIT)
    .execute();
  return rows.map(serializeDelivery);
}

/** The largest time a JavaScript Date can hold, in milliseconds from the epoch. */
const MAX_DATE_MS = 8.64e15;

/** Reads `start` and `end` (ISO dates or epoch ms) with the last 14 days as default. */
export function readPeriod(query: Record<string, unknown>, now = Date.now()) {
  const read = (value: unknown) => {
    if (typeof value !== 'string' || value === '') {
      return undefined;
    }
    const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    // PostgreSQL compares with a bigint, so a larger number would fail the query.
    return Number.isSafeInteger(ms) && Math.abs(ms) <= MAX_DATE_MS ? ms : undefined;
  };
  const end = read(query.end) ?? now;
  const start = read(query.start) ?? end - 14 * DAY_MS;
  return { start, end };
}

/** Sentry's group history of a rule: the issues it fired for in the period, most often first. */
export async function listGroupHistory(
  db: Kysely<Database>,
  ruleId: number,
  period: { start: number; end: number },
): Promise<RuleGroupHistory[]> {
  const firings = await db
    .selectFrom('alertFirings')
    .select(['issueId', 'eventId', 'firedAt'])
    .where('ruleId', '=', ruleId)
    .where('firedAt', '>=', period.start)
    .where('firedAt', '<=', period.end)
    .orderBy('firedAt', 'desc')
    .limit(10_000)
    .execute();
  const byIssue = new Map<number, { count: number; last: number; eventId: string | null }>();
  for (const firing of firings) {
    const issueId = Number(firing.issueId);
    const entry = byIssue.get(issueId);
    if (entry === undefined) {
      byIssue.set(issueId, { count: 1, last: Number(firing.firedAt), eventId: firing.eventId });
    } else {
      entry.count += 1;
    }
  }
  if (byIssue.size === 0) {
    return [];
  }
  const issues = await db
    .selectFrom('issues')
    .innerJoin('projects', 'projects.id', 'issues.projectId')
    .select([
      'issues.id',
      'issues.shortIdNumber',
      'projects.slug',
      'issues.title',
      'issues.culprit',
      'issues.status',
    ])
    .where('issues.id', 'in', [...byIssue.keys()])
    .execute();
  return issues
    .map((issue) => {
      const entry = byIssue.get(Number(issue.id)) ?? { count: 0, last: 0, eventId: null };
      return {
        group: {
          id: String(issue.id),
          shortId: formatShortId(issue.slug, Number(issue.shortIdNumber)),
          title: issue.title,
          culprit: issue.culprit === '' ? null : issue.culprit,
          status: issue.status,
        },
        count: entry.count,
        lastTriggered: new Date(entry.last).toISOString(),
        eventId: entry.eventId,
      };
    })
    .sort((a, b) => b.count - a.count || b.lastTriggered.localeCompare(a.lastTriggered));
}

/** Lists the firings of rules for an issue, newest first, each with its deliveries. */
export async function listIssueFirings(
  db: Kysely<Database>,
  issueId: number,
): Promise<IssueAlertFiring[]> {
  const firings = await db
    .selectFrom('alertFirings')
    .innerJoin('alertRules', 'alertRules.id', 'alertFirings.ruleId')
    .select([
      'alertFirings.id',
      'alertFirings.ruleId',
      'alertRules.name as ruleName',
      'alertFirings.eventId',
      'alertFirings.reasons',
      'alertFirings.firedAt',
    ])
    .where('alertFirings.issueId', '=', issueId)
    .orderBy('alertFirings.firedAt', 'desc')
    .orderBy('alertFirings.id', 'desc')
    .limit(DELIVERY_LIMIT)
    .execute();
  const ids = firings.map((firing) => Number(firing.id));
  const deliveries =
    ids.length === 0
      ? []
      : await deliveryQuery(db).where('notificationDeliveries.firingId', 'in', ids).execute();
  return firings.map((firing) => ({
    id: String(firing.id),
    ruleId: String(firing.ruleId),
    ruleName: firing.ruleName,
    eventId: firing.eventId,
    reasons: parseReasons(firing.reasons),
    dateFired: new Date(Number(firing.firedAt)).toISOString(),
    deliveries: deliveries
      .filter((row) => Number(row.firingId) === Number(firing.id))
      .map(serializeDelivery),
  }));
}
