import type {
  CheckInStatus,
  Monitor,
  MonitorCheckIn,
  MonitorEnvironment,
  MonitorEnvironmentStatus,
} from '../../../shared/api/crons.js';
import type { CheckInRow, EnvironmentRow } from './check-in-store.js';
import { readStoredConfig } from './monitor-config.js';
import type { MonitorRecord } from './monitor-repository.js';

/**
 * Formats a stored time as ISO 8601, or returns null for null and for a value that is no valid
 * date, such as a next check-in stored from an unbounded interval, so one bad row cannot fail
 * the whole list.
 */
function iso(ms: number | string | null): string | null {
  const date = new Date(Number(ms));
  return ms === null || Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * Returns an environment's status at `now`. Stored statuses come from check-ins. A check-in
 * left in progress past its timeout makes it `timeout`, and no check-in by the next expected
 * time plus margin makes it `missed_checkin`. When both happened, the later one wins.
 */
export function environmentStatusAt(
  environment: EnvironmentRow,
  latest: CheckInRow | undefined,
  now: number,
): MonitorEnvironmentStatus {
  const events: { status: MonitorEnvironmentStatus; at: number }[] = [];

  if (latest?.status === 'timeout') {
    events.push({ status: 'timeout', at: latest.timeoutAt ?? latest.dateUpdated });
  }
  if (latest?.status === 'in_progress' && latest.timeoutAt !== null && now > latest.timeoutAt) {
    events.push({ status: 'timeout', at: latest.timeoutAt });
  }
  if (environment.nextCheckInLatest !== null && now > environment.nextCheckInLatest) {
    events.push({ status: 'missed_checkin', at: environment.nextCheckInLatest });
  }

  const lastEvent = events.sort((a, b) => b.at - a.at)[0];
  return lastEvent?.status ?? (environment.status as MonitorEnvironmentStatus);
}

/** Returns a check-in's status at `now`: `timeout` once an in-progress one passed its limit. */
export function checkInStatusAt(checkIn: CheckInRow, now: number): CheckInStatus {
  if (checkIn.status === 'in_progress' && checkIn.timeoutAt !== null && now > checkIn.timeoutAt) {
    return 'timeout';
  }
  return checkIn.status as CheckInStatus;
}

export function serializeMonitor(
  monitor: MonitorRecord,
  environments: EnvironmentRow[],
  latestCheckIns: Map<number, CheckInRow>,
  now: number,
): Monitor {
  return {
    id: monitor.guid,
    slug: monitor.slug,
    name: monitor.name,
    status: monitor.status === 'disabled' ? 'disabled' : 'active',
    isMuted: monitor.isMuted === 1,
    type: 'cron_job',
    dateCreated: new Date(monitor.dateCreated).toISOString(),
    project: {
      id: String(monitor.projectId),
      slug: monitor.projectSlug,
      name: monitor.projectName,
      platform: monitor.projectPlatform,
    },
    config: readStoredConfig(monitor.config),
    environments: environments
      .filter((environment) => Number(environment.monitorId) === Number(monitor.id))
      .map((environment) =>
        serializeEnvironment(monitor, environment, latestCheckIns.get(Number(environment.id)), now),
      ),
  };
}

function serializeEnvironment(
  monitor: MonitorRecord,
  environment: EnvironmentRow,
  latest: CheckInRow | undefined,
  now: number,
): MonitorEnvironment {
  return {
    name: environment.environment,
    status:
      monitor.status === 'disabled' ? 'active' : environmentStatusAt(environment, latest, now),
    isMuted: monitor.isMuted === 1,
    dateCreated: new Date(environment.dateCreated).toISOString(),
    lastCheckIn: iso(environment.lastCheckIn),
    nextCheckIn: iso(environment.nextCheckIn),
    nextCheckInLatest: iso(environment.nextCheckInLatest),
  };
}

export function serializeCheckIn(
  checkIn: CheckInRow & { environment: string },
  now: number,
): MonitorCheckIn {
  const guid = checkIn.guid;
  return {
    id: `${guid.slice(0, 8)}-${guid.slice(8, 12)}-${guid.slice(12, 16)}-${guid.slice(16, 20)}-${guid.slice(20)}`,
    status: checkInStatusAt(checkIn, now),
    duration: checkIn.duration === null ? null : Number(checkIn.duration),
    environment: checkIn.environment,
    dateCreated: new Date(checkIn.dateCreated).toISOString(),
    dateUpdated: new Date(checkIn.dateUpdated).toISOString(),
    expectedTime: iso(checkIn.expectedTime),
    attachmentId: null,
    monitorConfig: readStoredConfig(checkIn.monitorConfig),
  };
}
