import type { Monitor } from '../../../shared/api/crons.js';
import { NotFoundError } from '../../platform/errors.js';
import type { OrganizationAccess } from '../organizations/index.js';
import type { MonitorRecord, MonitorRepository } from './monitor-repository.js';
import { serializeMonitor } from './monitor-serializer.js';

/**
 * Finds a monitor of the organization by slug or UUID, and of one project when `projectId` is
 * given.
 * @throws NotFoundError when there is no such monitor.
 */
export async function findMonitorOrThrow(
  monitors: MonitorRepository,
  access: OrganizationAccess,
  slugOrGuid: string,
  projectId?: number,
): Promise<MonitorRecord> {
  const monitor = await monitors.find(access.organization.id, slugOrGuid);
  if (monitor === undefined || (projectId !== undefined && monitor.projectId !== projectId)) {
    throw new NotFoundError(`Monitor ${JSON.stringify(slugOrGuid.slice(0, 60))} not found`);
  }
  return monitor;
}

/**
 * Serializes monitors with their environments, only those named in `environmentNames` when it
 * is not empty, and each environment's latest check-in.
 */
export async function presentMonitors(
  monitors: MonitorRepository,
  rows: MonitorRecord[],
  environmentNames: string[],
): Promise<Monitor[]> {
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
