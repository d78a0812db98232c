import type { Generated } from 'kysely';

/** Tables of releases, sessions, monitors and check-ins. */
export interface ReleaseHealthTables {
  releases: ReleasesTable;
  releaseProjects: ReleaseProjectsTable;
  releaseSessionHours: ReleaseSessionHoursTable;
  releaseSessionErrors: ReleaseSessionErrorsTable;
  releaseUsers: ReleaseUsersTable;
  monitors: MonitorsTable;
  monitorEnvironments: MonitorEnvironmentsTable;
  monitorCheckIns: MonitorCheckInsTable;
}

/**
 * A release of an organization, created the first time a session or an error event names its
 * version. `firstEvent` and `lastEvent` come from error events only.
 */
export interface ReleasesTable {
  id: Generated<number>;
  organizationId: number;
  version: string;
  dateCreated: number;
  firstEvent: number | null;
  lastEvent: number | null;
  /** Set through the release API (migration 0012). `dateReleased` marks a finalized release. */
  ref: string | null;
  url: string | null;
  dateReleased: number | null;
}

export interface ReleaseProjectsTable {
  releaseId: number;
  projectId: number;
  dateCreated: number;
}

/**
 * Session counts of one release, project and environment (empty string for none) in the hour
 * the sessions started. `sessions` counts first updates (`init`) plus aggregate totals, and
 * `errored` includes the crashed, abnormal and unhandled sessions.
 */
export interface ReleaseSessionHoursTable {
  releaseId: number;
  projectId: number;
  environment: string;
  hour: number;
  sessions: number;
  errored: number;
  crashed: number;
  abnormal: number;
  unhandled: number;
  exited: number;
}

/** The ids of sessions already counted as errored, so later updates do not count them again. */
export interface ReleaseSessionErrorsTable {
  releaseId: number;
  projectId: number;
  sessionId: string;
  hour: number;
}

/** One distinct id (`did`) per release, project and environment, with the worst fates seen. */
export interface ReleaseUsersTable {
  releaseId: number;
  projectId: number;
  environment: string;
  distinctId: string;
  firstSeen: number;
  lastSeen: number;
  errored: number;
  crashed: number;
  abnormal: number;
}

/**
 * A cron monitor. `config` is the JSON of Sentry's monitor config (`schedule_type`,
 * `schedule`, `checkin_margin`, `max_runtime`, `timezone`, `failure_issue_threshold`,
 * `recovery_threshold`). `guid` is the id that the API returns.
 */
export interface MonitorsTable {
  id: Generated<number>;
  guid: string;
  organizationId: number;
  projectId: number;
  slug: string;
  name: string;
  status: string;
  isMuted: number;
  config: string;
  dateCreated: number;
}

/**
 * A monitor in one environment. `status` is what the last check-ins set (`active`, `ok` or
 * `error`). Missed and timed-out states are computed when read.
 */
export interface MonitorEnvironmentsTable {
  id: Generated<number>;
  monitorId: number;
  environment: string;
  status: string;
  dateCreated: number;
  lastCheckIn: number | null;
  nextCheckIn: number | null;
  nextCheckInLatest: number | null;
}

/** A check-in. `duration` is in milliseconds, and `monitorConfig` is the config when it arrived. */
export interface MonitorCheckInsTable {
  id: Generated<number>;
  guid: string;
  projectId: number;
  monitorId: number;
  monitorEnvironmentId: number;
  status: string;
  duration: number | null;
  dateCreated: number;
  dateUpdated: number;
  expectedTime: number | null;
  timeoutAt: number | null;
  monitorConfig: string;
  traceId: string | null;
}
