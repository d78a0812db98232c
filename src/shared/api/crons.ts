/**
 * Wire types of Picket's cron monitor endpoints, in the shapes of Sentry's
 * `/api/0/organizations/{org}/monitors/` responses. Config keys stay snake_case as in Sentry.
 */

export type IntervalUnit = 'year' | 'month' | 'week' | 'day' | 'hour' | 'minute';

export interface MonitorConfig {
  schedule_type: 'crontab' | 'interval';
  /** A five-field crontab, or `[count, unit]` for an interval. */
  schedule: string | [number, IntervalUnit];
  /** Minutes a check-in may be late before it counts as missed; Sentry's default is 1. */
  checkin_margin: number | null;
  /** Minutes a check-in may stay in progress before it times out; Sentry's default is 30. */
  max_runtime: number | null;
  /** IANA time zone of a crontab; null means UTC. */
  timezone: string | null;
  failure_issue_threshold: number | null;
  recovery_threshold: number | null;
}

/**
 * Status of a monitor in one environment: `active` before its first finished check-in,
 * `missed_checkin` when no check-in came by the expected time plus margin, `timeout` when a
 * check-in stayed in progress longer than the maximum runtime.
 */
export type MonitorEnvironmentStatus = 'active' | 'ok' | 'error' | 'missed_checkin' | 'timeout';

export type CheckInStatus = 'in_progress' | 'ok' | 'error' | 'timeout';

export interface MonitorEnvironment {
  name: string;
  status: MonitorEnvironmentStatus;
  isMuted: boolean;
  /** ISO 8601 timestamps. */
  dateCreated: string;
  lastCheckIn: string | null;
  nextCheckIn: string | null;
  nextCheckInLatest: string | null;
}

export interface MonitorProject {
  id: string;
  slug: string;
  name: string;
  platform: string | null;
}

export interface Monitor {
  /** The monitor's UUID, as Sentry returns it. */
  id: string;
  slug: string;
  name: string;
  /** Whether the monitor accepts check-ins: `active` or `disabled`. */
  status: 'active' | 'disabled';
  isMuted: boolean;
  type: 'cron_job';
  dateCreated: string;
  project: MonitorProject;
  config: MonitorConfig;
  environments: MonitorEnvironment[];
}

export interface MonitorCheckIn {
  /** The check-in id that the SDK sent, as 32 hex digits with dashes. */
  id: string;
  status: CheckInStatus;
  /** Milliseconds, null while in progress. */
  duration: number | null;
  environment: string;
  dateCreated: string;
  dateUpdated: string;
  /** When the check-in was expected, without margin; null for a monitor's first check-in. */
  expectedTime: string | null;
  attachmentId: null;
  monitorConfig: MonitorConfig | Record<string, never>;
}

/** A config as a client sends it: the schedule is required, the other keys are optional. */
export type MonitorConfigInput = Pick<MonitorConfig, 'schedule_type' | 'schedule'> &
  Partial<Omit<MonitorConfig, 'schedule_type' | 'schedule'>>;

/** Body of `POST /api/0/organizations/{org}/monitors/`. */
export interface CreateMonitorRequest {
  name: string;
  /** Derived from the name when absent. */
  slug?: string;
  /** The slug or numeric id of the project the monitor belongs to. */
  project: string;
  type: 'cron_job';
  status?: 'active' | 'disabled';
  isMuted?: boolean;
  config: MonitorConfigInput;
}

/** Body of `PUT /api/0/organizations/{org}/monitors/{slug}/`; absent fields stay as they are. */
export interface UpdateMonitorRequest {
  name?: string;
  slug?: string;
  status?: 'active' | 'disabled';
  isMuted?: boolean;
  /** Merged into the current config. */
  config?: Partial<MonitorConfig>;
}
