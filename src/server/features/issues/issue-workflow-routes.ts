import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';

import { AuthError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { readPage, setPageLinks } from '../../platform/http/pagination.js';
import type { Scope } from '../accounts/index.js';
import { listActivity, loadUserSummaries, recordActivity } from './issue-activity.js';
import { deleteIssues, unmergeHashes } from './issue-merge.js';
import { registerIssueCollectionRoute, toList } from './issue-route-helpers.js';
import type { IssueParams, IssueRoutesOptions, ResolvedIssue } from './issue-routes.js';
import { setSubscription } from './issue-user-state.js';
import { bulkDeleteIssues } from './issue-workflow-bulk.js';

/** Loads the issue named in the path and checks the caller's scope in its organization. */
export type IssueResolver = (
  request: FastifyRequest<{ Params: IssueParams }>,
  scope: Scope,
) => Promise<ResolvedIssue>;

const commentSchema = z.object({ text: z.string().trim().min(1).max(10_000) });

function parseComment(body: unknown): string {
  const parsed = commentSchema.safeParse(body ?? {});
  if (!parsed.success) {
    throw new ValidationError(
      'Invalid comment: text must have 1 to 10,000 characters, not counting spaces at either end',
    );
  }
  return parsed.data.text;
}

/**
 * Comments, the activity timeline, merged hashes with unmerge, and issue deletion, under
 * Sentry's organization-scoped and short issue paths.
 */
export function registerIssueWorkflowRoutes(
  app: FastifyInstance,
  options: IssueRoutesOptions,
  resolveIssue: IssueResolver,
): void {
  const { db, organizations } = options;

  registerIssueCollectionRoute(app, organizations, 'DELETE', 'event:admin', (...args) =>
    bulkDeleteIssues(options, ...args),
  );

  for (const prefix of ['/api/0/organizations/:org/issues/:issueId', '/api/0/issues/:issueId']) {
    app.delete<{ Params: IssueParams }>(`${prefix}/`, async (request, reply) => {
      const { issue, access } = await resolveIssue(request, 'event:admin');
      const blobKeys = await db
        .transaction()
        .execute((trx) => deleteIssues(trx, [issue], { discard: false, actorId: access.userId }));
      await options.deleteBlobs?.(blobKeys, request);
      return reply.status(202).send();
    });

    app.get<{ Params: IssueParams }>(`${prefix}/activities/`, async (request) => {
      const { issue } = await resolveIssue(request, 'event:read');
      return { activity: await listActivity(db, issue.id, 100) };
    });

    app.post<{ Params: IssueParams }>(`${prefix}/comments/`, async (request, reply) => {
      const { issue, access } = await resolveIssue(request, 'event:write');
      const text = parseComment(request.body);
      const id = await db.transaction().execute(async (trx) => {
        const activityId = await recordActivity(trx, {
          issueId: issue.id,
          projectId: issue.projectId,
          userId: access.userId,
          type: 'note',
          data: { text },
        });
        await setSubscription(trx, issue.id, access.userId, true, 'comment', true);
        return activityId;
      });
      return reply.status(201).send(await findComment(issue.id, String(id)));
    });

    app.put<{ Params: IssueParams & { activityId: string } }>(
      `${prefix}/comments/:activityId/`,
      async (request) => {
        const { issue, access } = await resolveIssue(request, 'event:write');
        const comment = await findOwnComment(issue.id, request.params.activityId, access.userId);
        const text = parseComment(request.body);
        await db
          .updateTable('issueActivity')
          .set({ data: JSON.stringify({ text }) })
          .where('id', '=', comment.id)
          .execute();
        return findComment(issue.id, String(comment.id));
      },
    );

    app.delete<{ Params: IssueParams & { activityId: string } }>(
      `${prefix}/comments/:activityId/`,
      async (request, reply) => {
        const { issue, access } = await resolveIssue(request, 'event:write');
        const comment = await findOwnComment(issue.id, request.params.activityId, access.userId);
        await db.deleteFrom('issueActivity').where('id', '=', comment.id).execute();
        return reply.status(204).send();
      },
    );

    app.get<{ Params: IssueParams }>(`${prefix}/hashes/`, async (request, reply) => {
      const { issue } = await resolveIssue(request, 'event:read');
      const hashes = await options.issues.listHashes(issue.id);
      const page = readPage(request.query as Record<string, unknown>);
      setPageLinks(request, reply, page, hashes.length > page.offset + page.limit);
      const shown = hashes.slice(page.offset, page.offset + page.limit);
      return Promise.all(
        shown.map(async (row) => {
          const latest = await db
            .selectFrom('events')
            .select(['id', 'eventId', 'title', 'timestamp'])
            .where('issueId', '=', issue.id)
            .where('primaryHash', '=', row.hash)
            .orderBy('timestamp', 'desc')
            .executeTakeFirst();
          return {
            id: row.hash,
            latestEvent:
              latest === undefined
                ? null
                : {
                    id: String(latest.id),
                    eventID: latest.eventId,
                    title: latest.title,
                    dateCreated: new Date(Number(latest.timestamp)).toISOString(),
                  },
            mergedBySeer: false,
          };
        }),
      );
    });

    app.delete<{ Params: IssueParams }>(`${prefix}/hashes/`, async (request, reply) => {
      const { issue, access } = await resolveIssue(request, 'event:write');
      const hashes = [...new Set(toList((request.query as Record<string, unknown>).id))];
      if (hashes.length === 0) {
        throw new ValidationError('Give the hashes to unmerge as id parameters');
      }
      const newIssueId = await db
        .transaction()
        .execute((trx) => unmergeHashes(trx, issue.id, hashes, access.userId));
      return reply.status(202).send({ id: String(newIssueId) });
    });
  }

  async function findComment(issueId: number, activityId: string) {
    const row = await db
      .selectFrom('issueActivity')
      .select(['id', 'userId', 'type', 'data', 'createdAt'])
      .where('issueId', '=', issueId)
      .where('id', '=', Number(activityId))
      .executeTakeFirst();
    if (row === undefined) {
      throw new NotFoundError('Comment not found');
    }
    const users = await loadUserSummaries(db, row.userId === null ? [] : [Number(row.userId)]);
    return {
      id: String(row.id),
      type: row.type,
      data: JSON.parse(row.data) as Record<string, unknown>,
      dateCreated: new Date(Number(row.createdAt)).toISOString(),
      user: row.userId === null ? null : (users.get(Number(row.userId)) ?? null),
    };
  }

  async function findOwnComment(issueId: number, activityId: string, userId: number) {
    if (!/^\d{1,15}$/.test(activityId)) {
      throw new NotFoundError('Comment not found');
    }
    const row = await db
      .selectFrom('issueActivity')
      .select(['id', 'userId'])
      .where('issueId', '=', issueId)
      .where('id', '=', Number(activityId))
      .where('type', '=', 'note')
      .executeTakeFirst();
    if (row === undefined) {
      throw new NotFoundError('Comment not found');
    }
    if (row.userId === null || Number(row.userId) !== userId) {
      throw new AuthError(403, 'Only the author can change or delete a comment');
    }
    return { id: Number(row.id) };
  }
}
