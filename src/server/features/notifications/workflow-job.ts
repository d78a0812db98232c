import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import { enqueueDeliveries, type NewDelivery } from './deliveries.js';
import { issueUrl, notificationSettingsUrl } from './links.js';
import { loadProjectRecipients, type Recipient } from './recipients.js';
import { renderWorkflowEmail, type WorkflowIssue } from './workflow-email.js';
import { claimMark, readMark } from './notification-marks.js';
import { chooseWorkflowRecipients } from './workflow-recipients.js';

/** The `notification_marks` key of the last issue activity id handed to workflow e-mail. */
export const WORKFLOW_CURSOR_KEY = 'workflow-activity';

/**
 * Activity types that send workflow e-mail: assignment, comments, resolution and regression.
 * `set_resolved_in_commit` and `set_resolved_by_age` are Sentry's names for resolutions that
 * Picket does not record yet.
 */
const NOTIFYING_TYPES = new Set([
  'assigned',
  'note',
  'set_resolved',
  'set_resolved_in_release',
  'set_resolved_in_commit',
  'set_resolved_by_age',
  'set_regression',
]);

export interface WorkflowRunOptions {
  /** The start of links in messages: `notificationBaseUrl(config)`. */
  baseUrl: string;
  /** The clock, for tests. */
  now?: () => number;
  /** Activity rows per transaction. */
  batchSize?: number;
  /** Transactions per run; the rest waits for the next run. */
  maxBatches?: number;
  /**
   * How long a gap in activity ids may hold the cursor back. On PostgreSQL a transaction can
   * commit a lower id after a higher one is visible. So rows after a fresh gap wait this long
   * for the missing ids, which never appear when their rows were rolled back or deleted.
   */
  gapGraceMs?: number;
}

export interface WorkflowRunResult {
  activities: number;
  enqueued: number;
}

interface ActivityRow {
  id: number;
  issueId: number;
  userId: number | null;
  type: string;
  data: string;
  createdAt: number;
}

/**
 * Turns new issue activity into workflow e-mail in the outbox. Rows are read after the cursor in
 * id order. Each batch moves the cursor and enqueues its messages in one transaction, so a crash
 * neither sends a row twice nor skips one, and of two processes only the one that moved the
 * cursor enqueues. The first run starts at the newest row, so history is never mailed.
 */
export async function runWorkflowNotifications(
  db: Kysely<Database>,
  options: WorkflowRunOptions,
): Promise<WorkflowRunResult> {
  const total: WorkflowRunResult = { activities: 0, enqueued: 0 };
  const maxBatches = options.maxBatches ?? 10;

  for (let batch = 0; batch < maxBatches; batch += 1) {
    const result = await runBatch(db, options);
    total.activities += result.activities;
    total.enqueued += result.enqueued;
    if (!result.more) {
      break;
    }
  }
  return total;
}

async function runBatch(
  db: Kysely<Database>,
  options: WorkflowRunOptions,
): Promise<WorkflowRunResult & { more: boolean }> {
  const now = (options.now ?? Date.now)();
  const batchSize = options.batchSize ?? 200;
  const mark = await readMark(db, WORKFLOW_CURSOR_KEY);

  if (mark === undefined) {
    const newest = await db
      .selectFrom('issueActivity')
      .select((eb) => eb.fn.max('id').as('maxId'))
      .executeTakeFirst();
    await claimMark(db, WORKFLOW_CURSOR_KEY, undefined, String(newest?.maxId ?? 0), now);
    return { activities: 0, enqueued: 0, more: false };
  }

  const cursor = Number(mark.value);
  const rows = await db
    .selectFrom('issueActivity')
    .select(['id', 'issueId', 'userId', 'type', 'data', 'createdAt'])
    .where('id', '>', cursor)
    .orderBy('id')
    .limit(batchSize)
    .execute();
  const ready = takeCommitted(rows.map(toActivityRow), cursor, now, options.gapGraceMs ?? 0);
  const last = ready.at(-1);
  if (last === undefined) {
    return { activities: 0, enqueued: 0, more: false };
  }

  return db.transaction().execute(async (trx) => {
    const claimed = await claimMark(trx, WORKFLOW_CURSOR_KEY, mark.value, String(last.id), now);
    if (!claimed) {
      return { activities: 0, enqueued: 0, more: false };
    }

    const deliveries = await buildDeliveries(trx, ready, options.baseUrl);
    await enqueueDeliveries(trx, deliveries, now);
    return {
      activities: ready.length,
      enqueued: deliveries.length,
      more: ready.length === rows.length && rows.length === batchSize,
    };
  });
}

function toActivityRow(row: {
  id: number;
  issueId: number;
  userId: number | null;
  type: string;
  data: string;
  createdAt: number;
}): ActivityRow {
  return {
    id: Number(row.id),
    issueId: Number(row.issueId),
    userId: row.userId === null ? null : Number(row.userId),
    type: row.type,
    data: row.data,
    createdAt: Number(row.createdAt),
  };
}

/** Returns the rows before the first gap in ids that is younger than the grace period. */
function takeCommitted(
  rows: ActivityRow[],
  cursor: number,
  now: number,
  gapGraceMs: number,
): ActivityRow[] {
  let expected = cursor + 1;
  for (const [index, row] of rows.entries()) {
    if (row.id !== expected && now - row.createdAt < gapGraceMs) {
      return rows.slice(0, index);
    }
    expected = row.id + 1;
  }
  return rows;
}

async function buildDeliveries(
  db: Kysely<Database>,
  rows: readonly ActivityRow[],
  baseUrl: string,
): Promise<NewDelivery[]> {
  const notifying = rows.filter((row) => NOTIFYING_TYPES.has(row.type));
  if (notifying.length === 0) {
    return [];
  }

  const issueIds = [...new Set(notifying.map((row) => row.issueId))];
  const issues = await loadIssues(db, issueIds, baseUrl);
  const subscriptions = await loadSubscriptions(db, issueIds);
  const actorNames = await loadUserNames(
    db,
    notifying.flatMap((row) => (row.userId === null ? [] : [row.userId])),
  );
  const recipientsByProject = new Map<number, Recipient[]>();
  const settingsUrl = notificationSettingsUrl(baseUrl);
  const deliveries: NewDelivery[] = [];

  for (const row of notifying) {
    const issue = issues.get(row.issueId);
    if (issue === undefined) {
      continue;
    }
    let visible = recipientsByProject.get(issue.projectId);
    if (visible === undefined) {
      visible = await loadProjectRecipients(db, issue.projectId);
      recipientsByProject.set(issue.projectId, visible);
    }

    const data = parseData(row.data);
    const assigneeId =
      row.type === 'assigned' && data.assigneeType === 'user' ? Number(data.assignee) : null;
    const assigneeTeamUserIds =
      row.type === 'assigned' && data.assigneeType === 'team'
        ? await loadTeamUserIds(db, Number(data.assignee))
        : undefined;
    const chosen = chooseWorkflowRecipients(visible, {
      actorId: row.userId,
      subscriptions: subscriptions.get(row.issueId) ?? new Map<number, boolean>(),
      assigneeId,
      ...(assigneeTeamUserIds === undefined ? {} : { assigneeTeamUserIds }),
    });
    const activity = {
      type: row.type,
      data,
      actorName: row.userId === null ? null : (actorNames.get(row.userId) ?? 'A former user'),
    };
    for (const { recipient, reason } of chosen) {
      deliveries.push({
        source: 'workflow',
        channel: 'email',
        target: recipient.email,
        payload: renderWorkflowEmail(activity, issue, reason, settingsUrl),
        organizationId: issue.organizationId,
        projectId: issue.projectId,
        issueId: issue.id,
        userId: recipient.userId,
      });
    }
  }
  return deliveries;
}

function parseData(data: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(data);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    // Activity data is written by Picket as JSON, so this only guards against a damaged row.
    return {};
  }
}

async function loadIssues(
  db: Kysely<Database>,
  issueIds: readonly number[],
  baseUrl: string,
): Promise<Map<number, WorkflowIssue>> {
  const rows = await db
    .selectFrom('issues')
    .innerJoin('projects', 'projects.id', 'issues.projectId')
    .innerJoin('organizations', 'organizations.id', 'projects.organizationId')
    .select([
      'issues.id',
      'issues.title',
      'issues.shortIdNumber',
      'issues.projectId',
      'projects.slug as projectSlug',
      'projects.organizationId',
      'organizations.slug as organizationSlug',
    ])
    .where('issues.id', 'in', issueIds)
    .execute();
  return new Map(
    rows.map((row) => [
      Number(row.id),
      {
        id: Number(row.id),
        title: row.title,
        // The same short id as the issue API shows: the project slug and the number in base 36.
        shortId: `${row.projectSlug.toUpperCase()}-${Number(row.shortIdNumber).toString(36).toUpperCase()}`,
        projectSlug: row.projectSlug,
        projectId: Number(row.projectId),
        organizationId: Number(row.organizationId),
        url: issueUrl(baseUrl, row.organizationSlug, Number(row.id)),
      },
    ]),
  );
}

async function loadSubscriptions(
  db: Kysely<Database>,
  issueIds: readonly number[],
): Promise<Map<number, Map<number, boolean>>> {
  const rows = await db
    .selectFrom('issueSubscriptions')
    .select(['issueId', 'userId', 'isSubscribed'])
    .where('issueId', 'in', issueIds)
    .execute();
  const byIssue = new Map<number, Map<number, boolean>>();
  for (const row of rows) {
    const users = byIssue.get(Number(row.issueId)) ?? new Map<number, boolean>();
    users.set(Number(row.userId), Number(row.isSubscribed) === 1);
    byIssue.set(Number(row.issueId), users);
  }
  return byIssue;
}

async function loadUserNames(
  db: Kysely<Database>,
  userIds: readonly number[],
): Promise<Map<number, string>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) {
    return new Map();
  }
  const rows = await db
    .selectFrom('users')
    .select(['id', 'name', 'email'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((row) => [Number(row.id), row.name || row.email]));
}

async function loadTeamUserIds(db: Kysely<Database>, teamId: number): Promise<Set<number>> {
  const rows = await db
    .selectFrom('teamMembers')
    .innerJoin('organizationMembers', 'organizationMembers.id', 'teamMembers.memberId')
    .select('organizationMembers.userId')
    .where('teamMembers.teamId', '=', teamId)
    .execute();
  return new Set(rows.map((row) => Number(row.userId)));
}
