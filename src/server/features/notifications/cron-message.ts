import type { MonitorConfig } from '../../../shared/api/crons.js';
import type { CheckInRow } from '../crons/check-in-store.js';
import type { EmailPayload } from './deliveries.js';
import { renderEmail } from './email-layout.js';
import { notificationSettingsUrl } from './links.js';
import type { CronTransition } from './cron-state.js';

/** The monitor environment a cron notification is about. */
export interface CronSubject {
  organizationSlug: string;
  projectSlug: string;
  monitorSlug: string;
  monitorName: string;
  environment: string;
  config: MonitorConfig;
  /** The environment's latest check-in, or undefined before the first. */
  latest: CheckInRow | undefined;
}

/** Builds the URL of a cron monitor's web page. */
export function monitorUrl(baseUrl: string, organizationSlug: string, monitorSlug: string): string {
  return `${baseUrl}/organizations/${encodeURIComponent(organizationSlug)}/crons/${encodeURIComponent(monitorSlug)}/`;
}

/** Writes a monitor's schedule as its crontab or interval, with the time zone. */
export function describeSchedule(config: MonitorConfig): string {
  const timeZone = config.timezone ?? 'UTC';
  if (config.schedule_type === 'crontab') {
    return `${String(config.schedule)} (${timeZone})`;
  }
  const [count, unit] = Array.isArray(config.schedule) ? config.schedule : [0, 'minute'];
  return `every ${count} ${unit}${count === 1 ? '' : 's'} (${timeZone})`;
}

function headline(transition: CronTransition): string {
  switch (transition.kind) {
    case 'missed':
      return 'missed a check-in';
    case 'failed':
      return transition.status === 'timeout' ? 'timed out' : 'failed';
    case 'recovered':
      return 'recovered';
  }
}

function explanation(transition: CronTransition): string {
  switch (transition.kind) {
    case 'missed':
      return 'No check-in arrived by the expected time plus the check-in margin.';
    case 'failed':
      return transition.status === 'timeout'
        ? 'A check-in stayed in progress longer than the maximum runtime.'
        : 'A check-in reported the status error.';
    case 'recovered':
      return 'A check-in reported ok after the monitor had failed or missed a check-in.';
  }
}

function isoOrDash(ms: number | string | null | undefined): string {
  if (ms === null || ms === undefined) {
    return '-';
  }
  const date = new Date(Number(ms));
  return Number.isNaN(date.getTime()) ? '-' : date.toISOString();
}

/** Renders the e-mail about one change of a monitor environment. */
export function renderCronEmail(
  transition: CronTransition,
  subject: CronSubject,
  baseUrl: string,
): EmailPayload {
  const title = `Cron monitor ${subject.monitorName} ${headline(transition)}`;
  const latest = transition.kind === 'missed' ? subject.latest : transition.checkIn;
  const expectedAt = transition.kind === 'missed' ? transition.expectedAt : latest?.expectedTime;
  const lastStatus =
    latest === undefined
      ? 'none yet'
      : `${transition.kind === 'failed' ? transition.status : latest.status} at ${isoOrDash(latest.dateCreated)}`;

  return renderEmail({
    subject: `[${subject.projectSlug}] ${title}`,
    heading: title,
    paragraphs: [explanation(transition)],
    facts: [
      ['Monitor', subject.monitorName],
      ['Project', subject.projectSlug],
      ['Environment', subject.environment],
      ['Expected at', isoOrDash(expectedAt)],
      ['Schedule', describeSchedule(subject.config)],
      ['Last check-in', lastStatus],
    ],
    link: {
      label: 'Open the monitor',
      url: monitorUrl(baseUrl, subject.organizationSlug, subject.monitorSlug),
    },
    footer: `You receive this because cron monitor notifications are on for projects you can see. Change it at ${notificationSettingsUrl(baseUrl)}`,
  });
}
