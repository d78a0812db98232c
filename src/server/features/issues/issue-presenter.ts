import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import { listActivity, loadUserSummaries, type UserSummary } from './issue-activity.js';
import type { IssueRecord } from './issue-repository.js';
import { serializeIssue } from './issue-serializer.js';
import { loadIssueStats, type StatsPeriod } from './issue-stats.js';
import { presentStatusDetails, readStoredDetails } from './issue-workflow-status.js';

export interface PresentOptions {
  baseUrl: string;
  orgSlug: string;
  /** The user asking, for the per-user fields (`isBookmarked`, `hasSeen`, ...). */
  userId: number;
  /** Chart periods to include under `stats`; none leaves `stats` out. */
  statsPeriods?: readonly StatsPeriod[];
  /** Adds what only the issue page shows: `activity`, `seenBy` and `participants`. */
  detail?: boolean;
}

/**
 * Turns issue rows into Sentry's issue objects, loading what the rows do not hold (charts, the
 * assignee, comment counts and the per-user fields) with one query per kind for the whole list.
 */
export async function presentIssues(
  db: Kysely<Database>,
  rows: readonly IssueRecord[],
  options: PresentOptions,
): Promise<Record<string, unknown>[]> {
  const ids = rows.map((row) => row.id);
  const charts = await Promise.all(
    (options.statsPeriods ?? []).map(
      async (period) => [period, await loadIssueStats(db, ids, period)] as const,
    ),
  );
  const state = await loadWorkflowState(db, rows, options.userId);

  const presented: Record<string, unknown>[] = [];
  for (const row of rows) {
    const issue: Record<string, unknown> = serializeIssue(row, options);
    if (charts.length > 0) {
      issue.stats = Object.fromEntries(
        charts.map(([period, stats]) => [period, stats.get(row.id) ?? []]),
      );
    }
    const details = readStoredDetails(row.statusDetails);
    const actor = details.actorId == null ? null : (state.users.get(details.actorId) ?? null);
    issue.statusDetails = presentStatusDetails(row.status, details, actor);
    issue.assignedTo = presentAssignee(row, state);
    issue.numComments = state.comments.get(row.id) ?? 0;
    issue.isBookmarked = state.bookmarks.has(row.id);
    issue.hasSeen = state.seen.has(row.id);
    const subscription = state.subscriptions.get(row.id);
    issue.isSubscribed = subscription?.isSubscribed === true;
    issue.subscriptionDetails =
      subscription === undefined
        ? null
        : subscription.isSubscribed
          ? { reason: subscription.reason }
          : { disabled: true };
    if (options.detail === true) {
      Object.assign(issue, await loadIssuePageFields(db, row));
    }
    presented.push(issue);
  }
  return presented;
}

interface WorkflowState {
  users: Map<number, UserSummary>;
  teams: Map<number, { id: string; name: string }>;
  comments: Map<number, number>;
  bookmarks: Set<number>;
  seen: Set<number>;
  subscriptions: Map<number, { isSubscribed: boolean; reason: string }>;
}

async function loadWorkflowState(
  db: Kysely<Database>,
  rows: readonly IssueRecord[],
  userId: number,
): Promise<WorkflowState> {
  const ids = rows.map((row) => row.id);
  const state: WorkflowState = {
    users: new Map(),
    teams: new Map(),
    comments: new Map(),
    bookmarks: new Set(),
    seen: new Set(),
    subscriptions: new Map(),
  };
  if (ids.length === 0) {
    return state;
  }

  const userIds = rows.flatMap((row) => {
    const actorId = readStoredDetails(row.statusDetails).actorId;
    return [row.assigneeUserId, actorId].flatMap((id) => (id == null ? [] : [Number(id)]));
  });
  state.users = await loadUserSummaries(db, userIds);

  const teamIds = rows.flatMap((row) =>
    row.assigneeTeamId === null ? [] : [Number(row.assigneeTeamId)],
  );
  if (teamIds.length > 0) {
    const teams = await db
      .selectFrom('teams')
      .select(['id', 'slug'])
      .where('id', 'in', teamIds)
      .execute();
    for (const team of teams) {
      state.teams.set(Number(team.id), { id: String(team.id), name: team.slug });
    }
  }

  const comments = await db
    .selectFrom('issueActivity')
    .select((eb) => ['issueId', eb.fn.countAll<number>().as('count')])
    .where('issueId', 'in', ids)
    .where('type', '=', 'note')
    .groupBy('issueId')
    .execute();
  for (const row of comments) {
    state.comments.set(Number(row.issueId), Number(row.count));
  }

  const [bookmarks, seen, subscriptions] = await Promise.all([
    db
      .selectFrom('issueBookmarks')
      .select('issueId')
      .where('userId', '=', userId)
      .where('issueId', 'in', ids)
      .execute(),
    db
      .selectFrom('issueSeen')
      .select('issueId')
      .where('userId', '=', userId)
      .where('issueId', 'in', ids)
      .execute(),
    db
      .selectFrom('issueSubscriptions')
      .select(['issueId', 'isSubscribed', 'reason'])
      .where('userId', '=', userId)
      .where('issueId', 'in', ids)
      .execute(),
  ]);
  for (const row of bookmarks) {
    state.bookmarks.add(Number(row.issueId));
  }
  for (const row of seen) {
    state.seen.add(Number(row.issueId));
  }
  for (const row of subscriptions) {
    state.subscriptions.set(Number(row.issueId), {
      isSubscribed: Number(row.isSubscribed) === 1,
      reason: row.reason,
    });
  }
  return state;
}

function presentAssignee(row: IssueRecord, state: WorkflowState) {
  if (row.assigneeUserId !== null) {
    const user = state.users.get(Number(row.assigneeUserId));
    return user === undefined ? null : { type: 'user', ...user };
  }
  if (row.assigneeTeamId !== null) {
    const team = state.teams.get(Number(row.assigneeTeamId));
    return team === undefined ? null : { type: 'team', ...team };
  }
  return null;
}

/** Loads the issue page's timeline, the members who opened the issue and its participants. */
async function loadIssuePageFields(db: Kysely<Database>, row: IssueRecord) {
  const activity = await listActivity(db, row.id, 100);
  const seenRows = await db
    .selectFrom('issueSeen')
    .select('userId')
    .where('issueId', '=', row.id)
    .orderBy('lastSeen', 'desc')
    .execute();
  const [commenters, subscribers] = await Promise.all([
    db
      .selectFrom('issueActivity')
      .select('userId')
      .distinct()
      .where('issueId', '=', row.id)
      .where('type', '=', 'note')
      .execute(),
    db
      .selectFrom('issueSubscriptions')
      .select('userId')
      .where('issueId', '=', row.id)
      .where('isSubscribed', '=', 1)
      .execute(),
  ]);
  const participantIds = new Set<number>();
  for (const entry of [...commenters, ...subscribers]) {
    if (entry.userId !== null) {
      participantIds.add(Number(entry.userId));
    }
  }
  if (row.assigneeUserId !== null) {
    participantIds.add(Number(row.assigneeUserId));
  }
  const users = await loadUserSummaries(db, [
    ...participantIds,
    ...seenRows.map((entry) => Number(entry.userId)),
  ]);
  const known = (id: number) => users.get(id) ?? [];
  return {
    activity,
    seenBy: seenRows.flatMap((entry) => known(Number(entry.userId))),
    participants: [...participantIds].flatMap(known),
  };
}
