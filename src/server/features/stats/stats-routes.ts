import type { FastifyInstance } from 'fastify';

import { AuthError, ValidationError } from '../../platform/errors.js';
import {
  listAccessibleProjects,
  resolveOrganization,
  type OrganizationRepository,
} from '../organizations/index.js';
import { parseStatsQuery } from './stats-query.js';
import type { StatsRepository } from './stats-repository.js';
import { buildStatsResponse } from './stats-series.js';

export interface StatsRoutesOptions {
  organizations: OrganizationRepository;
  stats: StatsRepository;
}

/**
 * `GET /api/0/organizations/{org}/stats_v2/`: outcome totals per interval, in Sentry's shape.
 * Members see the organization's projects; a project of another organization gets 403, as in
 * Sentry.
 */
export function registerStatsRoutes(app: FastifyInstance, options: StatsRoutesOptions) {
  const { organizations, stats } = options;

  app.get<{ Params: { org: string } }>('/api/0/organizations/:org/stats_v2/', async (request) => {
    const access = await resolveOrganization(
      request,
      organizations,
      request.params.org,
      'org:read',
    );
    const query = parseStatsQuery(request.query as Record<string, unknown>, Date.now());
    const projects = await listAccessibleProjects(organizations, access);
    const visibleIds = projects.map((project) => project.id);

    if (query.projectIds.some((id) => !visibleIds.includes(id))) {
      throw new AuthError(403, 'You do not have permission to perform this action');
    }
    const projectIds = query.projectIds.length === 0 ? visibleIds : query.projectIds;
    if (projectIds.length === 0) {
      throw new ValidationError('No projects available');
    }

    const rows = await stats.listOutcomes({ ...query, projectIds });
    return buildStatsResponse(query, rows);
  });
}
