import type { Kysely } from 'kysely';
import { z } from 'zod';

import type { Database } from '../../platform/db/index.js';
import { ValidationError } from '../../platform/errors.js';
import { recordActivity } from './issue-activity.js';
import type { IssueRecord } from './issue-repository.js';
import {
  assignIssue,
  markSeen,
  resolveAssignee,
  setBookmark,
  setSubscription,
  type Assignee,
} from './issue-user-state.js';
import {
  applyStatusChange,
  planStatusChange,
  presentStatusDetails,
  statusDetailsSchema,
} from './issue-workflow-status.js';

const updateSchema = z.object({
  status: z.enum(['resolved', 'resolvedInNextRelease', 'unresolved', 'ignored']).optional(),
  substatus: z.string().max(64).nullish(),
  statusDetails: statusDetailsSchema.optional(),
  assignedTo: z.string().max(320).nullish(),
  isBookmarked: z.boolean().optional(),
  isSubscribed: z.boolean().optional(),
  hasSeen: z.boolean().optional(),
  inbox: z.boolean().optional(),
  merge: z.boolean().optional(),
  discard: z.boolean().optional(),
});

export type IssueUpdate = z.infer<typeof updateSchema>;

/**
 * Parses the body of an issue update.
 * @throws ValidationError naming the first invalid field.
 */
export function parseIssueUpdate(body: unknown): IssueUpdate {
  const parsed = updateSchema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? 'body';
    throw new ValidationError(
      field === 'status'
        ? 'Invalid issue update: status must be resolved, resolvedInNextRelease, unresolved or ignored'
        : `Invalid issue update: ${field}: ${issue?.message ?? 'invalid value'}`,
    );
  }
  if (parsed.data.merge === true && parsed.data.discard === true) {
    throw new ValidationError('Invalid issue update: merge and discard cannot be combined');
  }
  return parsed.data;
}

interface UpdateContext {
  organizationId: number;
  userId: number;
}

/**
 * Applies the per-issue fields of an update (status, assignment, bookmark, subscription, seen
 * and inbox) to one issue inside the caller's transaction, writing an activity entry for each
 * status and assignment change. The assignee must already be resolved.
 */
export async function applyIssueUpdate(
  trx: Kysely<Database>,
  issue: IssueRecord,
  update: IssueUpdate,
  assignee: Assignee | undefined,
  context: UpdateContext,
): Promise<Record<string, unknown> | undefined> {
  const issueRef = { id: issue.id, projectId: issue.projectId };
  let statusDetails: Record<string, unknown> | undefined;

  if (update.status !== undefined) {
    const change = await planStatusChange(
      trx,
      {
        id: issue.id,
        projectId: issue.projectId,
        organizationId: context.organizationId,
        timesSeen: Number(issue.timesSeen),
        userCount: Number(issue.userCount),
      },
      { status: update.status, substatus: update.substatus, statusDetails: update.statusDetails },
      context.userId,
    );
    await applyStatusChange(trx, issueRef, change, context.userId);
    statusDetails = presentStatusDetails(change.status, change.details, null);
  }
  if (assignee !== undefined) {
    await assignIssue(
      trx,
      { ...issueRef, assigneeUserId: issue.assigneeUserId, assigneeTeamId: issue.assigneeTeamId },
      assignee,
      context.userId,
    );
  }
  if (update.isBookmarked !== undefined) {
    await setBookmark(trx, issue.id, context.userId, update.isBookmarked);
  }
  if (update.isSubscribed !== undefined) {
    await setSubscription(trx, issue.id, context.userId, update.isSubscribed, 'unknown');
  }
  if (update.hasSeen === true) {
    await markSeen(trx, issue.id, context.userId);
  }
  if (update.hasSeen === false) {
    await trx
      .deleteFrom('issueSeen')
      .where('issueId', '=', issue.id)
      .where('userId', '=', context.userId)
      .execute();
  }
  if (update.inbox === false) {
    await markReviewed(trx, issueRef, context.userId);
  }
  return statusDetails;
}

/** Takes an unresolved issue out of review: its substatus becomes `ongoing`. */
async function markReviewed(
  trx: Kysely<Database>,
  issue: { id: number; projectId: number },
  userId: number,
) {
  const result = await trx
    .updateTable('issues')
    .set({ substatus: 'ongoing' })
    .where('id', '=', issue.id)
    .where('status', '=', 'unresolved')
    .where('substatus', 'in', ['new', 'regressed', 'escalating'])
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) > 0) {
    await recordActivity(trx, {
      issueId: issue.id,
      projectId: issue.projectId,
      userId,
      type: 'mark_reviewed',
      data: {},
    });
  }
}

/** Resolves `assignedTo` when the update has one; undefined leaves the assignment alone. */
export async function resolveUpdateAssignee(
  db: Kysely<Database>,
  organizationId: number,
  update: IssueUpdate,
): Promise<Assignee | undefined> {
  if (update.assignedTo === undefined) {
    return undefined;
  }
  return resolveAssignee(db, organizationId, update.assignedTo);
}
