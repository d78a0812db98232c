import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { Monitor, MonitorEnvironmentStatus } from '../../../shared/api/crons.js';
import { paginateList, readPage, setPageLinks } from '../../platform/http/pagination.js';
import {
  queryList,
  selectRequestedProjectIds,
  resolveOrganization,
  resolveProject,
  type OrganizationAccess,
  type OrganizationRepository,
} from '../organizations/index.js';
import type { MonitorRecord, MonitorRepository } from './monitor-repository.js';
import { findMonitorOrThrow, presentMonitors } from './monitor-lookup.js';
import { serializeCheckIn } from './monitor-serializer.js';
import { registerMonitorWriteRoutes } from './monitor-write-routes.js';

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

/**
 * Monitor list and details and check-in lists under Sentry's paths, and the routes that
 * create, change and delete monitors.
 */
export function registerMonitorRoutes(app: FastifyInstance, options: MonitorRoutesOptions): void {
  const { organizations, monitors } = options;

  const present = (rows: MonitorRecord[], query: Query) =>
    presentMonitors(monitors, rows, queryList(query.environment));
  const findMonitor = (access: OrganizationAccess, slugOrGuid: string, projectId?: number) =>
    findMonitorOrThrow(monitors, access, slugOrGuid, projectId);

  async function listCheckIns(
    request: FastifyRequest,
    reply: FastifyReply,
    monitor: MonitorRecord,
  ) {
    const query = request.query as Query;
    const page = readPage(query);
    const environments = queryList(query.environment);
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
        projectIds: await selectRequestedProjectIds(query, access, organizations),
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

  registerMonitorWriteRoutes(app, options);
}

function worstStatus(monitor: Monitor): number {
  return Math.min(
    5,
    ...monitor.environments.map((environment) => STATUS_ORDER[environment.status]),
  );
}
