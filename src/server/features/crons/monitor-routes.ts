import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { Monitor, MonitorEnvironmentStatus } from '../../../shared/api/crons.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { paginateList, readPage, setPageLinks } from '../../platform/http/pagination.js';
import {
  resolveOrganization,
  resolveProject,
  type OrganizationAccess,
  type OrganizationRepository,
} from '../organizations/index.js';
import type { MonitorRecord, MonitorRepository } from './monitor-repository.js';
import { serializeCheckIn, serializeMonitor } from './monitor-serializer.js';

export interface MonitorRoutesOptions {
  organizations: OrganizationRepository;
  monitors: MonitorRepository;
}

type Query = Record<string, unknown>;

/** Failing environments first, as Sentry's default monitor order (`sort=status`) does. */
const STATUS_ORDER: Record<MonitorEnvironmentStatus, number> = {
  error: 0,
  timeout: 1,
  missed_checkin: 2,
  ok: 3,
  active: 4,
};

/** Monitor list and details and check-in lists under Sentry's paths. */
export function registerMonitorRoutes(app: FastifyInstance, options: MonitorRoutesOptions): void {
  const { organizations, monitors } = options;

  async function present(rows: MonitorRecord[], query: Query): Promise<Monitor[]> {
    const environmentNames = toList(query.environment);
    const environments = (await monitors.listEnvironments(rows.map((row) => row.id))).filter(
      (environment) =>
        environmentNames.length === 0 || environmentNames.includes(environment.environment),
    );
    const latest = await monitors.findLatestCheckIns(
      environments.map((environment) => environment.id),
    );
    const now = Date.now();
    return rows.map((row) => serializeMonitor(row, environments, latest, now));
  }

  async function findMonitor(access: OrganizationAccess, slugOrGuid: string, projectId?: number) {
    const monitor = await monitors.find(access.organization.id, slugOrGuid);
    if (monitor === undefined || (projectId !== undefined && monitor.projectId !== projectId)) {
      throw new NotFoundError(`Monitor ${JSON.stringify(slugOrGuid.slice(0, 60))} not found`);
    }
    return monitor;
  }

  async function listCheckIns(
    request: FastifyRequest,
    reply: FastifyReply,
    monitor: MonitorRecord,
  ) {
    const query = request.query as Query;
    const page = readPage(query);
    const environments = toList(query.environment);
    const rows = await monitors.listCheckIns({
      monitorId: monitor.id,
      environments: environments.length > 0 ? environments : undefined,
      offset: page.offset,
      limit: page.limit,
    });
    setPageLinks(request, reply, page, rows.length > page.limit);
    const now = Date.now();
    return rows.slice(0, page.limit).map((row) => serializeCheckIn(row, now));
  }

  app.get<{ Params: { org: string } }>(
    '/api/0/organizations/:org/monitors/',
    async (request, reply) => {
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        'org:read',
      );
      const query = request.query as Query;
      const rows = await monitors.list({
        organizationId: access.organization.id,
        projectIds: await selectProjectIds(query, access, organizations),
        text: typeof query.query === 'string' ? query.query.trim() : undefined,
      });

      const serialized = await present(rows, query);
      const sorted = serialized.sort(
        (a, b) => worstStatus(a) - worstStatus(b) || a.name.localeCompare(b.name),
      );
      return paginateList(request, reply, sorted);
    },
  );

  app.get<{ Params: { org: string; monitor: string } }>(
    '/api/0/organizations/:org/monitors/:monitor/',
    async (request) => {
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        'org:read',
      );
      const monitor = await findMonitor(access, request.params.monitor);
      const [serialized] = await present([monitor], request.query as Query);
      return serialized;
    },
  );

  app.get<{ Params: { org: string; project: string; monitor: string } }>(
    '/api/0/projects/:org/:project/monitors/:monitor/',
    async (request) => {
      const { access, project } = await resolveProject(
        request,
        organizations,
        request.params,
        'project:read',
      );
      const monitor = await findMonitor(access, request.params.monitor, project.id);
      const [serialized] = await present([monitor], request.query as Query);
      return serialized;
    },
  );

  app.get<{ Params: { org: string; monitor: string } }>(
    '/api/0/organizations/:org/monitors/:monitor/checkins/',
    async (request, reply) => {
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        'org:read',
      );
      return listCheckIns(request, reply, await findMonitor(access, request.params.monitor));
    },
  );

  app.get<{ Params: { org: string; project: string; monitor: string } }>(
    '/api/0/projects/:org/:project/monitors/:monitor/checkins/',
    async (request, reply) => {
      const { access, project } = await resolveProject(
        request,
        organizations,
        request.params,
        'project:read',
      );
      return listCheckIns(
        request,
        reply,
        await findMonitor(access, request.params.monitor, project.id),
      );
    },
  );
}

function worstStatus(monitor: Monitor): number {
  return Math.min(
    5,
    ...monitor.environments.map((environment) => STATUS_ORDER[environment.status]),
  );
}

/**
 * Returns the organization's project ids named by `project` parameters, or undefined for all.
 * @throws ValidationError when a project parameter is not a number.
 */
async function selectProjectIds(
  query: Query,
  access: OrganizationAccess,
  organizations: OrganizationRepository,
): Promise<number[] | undefined> {
  const requested = toList(query.project).filter((id) => id !== '-1' && id !== '');
  if (requested.length === 0) {
    return undefined;
  }

  const invalid = requested.find((id) => !/^\d{1,15}$/.test(id));
  if (invalid !== undefined) {
    throw new ValidationError(
      `Invalid project id ${JSON.stringify(invalid.slice(0, 40))}: use numeric ids`,
    );
  }

  const projects = await organizations.listProjects(access.organization.id);
  return projects
    .filter((project) => requested.includes(String(project.id)))
    .map((project) => project.id);
}

function toList(value: unknown): string[] {
  if (value === undefined) {
    return [];
  }
  return (Array.isArray(value) ? value : [value]).map(String);
}
