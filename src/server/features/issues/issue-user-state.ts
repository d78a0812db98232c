import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import { ValidationError } from '../../platform/errors.js';
import { recordActivity } from './issue-activity.js';

/** Sets or clears a user's bookmark on an issue. */
export async function setBookmark(
  db: Kysely<Database>,
  issueId: number,
  userId: number,
  bookmarked: boolean,
): Promise<void> {
  if (!bookmarked) {
    await db
      .deleteFrom('issueBookmarks')
      .where('issueId', '=', issueId)
      .where('userId', '=', userId)
      .execute();
    return;
  }
  await db
    .insertInto('issueBookmarks')
    .values({ issueId, userId, createdAt: Date.now() })
    .onConflict((conflict) => conflict.columns(['issueId', 'userId']).doNothing())
    .execute();
}

/**
 * Records a subscription. An explicit choice (`implicit: false`) replaces any earlier one. An
 * implicit subscription (from commenting or an assignment) is only stored when the user has no
 * subscription row yet, so it never overrides an explicit unsubscribe.
 */
export async function setSubscription(
  db: Kysely<Database>,
  issueId: number,
  userId: number,
  subscribed: boolean,
  reason: string,
  implicit = false,
): Promise<void> {
  const row = { issueId, userId, isSubscribed: subscribed ? 1 : 0, reason, createdAt: Date.now() };
  await db
    .insertInto('issueSubscriptions')
    .values(row)
    .onConflict((conflict) =>
      implicit
        ? conflict.columns(['issueId', 'userId']).doNothing()
        : conflict
            .columns(['issueId', 'userId'])
            .doUpdateSet({ isSubscribed: row.isSubscribed, reason, createdAt: row.createdAt }),
    )
    .execute();
}

/** Records that a user opened the issue now. */
export async function markSeen(db: Kysely<Database>, issueId: number, userId: number) {
  const now = Date.now();
  await db
    .insertInto('issueSeen')
    .values({ issueId, userId, lastSeen: now })
    .onConflict((conflict) =>
      conflict.columns(['issueId', 'userId']).doUpdateSet({ lastSeen: now }),
    )
    .execute();
}

/** A resolved `assignedTo` value: a member, a team, or null to unassign. */
export type Assignee =
  { type: 'user'; id: number; email: string } | { type: 'team'; id: number; name: string } | null;

/**
 * Resolves Sentry's `assignedTo` (`user:<id>`, `team:<id>`, a member's e-mail, or `""`/null to
 * unassign) within an organization.
 * @throws ValidationError when the user is not a member or the team is not the organization's.
 */
export async function resolveAssignee(
  db: Kysely<Database>,
  organizationId: number,
  value: string | null,
): Promise<Assignee> {
  if (value === null || value.trim() === '') {
    return null;
  }
  const text = value.trim();
  const teamMatch = /^team:(\d{1,15})$/.exec(text);
  if (teamMatch !== null) {
    const team = await db
      .selectFrom('teams')
      .select(['id', 'slug'])
      .where('organizationId', '=', organizationId)
      .where('id', '=', Number(teamMatch[1]))
      .executeTakeFirst();
    if (team === undefined) {
      throw new ValidationError(
        `Invalid assignedTo: team ${teamMatch[1]} is not in this organization`,
      );
    }
    return { type: 'team', id: Number(team.id), name: team.slug };
  }

  const userMatch = /^(?:user:)?(\d{1,15})$/.exec(text);
  let query = db
    .selectFrom('organizationMembers')
    .innerJoin('users', 'users.id', 'organizationMembers.userId')
    .select(['users.id', 'users.email'])
    .where('organizationMembers.organizationId', '=', organizationId);
  query =
    userMatch === null
      ? query.where('users.email', '=', text.toLowerCase())
      : query.where('users.id', '=', Number(userMatch[1]));
  const user = await query.executeTakeFirst();
  if (user === undefined) {
    throw new ValidationError(
      `Invalid assignedTo: ${JSON.stringify(text)} is not a member of this organization`,
    );
  }
  return { type: 'user', id: Number(user.id), email: user.email };
}

/**
 * Stores an assignment, writes the `assigned` or `unassigned` activity and subscribes an
 * assigned user (reason `assigned`). Unchanged assignments write nothing.
 */
export async function assignIssue(
  db: Kysely<Database>,
  issue: {
    id: number;
    projectId: number;
    assigneeUserId: number | null;
    assigneeTeamId: number | null;
  },
  assignee: Assignee,
  actorId: number,
): Promise<void> {
  const userId = assignee?.type === 'user' ? assignee.id : null;
  const teamId = assignee?.type === 'team' ? assignee.id : null;
  const currentUser = issue.assigneeUserId === null ? null : Number(issue.assigneeUserId);
  const currentTeam = issue.assigneeTeamId === null ? null : Number(issue.assigneeTeamId);
  if (userId === currentUser && teamId === currentTeam) {
    return;
  }
  await db
    .updateTable('issues')
    .set({ assigneeUserId: userId, assigneeTeamId: teamId })
    .where('id', '=', issue.id)
    .execute();

  if (assignee === null) {
    await recordActivity(db, {
      issueId: issue.id,
      projectId: issue.projectId,
      userId: actorId,
      type: 'unassigned',
      data: {},
    });
    return;
  }
  await recordActivity(db, {
    issueId: issue.id,
    projectId: issue.projectId,
    userId: actorId,
    type: 'assigned',
    data:
      assignee.type === 'user'
        ? { assignee: String(assignee.id), assigneeType: 'user', assigneeEmail: assignee.email }
        : { assignee: String(assignee.id), assigneeType: 'team', assigneeName: assignee.name },
  });
  // NOTE: assigning a team subscribes none of its members.
  if (assignee.type === 'user') {
    await setSubscription(db, issue.id, assignee.id, true, 'assigned', true);
  }
}
