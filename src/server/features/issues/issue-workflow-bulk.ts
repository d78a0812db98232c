import type { FastifyReply, FastifyRequest } from 'fastify';

import { ValidationError } from '../../platform/errors.js';
import { resolveOrganization, type OrganizationAccess } from '../organizations/index.js';
import { deleteIssues, mergeIssues } from './issue-merge.js';
import { readTimeWindow } from '../search/index.js';
import { parseIssueQuery } from './issue-query.js';
import type { IssueRecord } from './issue-repository.js';
import { toList } from './issue-route-helpers.js';
import type { IssueRoutesOptions, ResolvedIssue } from './issue-routes.js';
import {
  applyIssueUpdate,
  parseIssueUpdate,
  resolveUpdateAssignee,
  type IssueUpdate,
} from './issue-workflow-update.js';

/** Sentry's limit on the issues one bulk update or delete by `query` may change. */
export const BULK_LIMIT = 1_000;

const UPDATE_FIELDS = [
  'status',
  'assignedTo',
  'isBookmarked',
  'isSubscribed',
  'hasSeen',
  'inbox',
  'merge',
  'discard',
] as const;

/**
 * Applies an update to one issue. Returns the updated issue, or undefined when the update
 * discarded it. Discarding needs `event:admin`.
 */
export async function updateOneIssue(
  options: IssueRoutesOptions,
  request: FastifyRequest,
  resolved: ResolvedIssue,
): Promise<IssueRecord | undefined> {
  const update = parseIssueUpdate(request.body);
  const { access, issue } = resolved;
  if (update.merge === true) {
    throw new ValidationError('Merging needs the bulk update with two or more issue ids');
  }
  if (update.discard === true) {
    await requireAdmin(options, request, access);
    const blobKeys = await options.db
      .transaction()
      .execute((trx) => deleteIssues(trx, [issue], { discard: true, actorId: access.userId }));
    await options.deleteBlobs?.(blobKeys, request);
    return undefined;
  }

  const assignee = await resolveUpdateAssignee(options.db, access.organization.id, update);
  await options.db.transaction().execute((trx) =>
    applyIssueUpdate(trx, issue, update, assignee, {
      organizationId: access.organization.id,
      userId: access.userId,
    }),
  );
  return (await options.issues.findById(issue.id)) ?? issue;
}

/**
 * Applies an update to the issues named by `id` parameters or, without them, to the issues
 * matching `query` (at most 1,000), as Sentry's bulk update does. `merge: true` merges them and
 * `discard: true` deletes them and drops their future events.
 */
export async function bulkUpdateIssues(
  options: IssueRoutesOptions,
  request: FastifyRequest,
  reply: FastifyReply,
  access: OrganizationAccess,
  projectIds: number[],
) {
  const update = parseIssueUpdate(request.body);
  if (UPDATE_FIELDS.every((field) => update[field] === undefined)) {
    throw new ValidationError(
      `Invalid issue update: give at least one of ${UPDATE_FIELDS.join(', ')}`,
    );
  }
  const hasIds = toList((request.query as Record<string, unknown>).id).length > 0;
  if (update.merge === true && !hasIds) {
    throw new ValidationError('Merging needs the issues as id parameters: ?id=1&id=2');
  }
  const targets = await findBulkTargets(options, request, access, projectIds);

  if (update.merge === true) {
    if (targets.length < 2) {
      throw new ValidationError(
        `Merging needs at least two issues of this organization; ${targets.length} of the given ids exist`,
      );
    }
    const merged = await options.db.transaction().execute((trx) =>
      mergeIssues(
        trx,
        targets.map((issue) => ({
          id: issue.id,
          projectId: issue.projectId,
          shortIdNumber: issue.shortIdNumber,
          projectSlug: issue.projectSlug,
          timesSeen: Number(issue.timesSeen),
        })),
        access.userId,
      ),
    );
    return reply.send({
      merge: { parent: String(merged.parent), children: merged.children.map(String) },
    });
  }

  if (update.discard === true) {
    await requireAdmin(options, request, access);
    const blobKeys = await options.db
      .transaction()
      .execute((trx) => deleteIssues(trx, targets, { discard: true, actorId: access.userId }));
    await options.deleteBlobs?.(blobKeys, request);
    return reply.status(204).send();
  }

  if (targets.length === 0) {
    return reply.status(204).send();
  }
  const assignee = await resolveUpdateAssignee(options.db, access.organization.id, update);
  let statusDetails: Record<string, unknown> | undefined;
  await options.db.transaction().execute(async (trx) => {
    for (const issue of targets) {
      statusDetails = await applyIssueUpdate(trx, issue, update, assignee, {
        organizationId: access.organization.id,
        userId: access.userId,
      });
    }
  });
  return reply.send(describeBulkResult(update, statusDetails));
}

/**
 * Deletes the issues named by `id` parameters or matching `query` (at most 1,000). A request
 * with neither is rejected, so that a bare DELETE cannot remove the newest unresolved issues.
 */
export async function bulkDeleteIssues(
  options: IssueRoutesOptions,
  request: FastifyRequest,
  reply: FastifyReply,
  access: OrganizationAccess,
  projectIds: number[],
) {
  const query = request.query as Record<string, unknown>;
  if (query.id === undefined && query.query === undefined) {
    throw new ValidationError('Name the issues to delete with id parameters or a query');
  }
  const targets = await findBulkTargets(options, request, access, projectIds);
  const blobKeys = await options.db
    .transaction()
    .execute((trx) => deleteIssues(trx, targets, { discard: false, actorId: access.userId }));
  await options.deleteBlobs?.(blobKeys, request);
  return reply.status(204).send();
}

async function findBulkTargets(
  options: IssueRoutesOptions,
  request: FastifyRequest,
  access: OrganizationAccess,
  projectIds: number[],
): Promise<IssueRecord[]> {
  const query = request.query as Record<string, unknown>;
  const idValues = [...new Set(toList(query.id))];
  const invalid = idValues.find((id) => !/^\d{1,15}$/.test(id));
  if (invalid !== undefined) {
    throw new ValidationError(`Invalid issue id ${JSON.stringify(invalid)}: use a number`);
  }
  if (idValues.length > BULK_LIMIT) {
    throw new ValidationError(`Too many issue ids: give at most ${BULK_LIMIT}`);
  }
  if (idValues.length > 0) {
    const found = await Promise.all(idValues.map((id) => options.issues.findById(Number(id))));
    return found.filter(
      (issue): issue is IssueRecord => issue !== undefined && projectIds.includes(issue.projectId),
    );
  }
  // The same search, environments and time window as the list the user is looking at.
  const rows = await options.issues.list({
    projectIds,
    query: parseIssueQuery(typeof query.query === 'string' ? query.query : undefined),
    scope: {
      environments: toList(query.environment).filter((name) => name !== ''),
      window: readTimeWindow(query),
    },
    userId: access.userId,
    sort: 'date',
    offset: 0,
    limit: BULK_LIMIT,
  });
  return rows.slice(0, BULK_LIMIT);
}

async function requireAdmin(
  options: IssueRoutesOptions,
  request: FastifyRequest,
  access: OrganizationAccess,
) {
  await resolveOrganization(
    request,
    options.organizations,
    String(access.organization.id),
    'event:admin',
  );
}

function describeBulkResult(
  update: IssueUpdate,
  statusDetails: Record<string, unknown> | undefined,
) {
  const result: Record<string, unknown> = {};
  if (update.status !== undefined) {
    result.status = update.status === 'resolvedInNextRelease' ? 'resolved' : update.status;
    result.statusDetails = statusDetails ?? {};
  }
  for (const field of ['assignedTo', 'isBookmarked', 'isSubscribed', 'hasSeen', 'inbox'] as const) {
    if (update[field] !== undefined) {
      result[field] = update[field];
    }
  }
  return result;
}
