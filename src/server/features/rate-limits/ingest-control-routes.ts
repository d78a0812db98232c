import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import {
  listAccessibleProjects,
  resolveOrganization,
  resolveProject,
  type OrganizationRepository,
} from '../organizations/index.js';
import type {
  IngestControlRepository,
  ProjectIngestSettings,
} from './ingest-control-repository.js';
import type { RateLimiter, SpikeProtectionStatus } from './rate-limiter.js';
import { parseBody, rateLimitSchema, toStoredRateLimit } from './settings-schemas.js';
import type { SpikeProtectionOptions } from './spike-protection.js';

export interface IngestControlRoutesOptions {
  organizations: OrganizationRepository;
  repository: IngestControlRepository;
  /** The limiter of this process's ingest, which tracks whether spike protection is throttling. */
  limiter: RateLimiter;
  spikeProtection: SpikeProtectionOptions;
  /** Called after settings changed, so that ingest drops its cached copy at once. */
  onSettingsChanged?: () => void;
}

type ProjectParams = { org: string; project: string };

const updateSchema = z.object({
  rateLimit: rateLimitSchema.optional(),
  spikeProtection: z.object({ enabled: z.boolean() }).optional(),
});

/**
 * Picket's project ingest settings, under Sentry's project path:
 * `GET|PUT /api/0/projects/{org}/{project}/ingest-controls/` for the project rate limit and
 * spike protection, and `GET /api/0/organizations/{org}/ingest-controls/` for the spike
 * protection state of every project, which the issue list shows.
 */
export function registerIngestControlRoutes(
  app: FastifyInstance,
  options: IngestControlRoutesOptions,
) {
  const { organizations, repository, limiter } = options;

  async function serialize(projectId: number, settings: ProjectIngestSettings) {
    const status = await limiter.readSpikeStatus(projectId, settings.spikeProtection);
    return {
      rateLimit: settings.rateLimit,
      spikeProtection: serializeSpikeStatus(status, options.spikeProtection),
    };
  }

  app.get<{ Params: ProjectParams }>(
    '/api/0/projects/:org/:project/ingest-controls/',
    async (request) => {
      const { project } = await resolveProject(
        request,
        organizations,
        request.params,
        'project:read',
      );
      const settings = (await repository.findSettings([project.id])).get(project.id);
      return serialize(project.id, settings ?? { rateLimit: null, spikeProtection: true });
    },
  );

  app.put<{ Params: ProjectParams }>(
    '/api/0/projects/:org/:project/ingest-controls/',
    async (request) => {
      const { project } = await resolveProject(
        request,
        organizations,
        request.params,
        'project:write',
      );
      const input = parseBody(updateSchema, request.body);
      const settings = await repository.updateSettings(project.id, {
        rateLimit: input.rateLimit === undefined ? undefined : toStoredRateLimit(input.rateLimit),
        spikeProtection: input.spikeProtection?.enabled,
      });
      options.onSettingsChanged?.();
      return serialize(project.id, settings);
    },
  );

  app.get<{ Params: { org: string } }>(
    '/api/0/organizations/:org/ingest-controls/',
    async (request) => {
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        'project:read',
      );
      const projects = await listAccessibleProjects(organizations, access);
      const settings = await repository.findSettings(projects.map((project) => project.id));

      return Promise.all(
        projects.map(async (project) => {
          const enabled = settings.get(project.id)?.spikeProtection ?? true;
          const status = await limiter.readSpikeStatus(project.id, enabled);
          return {
            project: { id: String(project.id), slug: project.slug, name: project.name },
            spikeProtection: serializeSpikeStatus(status, options.spikeProtection),
          };
        }),
      );
    },
  );
}

function serializeSpikeStatus(status: SpikeProtectionStatus, options: SpikeProtectionOptions) {
  return {
    enabled: status.enabled,
    active: status.active,
    lastThrottledAt:
      status.lastThrottledAt === null ? null : new Date(status.lastThrottledAt).toISOString(),
    factor: options.factor,
    minPerMinute: options.minPerMinute,
    warmupMinutes: options.warmupMinutes,
    groups: status.groups.map((group) => ({
      category: group.group,
      baselinePerMinute: Math.round(group.baselinePerMinute * 100) / 100,
      thresholdPerMinute: group.thresholdPerMinute,
    })),
  };
}
