import type { EmailPayload } from './deliveries.js';
import { renderEmail } from './email-layout.js';
import { notificationSettingsUrl } from './links.js';

/** The rate limits whose rejections are notified: `rate_limited` outcome reasons. */
export type QuotaWarningReason = 'key_quota' | 'project_quota' | 'spike_protection';

/** The subject of a rate limit or spike protection warning. */
export interface QuotaWarning {
  reason: QuotaWarningReason;
  organizationSlug: string;
  projectSlug: string;
  /** Items rejected with that reason so far in the current hour. */
  rejected: number;
  /** The start of the hour the count covers. */
  hour: number;
}

const LIMIT_NAMES: Record<QuotaWarningReason, string> = {
  key_quota: 'the rate limit of a client key (DSN)',
  project_quota: 'the project rate limit',
  spike_protection: 'spike protection',
};

const FOOTER = 'You receive this because you own the organization and quota notifications are on.';

function headline(warning: QuotaWarning): string {
  return warning.reason === 'spike_protection'
    ? 'Spike protection is dropping events'
    : 'Rate limit reached, events are dropped';
}

function explanation(warning: QuotaWarning): string {
  if (warning.reason === 'spike_protection') {
    return `Project ${warning.projectSlug} receives far more events per minute than its usual rate, so Picket rejects the excess until the rate falls back. Rejected items are counted on the stats page.`;
  }
  return `Project ${warning.projectSlug} reached ${LIMIT_NAMES[warning.reason]}, so Picket rejects its events until the limit's window ends. Raise the limit in the client key settings if the traffic is expected.`;
}

/** Renders the e-mail about a rate limit or spike protection rejecting a project's events. */
export function renderQuotaEmail(warning: QuotaWarning, baseUrl: string): EmailPayload {
  const org = encodeURIComponent(warning.organizationSlug);
  const project = encodeURIComponent(warning.projectSlug);
  const link =
    warning.reason === 'spike_protection'
      ? { label: 'Open the stats', url: `${baseUrl}/organizations/${org}/stats/` }
      : {
          label: 'Open the client keys',
          url: `${baseUrl}/settings/${org}/projects/${project}/keys/`,
        };

  return renderEmail({
    subject: `[${warning.projectSlug}] ${headline(warning)}`,
    heading: headline(warning),
    paragraphs: [explanation(warning)],
    facts: [
      ['Organization', warning.organizationSlug],
      ['Project', warning.projectSlug],
      ['Limit', LIMIT_NAMES[warning.reason]],
      ['Rejected this hour', String(warning.rejected)],
      ['Hour', new Date(warning.hour).toISOString()],
    ],
    link,
    footer: `${FOOTER} Change it at ${notificationSettingsUrl(baseUrl)}`,
  });
}
