import { createHash } from 'node:crypto';

import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import {
  resolveOrganization,
  resolveProject,
  type OrganizationRepository,
} from '../organizations/index.js';
import { selectedProjectIds } from './issue-route-helpers.js';

export interface EnvironmentRoutesOptions {
  db: Kysely<Database>;
  organizations: OrganizationRepository;
}

/** One environment in the shape of Sentry's environment endpoints. */
export interface EnvironmentEntry {
  id: string;
  name: string;
}

/**
 * The environments seen in events, under Sentry's organization and project paths. They come
 * from the `environment` tag values that the worker aggregates per issue, so a listing reads one
 * index entry per issue and never scans events.
 */
export function registerEnvironmentRoutes(
  app: FastifyInstance,
  options: EnvironmentRoutesOptions,
): void {
  const { db, organizations } = options;

  app.get<{ Params: { org: string } }>(
    '/api/0/organizations/:org/environments/',
    async (request) => {
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        'event:read',
      );
      const projectIds = await selectedProjectIds(organizations, request, access);
      const names = await listEnvironmentNames(db, projectIds);
      return names.map(toEnvironmentEntry);
    },
  );

  app.get<{ Params: { org: string; project: string } }>(
    '/api/0/projects/:org/:project/environments/',
    async (request) => {
      const { project } = await resolveProject(
        request,
        organizations,
        request.params,
        'event:read',
      );
      const names = await listEnvironmentNames(db, [project.id]);
      return names.map((name) => ({ ...toEnvironmentEntry(name), isHidden: false }));
    },
  );
}

/** Lists the distinct environment names of the projects' issues, sorted by name. */
export async function listEnvironmentNames(
  db: Kysely<Database>,
  projectIds: number[],
): Promise<string[]> {
  if (projectIds.length === 0) {
    return [];
  }

  const rows = await db
    .selectFrom('issueTagValues')
    .innerJoin('issues', 'issues.id', 'issueTagValues.issueId')
    .select('issueTagValues.value')
    .distinct()
    .where('issues.projectId', 'in', projectIds)
    .where('issueTagValues.key', '=', 'environment')
    .orderBy('issueTagValues.value')
    .execute();
  return rows.map((row) => row.value);
}

/**
 * Builds the entry of one environment name.
 * NOTE: Picket keeps no environment table, so the id is derived from the name (the first 28 bits
 * of its SHA-256 as a decimal string): stable across calls, but not Sentry's database id.
 */
function toEnvironmentEntry(name: string): EnvironmentEntry {
  const digest = createHash('sha256').update(name).digest('hex');
  return { id: String(Number.parseInt(digest.slice(0, 7), 16)), name };
}
