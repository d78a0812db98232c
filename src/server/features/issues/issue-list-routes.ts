import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { ValidationError } from '../../platform/errors.js';
import { readPage, requestOrigin, setPageLinks } from '../../platform/http/pagination.js';
import { readTimeWindow } from '../search/index.js';
import type { OrganizationAccess } from '../organizations/index.js';
import { parseIssueQuery } from './issue-query.js';
import { presentIssues } from './issue-presenter.js';
import type { IssueSort } from './issue-repository.js';
import { registerIssueCollectionRoute, toList } from './issue-route-helpers.js';
import type { IssueRoutesOptions } from './issue-routes.js';
import { readStatsPeriod } from './issue-stats.js';

const SORTS = new Set<IssueSort>(['date', 'new', 'freq', 'user']);

/** `X-Hits` counts matching issues up to this number, which bounds the cost of the count. */
const MAX_HITS = 1_000;

/** The organization and project issue lists, with search, sorting and charts. */
export function registerIssueListRoutes(app: FastifyInstance, options: IssueRoutesOptions): void {
  const { organizations, events } = options;
  const issues = options.replica?.issues ?? options.issues;
  const readDb = options.replica?.db ?? options.db;

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
    const statsPeriod = readStatsPeriod(query.groupStatsPeriod ?? '24h');
    const present = (rows: Parameters<typeof presentIssues>[1]) =>
      presentIssues(readDb, rows, {
        baseUrl: options.publicUrl ?? requestOrigin(request),
        orgSlug: access.organization.slug,
        userId: access.userId,
        statsPeriods: statsPeriod === undefined ? [] : [statsPeriod],
      });

    if (query.query !== undefined && typeof query.query !== 'string') {
      throw new ValidationError('Invalid "query": expected one value, got several');
    }
    const text = query.query;
    const direct =
      text === undefined ? undefined : await findDirectHit(access, projectIds, text.trim());
    if (direct !== undefined) {
      reply.header('X-Sentry-Direct-Hit', '1');
      setPageLinks(request, reply, page, false);
      return present([direct]);
    }

    const search = {
      projectIds,
      query: parseIssueQuery(text),
      scope: {
        environments: toList(query.environment).filter((name) => name !== ''),
        window: readTimeWindow(query),
      },
      userId: access.userId,
    };
    const [rows, hits] = await Promise.all([
      issues.list({ ...search, sort, offset: page.offset, limit: page.limit }),
      issues.count({ ...search, max: MAX_HITS }),
    ]);
    reply.header('X-Hits', String(hits));
    reply.header('X-Max-Hits', String(MAX_HITS));
    setPageLinks(request, reply, page, rows.length > page.limit);
    return present(rows.slice(0, page.limit));
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

  registerIssueCollectionRoute(app, organizations, 'GET', 'event:read', listIssues);
}
