import { sql, type Kysely } from 'kysely';

import type { Database, Dialect } from '../../platform/db/index.js';
import { ProjectCache } from '../../platform/db/project-cache.js';
import { formatShortId } from '../issues/issue-serializer.js';
import { enqueueDeliveries } from '../notifications/deliveries.js';
import { issueUrl, notificationSettingsUrl } from '../notifications/links.js';
import type { PreparedEvent } from '../worker/prepare-event.js';
import { buildDeliveries, RecipientCache } from './rule-actions.js';
import { evaluateRule, type EventView, type IssueSignals } from './rule-evaluator.js';
import { eventMessage, topFrames, type AlertMessage } from './rule-messages.js';
import { RULE_COLUMNS, toRuleRecord, type RuleRecord } from './rule-repository.js';

/** How long a project's rules are used before they are read again. */
export const RULE_CACHE_MAX_AGE_MS = 2_000;

const HOUR_MS = 3_600_000;
const DAY_MINUTES = 1_440;

/** Options the worker passes down for alert messages. */
export interface AlertOptions {
  /** The start of links in messages: `notificationBaseUrl(config)`. */
  baseUrl: string;
}

/** The issues of a stored batch and what happened to them, for the rules. */
export interface StoredBatch {
  events: readonly PreparedEvent[];
  /** The issue of each event, in the order of `events`. */
  issueIds: readonly number[];
  /** Issues created by this batch. */
  newIssueIds: ReadonlySet<number>;
  /** Issues reopened by this batch, with their new substatus (`regressed`, `escalating`, `ongoing`). */
  transitions: ReadonlyMap<number, string>;
}

async function readActiveRules(db: Kysely<Database>, projectIds: number[]) {
  const rows = await db
    .selectFrom('alertRules')
    .innerJoin('projects', 'projects.id', 'alertRules.projectId')
    .select(RULE_COLUMNS)
    .where('alertRules.projectId', 'in', projectIds)
    .where('alertRules.status', '=', 'active')
    .orderBy('alertRules.id')
    .execute();
  const rules = new Map<number, RuleRecord[]>(projectIds.map((id) => [id, []]));
  for (const row of rows) {
    rules.get(Number(row.projectId))?.push(toRuleRecord(row));
  }
  return rules;
}

const ruleCache = new ProjectCache<RuleRecord[]>(readActiveRules, RULE_CACHE_MAX_AGE_MS);

/** Counts an issue's events (or distinct users) with a timestamp in the last `minutes`. */
async function countInWindow(
  trx: Kysely<Database>,
  issueId: number,
  minutes: number,
  now: number,
  users: boolean,
): Promise<number> {
  const since = now - minutes * 60_000;
  if (!users && minutes >= DAY_MINUTES) {
    // Hourly totals count long windows without reading every event. The first hour counts whole.
    const row = await trx
      .selectFrom('issueHourlyCounts')
      .select(sql<number>`coalesce(sum(count), 0)`.as('total'))
      .where('issueId', '=', issueId)
      .where('hour', '>=', Math.floor(since / HOUR_MS) * HOUR_MS)
      .executeTakeFirst();
    return Number(row?.total ?? 0);
  }
  const row = await trx
    .selectFrom('events')
    .select(
      users ? sql<number>`count(DISTINCT user_tag)`.as('total') : sql<number>`count(*)`.as('total'),
    )
    .where('issueId', '=', issueId)
    .where('timestamp', '>=', since)
    .where('timestamp', '<=', now)
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}

function memo(read: (minutes: number) => Promise<number>) {
  const cache = new Map<number, Promise<number>>();
  return (minutes: number) => {
    let found = cache.get(minutes);
    if (found === undefined) {
      found = read(minutes);
      cache.set(minutes, found);
    }
    return found;
  };
}

function parsePayload(event: PreparedEvent): Record<string, unknown> {
  try {
    const parsed = JSON.parse(event.json.toString('utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Claims the right to fire `rule` for `issue`: inserts the pair, or moves its `last_fired_at`
 * only when the action interval has passed. The row lock makes a second worker's claim wait
 * and then fail, so two workers never both fire.
 */
async function claimFiring(
  trx: Kysely<Database>,
  ruleId: number,
  issueId: number,
  frequencyMinutes: number,
  now: number,
): Promise<boolean> {
  const rows = await trx
    .insertInto('alertRuleIssues')
    .values({ ruleId, issueId, lastFiredAt: now })
    .onConflict((conflict) =>
      conflict
        .columns(['ruleId', 'issueId'])
        .doUpdateSet({ lastFiredAt: now })
        .where('alertRuleIssues.lastFiredAt', '<=', now - frequencyMinutes * 60_000),
    )
    .returning('ruleId')
    .execute();
  return rows.length > 0;
}

/** Finds the releases new to a batch's issues: every event of the issue's release tag came in this batch. */
async function findNewReleases(
  trx: Kysely<Database>,
  batch: StoredBatch,
  issueIds: readonly number[],
): Promise<Set<string>> {
  const inBatch = new Map<string, number>();
  batch.events.forEach((event, index) => {
    if (event.release !== null) {
      const key = `${batch.issueIds[index]}\u0000${event.release}`;
      inBatch.set(key, (inBatch.get(key) ?? 0) + 1);
    }
  });
  if (inBatch.size === 0) {
    return new Set();
  }
  const rows = await trx
    .selectFrom('issueTagValues')
    .select(['issueId', 'value', 'timesSeen'])
    .where('issueId', 'in', [...issueIds])
    .where('key', '=', 'release')
    .where('value', 'in', [...new Set(batch.events.flatMap((event) => event.release ?? []))])
    .execute();
  const fresh = new Set<string>();
  for (const row of rows) {
    const key = `${row.issueId}\u0000${row.value}`;
    if (Number(row.timesSeen) === inBatch.get(key)) {
      fresh.add(key);
    }
  }
  return fresh;
}

/**
 * Evaluates the active rules of the batch's projects for every issue that got new events,
 * against the issue's latest new event, inside the worker's transaction; fires the rules that
 * match and whose action interval has passed, and writes the firings and their outbox rows.
 * Returns the number of firings.
 */
export async function evaluateAlertRules(
  trx: Kysely<Database>,
  _dialect: Dialect,
  batch: StoredBatch,
  options: AlertOptions,
  now = Date.now(),
): Promise<number> {
  if (batch.events.length === 0) {
    return 0;
  }
  const projectIds = new Set(batch.events.map((event) => event.projectId));
  const rulesByProject = await ruleCache.load(trx, projectIds, now);
  if (![...rulesByProject.values()].some((rules) => rules.length > 0)) {
    return 0;
  }

  const latest = new Map<number, PreparedEvent>();
  batch.events.forEach((event, index) => {
    const issueId = batch.issueIds[index] ?? 0;
    const rules = rulesByProject.get(event.projectId);
    if (rules === undefined || rules.length === 0) {
      return;
    }
    const previous = latest.get(issueId);
    if (previous === undefined || event.timestamp >= previous.timestamp) {
      latest.set(issueId, event);
    }
  });
  const issueIds = [...latest.keys()];
  const issues = await trx
    .selectFrom('issues')
    .innerJoin('projects', 'projects.id', 'issues.projectId')
    .innerJoin('organizations', 'organizations.id', 'projects.organizationId')
    .select([
      'issues.id',
      'issues.projectId',
      'issues.shortIdNumber',
      'issues.title',
      'issues.culprit',
      'issues.type',
      'issues.level',
      'issues.status',
      'issues.firstSeen',
      'issues.lastSeen',
      'issues.timesSeen',
      'issues.userCount',
      'issues.assigneeUserId',
      'issues.assigneeTeamId',
      'projects.slug as projectSlug',
      'projects.name as projectName',
      'projects.organizationId',
      'organizations.slug as organizationSlug',
    ])
    .where('issues.id', 'in', issueIds)
    .execute();
  const newReleases = await findNewReleases(trx, batch, issueIds);
  const recipients = new RecipientCache(trx);
  let fired = 0;

  for (const issue of issues) {
    const issueId = Number(issue.id);
    const event = latest.get(issueId);
    const rules = rulesByProject.get(Number(issue.projectId)) ?? [];
    if (event === undefined || rules.length === 0) {
      continue;
    }
    let payload: Record<string, unknown> | undefined;
    const view: EventView = {
      level: event.level,
      environment: event.environment,
      tags: event.tags,
      get payload() {
        payload ??= parsePayload(event);
        return payload;
      },
    };
    const transition = batch.transitions.get(issueId);
    const signals: IssueSignals = {
      firstSeen: batch.newIssueIds.has(issueId),
      regression: transition === 'regressed',
      escalating: transition === 'escalating' || transition === 'ongoing',
      releaseFirstEvent:
        event.release !== null && newReleases.has(`${issueId}\u0000${event.release}`),
      countEvents: memo((minutes) => countInWindow(trx, issueId, minutes, now, false)),
      countUsers: memo((minutes) => countInWindow(trx, issueId, minutes, now, true)),
    };
    const issueView = {
      type: issue.type,
      firstSeen: Number(issue.firstSeen),
      timesSeen: Number(issue.timesSeen),
    };

    for (const rule of rules) {
      const verdict = await evaluateRule(rule, view, issueView, signals, now);
      if (!verdict.fires || !(await claimFiring(trx, rule.id, issueId, rule.frequency, now))) {
        continue;
      }
      const firing = await trx
        .insertInto('alertFirings')
        .values({
          ruleId: rule.id,
          projectId: rule.projectId,
          issueId,
          eventId: event.eventId,
          reasons: JSON.stringify(verdict.reasons),
          firedAt: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('alertRules')
        .set({ lastTriggered: now })
        .where('id', '=', rule.id)
        .execute();

      const url = issueUrl(options.baseUrl, issue.organizationSlug, issueId);
      const message: AlertMessage = {
        triggeredAt: now,
        rule: { id: rule.id, name: rule.name },
        reasons: verdict.reasons,
        project: { id: Number(issue.projectId), slug: issue.projectSlug, name: issue.projectName },
        issue: {
          id: issueId,
          shortId: formatShortId(issue.projectSlug, Number(issue.shortIdNumber)),
          title: issue.title,
          culprit: issue.culprit,
          level: issue.level,
          status: issue.status,
          firstSeen: Number(issue.firstSeen),
          lastSeen: Number(issue.lastSeen),
          count: Number(issue.timesSeen),
          userCount: Number(issue.userCount),
          url,
        },
        event: {
          eventId: event.eventId,
          timestamp: event.timestamp,
          level: event.level,
          message: eventMessage(view.payload),
          environment: event.environment,
          release: event.release,
          platform: event.platform,
          tags: event.tags,
          url: `${url}events/${event.eventId}/`,
          frames: topFrames(view.payload),
        },
        settingsUrl: notificationSettingsUrl(options.baseUrl),
      };
      const deliveries = await buildDeliveries(
        rule.actions,
        message,
        {
          source: 'rule',
          organizationId: Number(issue.organizationId),
          projectId: rule.projectId,
          ruleId: rule.id,
          firingId: Number(firing.id),
          issueId,
        },
        {
          userId: issue.assigneeUserId === null ? null : Number(issue.assigneeUserId),
          teamId: issue.assigneeTeamId === null ? null : Number(issue.assigneeTeamId),
        },
        recipients,
        now,
      );
      await enqueueDeliveries(trx, deliveries, now);
      fired += 1;
    }
  }
  return fired;
}
