import { randomInt } from 'node:crypto';

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { Monitor } from '../../../shared/api/crons.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import type { Scope } from '../accounts/scopes.js';
import {
  queryList,
  resolveOrganization,
  resolveProject,
  type OrganizationAccess,
  type OrganizationRepository,
} from '../organizations/index.js';
import { slugifyMonitorSlug } from './check-in-parser.js';
import { readStoredConfig } from './monitor-config.js';
import { findMonitorOrThrow, presentMonitors } from './monitor-lookup.js';
import type { MonitorRecord, MonitorRepository } from './monitor-repository.js';
import { parseMonitorCreate, parseMonitorUpdate } from './monitor-request.js';

export interface MonitorWriteRoutesOptions {
  organizations: OrganizationRepository;
  monitors: MonitorRepository;
}

type MonitorParams = { org: string; monitor: string };
type ProjectMonitorParams = MonitorParams & { project: string };

const WRITE_SCOPES: readonly Scope[] = ['project:write', 'project:admin'];

const SLUG_LENGTH = 50;
const SLUG_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** Lengths of the random suffixes tried, in order, when a slug derived from a name is taken. */
const SUFFIX_LENGTHS = [2, 2, 3, 3, 3, 5, 5, 5, 5, 5, 12];

/**
 * Registers Sentry's monitor writes: `POST /api/0/organizations/{org}/monitors/` (201 with the
 * monitor), `PUT` (partial update, 200) and `DELETE` (202, the whole monitor or the
 * environments named by `environment`) on the monitor's organization and project paths.
 * Writing needs `project:write` or `project:admin`. A bad body or a slug that the organization
 * already uses is rejected with 400, as Sentry does.
 */
export function registerMonitorWriteRoutes(
  app: FastifyInstance,
  options: MonitorWriteRoutesOptions,
): void {
  const { organizations, monitors } = options;

  app.post<{ Params: { org: string } }>(
    '/api/0/organizations/:org/monitors/',
    async (request, reply) => {
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        WRITE_SCOPES,
      );
      const input = parseMonitorCreate(request.body);
      const project = await findProjectOrThrow(organizations, access, input.project);
      const organizationId = access.organization.id;

      let slug = input.slug;
      if (slug !== undefined && (await monitors.isSlugTaken(organizationId, slug))) {
        throw slugTakenError(slug);
      }
      slug ??= await pickSlug(monitors, organizationId, input.name);

      const newMonitor = {
        organizationId,
        projectId: project.id,
        name: input.name,
        slug,
        status: input.status,
        isMuted: input.isMuted,
        config: input.config,
        now: Date.now(),
      };
      await rejectTakenSlug(slug, () => monitors.create(newMonitor));

      const created = await findMonitorOrThrow(monitors, access, slug);
      return reply.status(201).send(await presentOne(created));
    },
  );

  async function presentOne(monitor: MonitorRecord): Promise<Monitor | undefined> {
    const [serialized] = await presentMonitors(monitors, [monitor], []);
    return serialized;
  }

  async function update(access: OrganizationAccess, monitor: MonitorRecord, body: unknown) {
    const change = parseMonitorUpdate(body, {
      config: readStoredConfig(monitor.config),
      projectId: monitor.projectId,
      projectSlug: monitor.projectSlug,
    });
    const slug = change.slug ?? monitor.slug;
    if (slug !== monitor.slug && (await monitors.isSlugTaken(access.organization.id, slug))) {
      throw slugTakenError(slug);
    }

    await rejectTakenSlug(slug, () => monitors.update(monitor, change));
    return presentOne(await findMonitorOrThrow(monitors, access, slug));
  }

  async function remove(request: FastifyRequest, reply: FastifyReply, monitor: MonitorRecord) {
    const environments = queryList((request.query as Record<string, unknown>).environment);
    if (environments.length === 0) {
      await monitors.delete(monitor.id);
    } else if ((await monitors.deleteEnvironments(monitor.id, environments)) === 0) {
      throw new NotFoundError(
        `Monitor ${JSON.stringify(monitor.slug)} has no environment ${JSON.stringify(environments[0]?.slice(0, 64))}`,
      );
    }
    return reply.status(202).send();
  }

  const resolveMonitor = async (request: FastifyRequest<{ Params: MonitorParams }>) => {
    const { org, monitor } = request.params;
    const access = await resolveOrganization(request, organizations, org, WRITE_SCOPES);
    return { access, monitor: await findMonitorOrThrow(monitors, access, monitor) };
  };

  const resolveProjectMonitor = async (
    request: FastifyRequest<{ Params: ProjectMonitorParams }>,
  ) => {
    const { access, project } = await resolveProject(
      request,
      organizations,
      request.params,
      WRITE_SCOPES,
    );
    const monitor = await findMonitorOrThrow(monitors, access, request.params.monitor, project.id);
    return { access, monitor };
  };

  app.put<{ Params: MonitorParams }>(
    '/api/0/organizations/:org/monitors/:monitor/',
    async (request) => {
      const { access, monitor } = await resolveMonitor(request);
      return update(access, monitor, request.body);
    },
  );

  app.delete<{ Params: MonitorParams }>(
    '/api/0/organizations/:org/monitors/:monitor/',
    async (request, reply) => remove(request, reply, (await resolveMonitor(request)).monitor),
  );

  app.put<{ Params: ProjectMonitorParams }>(
    '/api/0/projects/:org/:project/monitors/:monitor/',
    async (request) => {
      const { access, monitor } = await resolveProjectMonitor(request);
      return update(access, monitor, request.body);
    },
  );

  app.delete<{ Params: ProjectMonitorParams }>(
    '/api/0/projects/:org/:project/monitors/:monitor/',
    async (request, reply) =>
      remove(request, reply, (await resolveProjectMonitor(request)).monitor),
  );
}

/**
 * Finds the project a new monitor belongs to, by slug or numeric id.
 * @throws ValidationError when the organization has no such project.
 */
async function findProjectOrThrow(
  organizations: OrganizationRepository,
  access: OrganizationAccess,
  slugOrId: string,
) {
  // Longer digit strings cannot be an id, and PostgreSQL would reject them as a bigint.
  const project =
    /^\d+$/.test(slugOrId) && slugOrId.length > 15
      ? undefined
      : await organizations.findProject(access.organization.id, slugOrId);
  if (project === undefined) {
    throw new ValidationError(
      `Unknown project ${JSON.stringify(slugOrId.slice(0, 60))}: send the slug or id of a project of this organization`,
      { project: ['Invalid project'] },
    );
  }
  return project;
}

/**
 * Returns a free slug for a monitor named `name`: the name as a slug, or with a random suffix
 * when another monitor has it, as Sentry derives slugs. A name without letters or digits gets
 * a random slug.
 */
async function pickSlug(
  monitors: MonitorRepository,
  organizationId: number,
  name: string,
): Promise<string> {
  const base = slugifyMonitorSlug(name) || randomText(12);
  if (!(await monitors.isSlugTaken(organizationId, base))) {
    return base;
  }

  for (const length of SUFFIX_LENGTHS) {
    const candidate = `${base.slice(0, SLUG_LENGTH - length - 1)}-${randomText(length)}`;
    if (!(await monitors.isSlugTaken(organizationId, candidate))) {
      return candidate;
    }
  }
  throw slugTakenError(base);
}

function randomText(length: number): string {
  return Array.from({ length }, () => SLUG_ALPHABET.charAt(randomInt(SLUG_ALPHABET.length))).join(
    '',
  );
}

/**
 * Runs a write and turns a unique violation into the 400 of a taken slug. The slug is checked
 * before the write too, so this catches a monitor created in between by another request or by
 * a check-in.
 */
async function rejectTakenSlug(slug: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw slugTakenError(slug);
    }
    throw error;
  }
}

function slugTakenError(slug: string): ValidationError {
  const message = `The slug "${slug}" is already in use.`;
  return new ValidationError(`${message.slice(0, -1)}: choose another slug`, { slug: [message] });
}

function isUniqueViolation(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  const code = (error as { code?: string } | null)?.code;
  return code === '23505' || /UNIQUE constraint failed/.test(message);
}
