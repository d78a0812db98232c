import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { readPage, setPageLinks } from '../../platform/http/pagination.js';
import {
  queryList,
  selectRequestedProjectIds,
  resolveOrganization,
  resolveProject,
  type OrganizationAccess,
  type OrganizationRepository,
} from '../organizations/index.js';
import type { HealthFilter, ReleaseRecord, ReleaseRepository } from './release-repository.js';
import { serializeRelease } from './release-serializer.js';
import type { ReleaseWriteRepository } from './release-write-repository.js';
import { registerReleaseWriteRoutes } from './release-write-routes.js';

export interface ReleaseRoutesOptions {
  organizations: OrganizationRepository;
  releases: ReleaseRepository;
  writes: ReleaseWriteRepository;
  /** Removes the blobs of a deleted release's files that no other file names. */
  deleteFileBlobs: (blobKeys: string[], request: FastifyRequest) => Promise<void>;
}

const PERIOD_UNITS_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

type Query = Record<string, unknown>;

/** Release list and details under Sentry's paths, with session health per project. */
export function registerReleaseRoutes(app: FastifyInstance, options: ReleaseRoutesOptions): void {
  const { organizations, releases, writes, deleteFileBlobs } = options;

  async function listReleases(
    request: FastifyRequest,
    reply: FastifyReply,
    access: OrganizationAccess,
    projectIds: number[] | undefined,
  ) {
    const query = request.query as Query;
    const page = readPage(query);
    const text = typeof query.query === 'string' ? query.query.trim() : undefined;
    const rows = await releases.list({
      organizationId: access.organization.id,
      projectIds,
      text,
      offset: page.offset,
      limit: page.limit,
    });

    setPageLinks(request, reply, page, rows.length > page.limit);
    return presentReleases(rows.slice(0, page.limit), query, query.health === '1');
  }

  async function presentReleases(rows: ReleaseRecord[], query: Query, withHealthData: boolean) {
    const releaseIds = rows.map((row) => row.id);
    const projects = await releases.listProjects(releaseIds);
    const newIssues = await releases.countNewIssues(
      [...new Set(projects.map((project) => project.projectId))],
      rows.map((row) => row.version),
    );
    const health = await releases.summarizeHealth(releaseIds, readHealthFilter(query));
    const commits = await writes.listCommits(releaseIds);
    const deploys = await writes.listDeploys(releaseIds);

    return rows.map((row) =>
      serializeRelease(row, { projects, newIssues, health, withHealthData, commits, deploys }),
    );
  }

  // As Sentry's release permission: any project scope, or the release scope of sentry-cli.
  const RELEASE_READ_SCOPES = [
    'project:read',
    'project:write',
    'project:admin',
    'project:releases',
  ] as const;

  app.get<{ Params: { org: string } }>(
    '/api/0/organizations/:org/releases/',
    async (request, reply) => {
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        RELEASE_READ_SCOPES,
      );
      const projectIds = await selectRequestedProjectIds(
        request.query as Query,
        access,
        organizations,
      );
      return listReleases(request, reply, access, projectIds);
    },
  );

  app.get<{ Params: { org: string; project: string } }>(
    '/api/0/projects/:org/:project/releases/',
    async (request, reply) => {
      const { access, project } = await resolveProject(
        request,
        organizations,
        request.params,
        'project:read',
      );
      return listReleases(request, reply, access, [project.id]);
    },
  );

  app.get<{ Params: { org: string; version: string } }>(
    '/api/0/organizations/:org/releases/:version/',
    async (request) => {
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        RELEASE_READ_SCOPES,
      );
      const release = await releases.findByVersion(access.organization.id, request.params.version);
      if (release === undefined) {
        throw new NotFoundError(
          `Release ${JSON.stringify(request.params.version.slice(0, 200))} not found`,
        );
      }

      const [serialized] = await presentReleases([release], request.query as Query, true);
      return serialized;
    },
  );

  registerReleaseWriteRoutes(app, {
    organizations,
    releases,
    writes,
    deleteFileBlobs,
    present: async (release, request) =>
      (await presentReleases([release], request.query as Query, true))[0],
  });
}

/**
 * Reads `environment` and `summaryStatsPeriod` (such as `24h` or `14d`).
 * @throws ValidationError for a malformed period.
 */
function readHealthFilter(query: Query): HealthFilter {
  const environments = queryList(query.environment);
  const period = query.summaryStatsPeriod ?? query.statsPeriod;
  let since: number | undefined;

  if (typeof period === 'string' && period !== '') {
    const match = /^(\d{1,5})([smhdw])$/.exec(period);
    if (match === null) {
      throw new ValidationError(
        `Invalid stats period ${JSON.stringify(period.slice(0, 20))}: use a number and s, m, h, d or w, as 24h`,
      );
    }
    since = Date.now() - Number(match[1]) * (PERIOD_UNITS_MS[match[2] ?? 'h'] ?? 0);
  }

  return { environments: environments.length > 0 ? environments : undefined, since };
}
