import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { readPage, requestOrigin, setPageLinks } from '../../platform/http/pagination.js';
import type { EventRepository } from '../events/index.js';
import { eventSearchConditions, serializeEvent } from '../events/index.js';
import {
  canAccessProject,
  listAccessibleProjects,
  resolveOrganization,
  resolveProject,
  type OrganizationAccess,
  type OrganizationRepository,
} from '../organizations/index.js';
import { readTimeWindow } from '../search/index.js';
import { registerIssueListRoutes } from './issue-list-routes.js';
import { presentIssues } from './issue-presenter.js';
import type { IssueRecord, IssueRepository } from './issue-repository.js';
import { registerIssueCollectionRoute, toList } from './issue-route-helpers.js';
import { serializeIssue, serializeTagSummary } from './issue-serializer.js';
import { registerIssueWorkflowRoutes, type IssueResolver } from './issue-workflow-routes.js';
import { bulkUpdateIssues, updateOneIssue } from './issue-workflow-bulk.js';

export interface IssueRoutesOptions {
  db: Kysely<Database>;
  organizations: OrganizationRepository;
  issues: IssueRepository;
  events: EventRepository;
  /** Finds a stored transaction, which the project event endpoint also returns by event id. */
  findTransactionEvent?: (
    projectId: number,
    eventId: string,
  ) => Promise<Record<string, unknown> | undefined>;
  publicUrl: string | undefined;
  /**
   * Repositories over the read replica for the issue list and search, the event list and tag
   * distributions; the primary's are used when unset.
   */
  replica?: { db: Kysely<Database>; issues: IssueRepository; events: EventRepository };
  /** Deletes the blobs of attachments whose issues were deleted, after the commit. */
  deleteBlobs?: (blobKeys: string[], request: FastifyRequest) => Promise<void>;
}

export interface ResolvedIssue {
  issue: IssueRecord;
  access: OrganizationAccess;
}

export type IssueParams = { org?: string; issueId: string };

/** Issue list, detail, update, events, hashes and tags, under Sentry's paths. */
export function registerIssueRoutes(app: FastifyInstance, options: IssueRoutesOptions): void {
  const { organizations, issues, events } = options;
  const baseUrl = (request: FastifyRequest) => options.publicUrl ?? requestOrigin(request);
  const present = async (request: FastifyRequest, resolved: ResolvedIssue) => {
    const [issue] = await presentIssues(options.db, [resolved.issue], {
      baseUrl: baseUrl(request),
      orgSlug: resolved.access.organization.slug,
      userId: resolved.access.userId,
      statsPeriods: ['24h', '30d'],
      detail: true,
    });
    return issue;
  };

  registerIssueListRoutes(app, options);

  const resolveIssue: IssueResolver = async (request, scope) => {
    const { org, issueId } = request.params;
    if (!/^\d{1,15}$/.test(issueId)) {
      throw new NotFoundError('Issue not found');
    }

    const issue = await issues.findById(Number(issueId));
    if (issue === undefined) {
      throw new NotFoundError('Issue not found');
    }

    const organizationId = await organizations.findOrganizationIdOfProject(issue.projectId);
    const organizationSlug = org ?? String(organizationId ?? '');
    // An issue of another organization reads as a missing issue, not a missing organization,
    // so the response does not reveal which ids exist.
    const access = await resolveOrganization(request, organizations, organizationSlug, scope).catch(
      (error: unknown) => {
        throw error instanceof NotFoundError ? new NotFoundError('Issue not found') : error;
      },
    );
    const project = await organizations.findProject(
      access.organization.id,
      String(issue.projectId),
    );
    if (project === undefined || !(await canAccessProject(organizations, access, project.id))) {
      throw new NotFoundError('Issue not found');
    }
    return { issue, access };
  };

  registerIssueCollectionRoute(app, organizations, 'PUT', 'event:write', (...args) =>
    bulkUpdateIssues(options, ...args),
  );

  for (const prefix of ['/api/0/organizations/:org/issues/:issueId', '/api/0/issues/:issueId']) {
    app.get<{ Params: IssueParams }>(`${prefix}/`, async (request) => {
      const resolved = await resolveIssue(request, 'event:read');
      return present(request, resolved);
    });

    app.put<{ Params: IssueParams }>(`${prefix}/`, async (request, reply) => {
      const resolved = await resolveIssue(request, 'event:write');
      const issue = await updateOneIssue(options, request, resolved);
      if (issue === undefined) {
        return reply.status(204).send();
      }
      return present(request, { ...resolved, issue });
    });

    app.get<{ Params: IssueParams }>(`${prefix}/events/`, async (request, reply) => {
      const resolved = await resolveIssue(request, 'event:read');
      const query = request.query as Record<string, unknown>;
      if (query.query !== undefined && typeof query.query !== 'string') {
        throw new ValidationError('Invalid "query": expected one value, got several');
      }
      const conditions = eventSearchConditions(query.query, {
        environments: toList(query.environment).filter((name) => name !== ''),
        window: readTimeWindow(query),
      });
      const page = readPage(query);
      const rows = await (options.replica?.events ?? events).listByIssue(
        resolved.issue.id,
        page.offset,
        page.limit,
        conditions,
      );
      setPageLinks(request, reply, page, rows.length > page.limit);
      const full = (request.query as Record<string, unknown>).full === 'true';
      return rows.slice(0, page.limit).map((row) => {
        const event = serializeEvent(row);
        return full ? event : summarizeForList(event);
      });
    });

    app.get<{ Params: IssueParams & { eventId: string } }>(
      `${prefix}/events/:eventId/`,
      async (request) => {
        const resolved = await resolveIssue(request, 'event:read');
        const { eventId } = request.params;
        const row =
          eventId === 'latest' || eventId === 'recommended'
            ? await events.findEdge(resolved.issue.id, 'latest')
            : eventId === 'oldest'
              ? await events.findEdge(resolved.issue.id, 'oldest')
              : await events.findByEventId(
                  [resolved.issue.projectId],
                  eventId.replaceAll('-', '').toLowerCase(),
                );
        if (row?.issueId !== resolved.issue.id) {
          throw new NotFoundError('Event not found');
        }
        const neighbors = await events.findNeighbors(row);
        return serializeEvent(row, {
          previousEventID: neighbors.previous,
          nextEventID: neighbors.next,
        });
      },
    );

    app.get<{ Params: IssueParams }>(`${prefix}/tags/`, async (request) => {
      const resolved = await resolveIssue(request, 'event:read');
      const tags = await (options.replica?.issues ?? issues).summarizeTagValues(
        resolved.issue.id,
        10,
      );
      return serializeTagSummary(tags);
    });

    app.get<{ Params: IssueParams & { key: string } }>(
      `${prefix}/tags/:key/values/`,
      async (request) => {
        const resolved = await resolveIssue(request, 'event:read');
        const summaries = await (options.replica?.issues ?? issues).summarizeTagValues(
          resolved.issue.id,
          100,
          request.params.key,
        );
        return serializeTagSummary(summaries)[0]?.topValues ?? [];
      },
    );
  }

  registerIssueWorkflowRoutes(app, options, resolveIssue);

  app.get<{ Params: { org: string; eventId: string } }>(
    '/api/0/organizations/:org/eventids/:eventId/',
    async (request) => {
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        'event:read',
      );
      const projects = await listAccessibleProjects(organizations, access);
      const eventId = request.params.eventId.replaceAll('-', '').toLowerCase();
      const row = await events.findByEventId(
        projects.map((project) => project.id),
        eventId,
      );
      const project = projects.find((candidate) => candidate.id === row?.projectId);
      if (row === undefined || project === undefined) {
        throw new NotFoundError('Event not found');
      }
      return {
        organizationSlug: access.organization.slug,
        projectSlug: project.slug,
        groupId: String(row.issueId),
        eventId: row.eventId,
        event: serializeEvent(row),
      };
    },
  );

  app.get<{ Params: { org: string; shortId: string } }>(
    '/api/0/organizations/:org/shortids/:shortId/',
    async (request) => {
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        'event:read',
      );
      const issue = await issues.findByShortId(access.organization.id, request.params.shortId);
      if (issue === undefined) {
        throw new NotFoundError('Issue not found');
      }
      const group = serializeIssue(issue, {
        baseUrl: baseUrl(request),
        orgSlug: access.organization.slug,
      });
      return {
        organizationSlug: access.organization.slug,
        projectSlug: issue.projectSlug,
        groupId: group.id,
        shortId: group.shortId,
        group,
      };
    },
  );

  app.get<{ Params: { org: string; project: string; eventId: string } }>(
    '/api/0/projects/:org/:project/events/:eventId/',
    async (request) => {
      const { project } = await resolveProject(
        request,
        organizations,
        request.params,
        'event:read',
      );
      const eventId = request.params.eventId.replaceAll('-', '').toLowerCase();
      const row = await events.findByEventId([project.id], eventId);
      if (row === undefined) {
        const transaction = await options.findTransactionEvent?.(project.id, eventId);
        if (transaction !== undefined) {
          return transaction;
        }
        throw new NotFoundError('Event not found');
      }
      const neighbors = await events.findNeighbors(row);
      return serializeEvent(row, {
        previousEventID: neighbors.previous,
        nextEventID: neighbors.next,
      });
    },
  );
}

function summarizeForList(event: Record<string, unknown>) {
  return {
    id: event.id,
    eventID: event.eventID,
    groupID: event.groupID,
    projectID: event.projectID,
    title: event.title,
    message: event.message,
    platform: event.platform,
    dateCreated: event.dateCreated,
    tags: event.tags,
    user: event.user,
    'event.type': event.type,
  };
}
