import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { readPage, requestOrigin, setPageLinks } from '../../platform/http/pagination.js';
import type { Scope } from '../accounts/index.js';
import type { EventRepository } from '../events/index.js';
import { serializeEvent } from '../events/index.js';
import {
  resolveOrganization,
  resolveProject,
  type OrganizationAccess,
  type OrganizationRepository,
} from '../organizations/index.js';
import { parseIssueQuery } from './issue-query.js';
import type { IssueRecord, IssueRepository, IssueSort } from './issue-repository.js';
import { serializeIssue, serializeTagSummary } from './issue-serializer.js';

export interface IssueRoutesOptions {
  organizations: OrganizationRepository;
  issues: IssueRepository;
  events: EventRepository;
  /** Finds a stored transaction, which the project event endpoint also returns by event id. */
  findTransactionEvent?: (
    projectId: number,
    eventId: string,
  ) => Promise<Record<string, unknown> | undefined>;
  publicUrl: string | undefined;
}

const updateSchema = z.object({
  status: z.enum(['resolved', 'resolvedInNextRelease', 'unresolved', 'ignored']).optional(),
  substatus: z.string().nullish(),
  statusDetails: z.record(z.string(), z.unknown()).optional(),
});

const SORTS = new Set<IssueSort>(['date', 'new', 'freq', 'user']);

interface ResolvedIssue {
  issue: IssueRecord;
  access: OrganizationAccess;
}

type IssueParams = { org?: string; issueId: string };

function toList(value: unknown): string[] {
  if (value === undefined) {
    return [];
  }
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Issue list, detail, update, events, hashes and tags, under Sentry's paths. */
export function registerIssueRoutes(app: FastifyInstance, options: IssueRoutesOptions): void {
  const { organizations, issues, events } = options;
  const baseUrl = (request: FastifyRequest) => options.publicUrl ?? requestOrigin(request);
  const present = (request: FastifyRequest, resolved: ResolvedIssue) =>
    serializeIssue(resolved.issue, {
      baseUrl: baseUrl(request),
      orgSlug: resolved.access.organization.slug,
    });

  async function resolveIssue(request: FastifyRequest<{ Params: IssueParams }>, scope: Scope) {
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
    const access = await resolveOrganization(request, organizations, organizationSlug, scope);
    const project = await organizations.findProject(
      access.organization.id,
      String(issue.projectId),
    );
    if (project === undefined) {
      throw new NotFoundError('Issue not found');
    }
    return { issue, access };
  }

  /** Ids of the organization's projects named by `project` parameters, or all when none (or -1). */
  async function selectedProjectIds(request: FastifyRequest, access: OrganizationAccess) {
    const projects = await organizations.listProjects(access.organization.id);
    const requested = toList((request.query as Record<string, unknown>).project).filter(
      (id) => id !== '-1',
    );
    return projects
      .filter((project) => requested.length === 0 || requested.includes(String(project.id)))
      .map((project) => project.id);
  }

  async function listIssues(
    request: FastifyRequest,
    reply: FastifyReply,
    access: OrganizationAccess,
    projectIds: number[],
  ) {
    const query = request.query as Record<string, unknown>;
    const page = readPage(query, 25);
    const sort = (typeof query.sort === 'string' ? query.sort : 'date') as IssueSort;
    if (!SORTS.has(sort)) {
      throw new ValidationError(
        `Unsupported sort ${JSON.stringify(query.sort)}: use date, new, freq or user`,
      );
    }

    const text = typeof query.query === 'string' ? query.query : undefined;
    const direct =
      text === undefined ? undefined : await findDirectHit(access, projectIds, text.trim());
    if (direct !== undefined) {
      reply.header('X-Sentry-Direct-Hit', '1');
      setPageLinks(request, reply, page, false);
      return [
        serializeIssue(direct, { baseUrl: baseUrl(request), orgSlug: access.organization.slug }),
      ];
    }

    const rows = await issues.list({
      projectIds,
      query: parseIssueQuery(text),
      sort,
      offset: page.offset,
      limit: page.limit,
    });
    setPageLinks(request, reply, page, rows.length > page.limit);
    return rows
      .slice(0, page.limit)
      .map((row) =>
        serializeIssue(row, { baseUrl: baseUrl(request), orgSlug: access.organization.slug }),
      );
  }

  async function findDirectHit(access: OrganizationAccess, projectIds: number[], text: string) {
    if (/^[0-9a-f]{32}$/i.test(text.replaceAll('-', ''))) {
      const row = await events.findByEventId(projectIds, text.replaceAll('-', '').toLowerCase());
      return row === undefined ? undefined : issues.findById(row.issueId);
    }
    if (/^[A-Za-z0-9_-]+-[0-9A-Za-z]+$/.test(text)) {
      const issue = await issues.findByShortId(access.organization.id, text);
      return issue !== undefined && projectIds.includes(issue.projectId) ? issue : undefined;
    }
    return undefined;
  }

  app.get<{ Params: { org: string } }>(
    '/api/0/organizations/:org/issues/',
    async (request, reply) => {
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        'event:read',
      );
      const projectIds = await selectedProjectIds(request, access);
      return listIssues(request, reply, access, projectIds);
    },
  );

  app.get<{ Params: { org: string; project: string } }>(
    '/api/0/projects/:org/:project/issues/',
    async (request, reply) => {
      const { access, project } = await resolveProject(
        request,
        organizations,
        request.params,
        'event:read',
      );
      return listIssues(request, reply, access, [project.id]);
    },
  );

  /**
   * Applies a status change to the issues named by `id` parameters or, without them, to the
   * issues matching `query` (at most 1,000), as Sentry's bulk update does.
   */
  async function bulkUpdate(request: FastifyRequest, reply: FastifyReply, projectIds: number[]) {
    const update = parseUpdate(request.body);
    if (update.status === undefined) {
      throw new ValidationError('Bulk updates need a "status"');
    }

    const query = request.query as Record<string, unknown>;
    const ids = toList(query.id).map(Number);
    const targets =
      ids.length > 0
        ? (await Promise.all(ids.map((id) => issues.findById(id)))).filter(
            (issue): issue is IssueRecord =>
              issue !== undefined && projectIds.includes(issue.projectId),
          )
        : await issues.list({
            projectIds,
            query: parseIssueQuery(typeof query.query === 'string' ? query.query : undefined),
            sort: 'date',
            offset: 0,
            limit: 1_000,
          });

    if (targets.length === 0) {
      return reply.status(204).send();
    }
    for (const issue of targets.slice(0, 1_000)) {
      await issues.updateStatus(issue.id, update.status, update.substatus);
    }
    return reply.send({ status: update.status, statusDetails: {} });
  }

  app.put<{ Params: { org: string; project: string } }>(
    '/api/0/projects/:org/:project/issues/',
    async (request, reply) => {
      const { project } = await resolveProject(
        request,
        organizations,
        request.params,
        'event:write',
      );
      return bulkUpdate(request, reply, [project.id]);
    },
  );

  app.put<{ Params: { org: string } }>(
    '/api/0/organizations/:org/issues/',
    async (request, reply) => {
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        'event:write',
      );
      const projectIds = await selectedProjectIds(request, access);
      return bulkUpdate(request, reply, projectIds);
    },
  );

  for (const prefix of ['/api/0/organizations/:org/issues/:issueId', '/api/0/issues/:issueId']) {
    app.get<{ Params: IssueParams }>(`${prefix}/`, async (request) => {
      const resolved = await resolveIssue(request, 'event:read');
      return present(request, resolved);
    });

    app.put<{ Params: IssueParams }>(`${prefix}/`, async (request) => {
      const resolved = await resolveIssue(request, 'event:write');
      const update = parseUpdate(request.body);
      if (update.status !== undefined) {
        await issues.updateStatus(resolved.issue.id, update.status, update.substatus);
      }
      const issue = await issues.findById(resolved.issue.id);
      return present(request, { ...resolved, issue: issue ?? resolved.issue });
    });

    app.get<{ Params: IssueParams }>(`${prefix}/events/`, async (request, reply) => {
      const resolved = await resolveIssue(request, 'event:read');
      const page = readPage(request.query as Record<string, unknown>);
      const rows = await events.listByIssue(resolved.issue.id, page.offset, page.limit);
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

    app.get<{ Params: IssueParams }>(`${prefix}/hashes/`, async (request, reply) => {
      const resolved = await resolveIssue(request, 'event:read');
      const hashes = await issues.listHashes(resolved.issue.id);
      const latest = await events.findEdge(resolved.issue.id, 'latest');
      const latestEvent = latest === undefined ? null : serializeEvent(latest);
      const page = readPage(request.query as Record<string, unknown>);
      setPageLinks(request, reply, page, hashes.length > page.offset + page.limit);
      return hashes.slice(page.offset, page.offset + page.limit).map((row) => ({
        id: row.hash,
        latestEvent:
          latestEvent !== null && (latestEvent.fingerprints as string[]).includes(row.hash)
            ? latestEvent
            : null,
        mergedBySeer: false,
      }));
    });

    app.get<{ Params: IssueParams }>(`${prefix}/tags/`, async (request) => {
      const resolved = await resolveIssue(request, 'event:read');
      return serializeTagSummary(await issues.listTagValues(resolved.issue.id));
    });

    app.get<{ Params: IssueParams & { key: string } }>(
      `${prefix}/tags/:key/values/`,
      async (request) => {
        const resolved = await resolveIssue(request, 'event:read');
        const rows = (await issues.listTagValues(resolved.issue.id)).filter(
          (row) => row.key === request.params.key,
        );
        return serializeTagSummary(rows, 100)[0]?.topValues ?? [];
      },
    );
  }

  app.get<{ Params: { org: string; eventId: string } }>(
    '/api/0/organizations/:org/eventids/:eventId/',
    async (request) => {
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        'event:read',
      );
      const projects = await organizations.listProjects(access.organization.id);
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

function parseUpdate(body: unknown): { status: string | undefined; substatus: string | null } {
  const parsed = updateSchema.safeParse(body ?? {});
  if (!parsed.success) {
    throw new ValidationError(
      'Invalid issue update: status must be resolved, resolvedInNextRelease, unresolved or ignored',
    );
  }
  const status = parsed.data.status === 'resolvedInNextRelease' ? 'resolved' : parsed.data.status;
  let substatus: string | null = null;
  if (status === 'ignored') {
    substatus = 'archived_forever';
  } else if (status === 'unresolved') {
    substatus = 'ongoing';
  }
  return { status, substatus };
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
