import type {
  CheckInStatus,
  MonitorConfig,
  MonitorEnvironmentStatus,
} from '../../../shared/api/crons';

const STATUS_LABELS: Record<MonitorEnvironmentStatus | CheckInStatus, string> = {
  ok: 'OK',
  error: 'Failed',
  missed_checkin: 'Missed',
  timeout: 'Timed out',
  active: 'Waiting',
  in_progress: 'In progress',
};

/** Returns the label of a monitor or check-in status, as "Missed" for `missed_checkin`. */
export function statusLabel(status: MonitorEnvironmentStatus | CheckInStatus | 'missed'): string {
  return status === 'missed' ? 'Missed' : STATUS_LABELS[status];
}

/** Returns the badge classes of a status: green, red, amber or neutral. */
export function statusClassName(status: string): string {
  switch (status) {
    case 'ok':
      return 'badge badge-monitor-ok';
    case 'error':
    case 'timeout':
      return 'badge badge-monitor-failed';
    case 'missed_checkin':
    case 'missed':
      return 'badge badge-monitor-missed';
    default:
      return 'badge';
  }
}

/**
 * Describes a schedule, as "0 3 * * * (Europe/Berlin)" for a crontab or "Every 2 hours" for an
 * interval. A crontab without a time zone runs in UTC.
 */
export function describeSchedule(config: MonitorConfig): string {
  if (config.schedule_type === 'interval' && Array.isArray(config.schedule)) {
    const [count, unit] = config.schedule;
    return count === 1 ? `Every ${unit}` : `Every ${count} ${unit}s`;
  }
  return `${String(config.schedule)} (${config.timezone ?? 'UTC'})`;
}

/** Formats a duration in milliseconds as "850 ms", "4.2 s" or "3 min 5 s". */
export function formatDuration(ms: number | null): string {
  if (ms === null) {
    return '—';
  }
  if (ms < 1000) {
    return `${ms} ms`;
  }
  if (ms < 60_000) {
    return `${(ms / 1000).toLocaleString('en', { maximumFractionDigits: 1 })} s`;
  }
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}

/** The placeholder that the keys API puts in a key's cron URL where the monitor slug goes. */
const MONITOR_SLUG_PLACEHOLDER = '___MONITOR_SLUG___';

/** Returns a key's HTTP check-in URL for one monitor, from the key's `dsn.crons` template. */
export function buildCheckInUrl(template: string, slug: string): string {
  return template.replace(MONITOR_SLUG_PLACEHOLDER, encodeURIComponent(slug));
}

/** Returns shell commands that report a job's start, success or failure to a check-in URL. */
export function buildCurlExample(checkInUrl: string): string {
  return [
    '# When the job starts:',
    `curl "${checkInUrl}?status=in_progress"`,
    '# When it finishes:',
    `curl "${checkInUrl}?status=ok"`,
    '# Or, when it fails:',
    `curl "${checkInUrl}?status=error"`,
  ].join('\n');
}
