import type { Config } from '../../platform/config.js';

/**
 * Returns the base of links in notifications: `PICKET_URL`, or else the listener's own address,
 * which works only on the machine itself, so the docs recommend setting `PICKET_URL`.
 */
export function notificationBaseUrl(
  config: Pick<Config, 'publicUrl' | 'host' | 'port' | 'tls'>,
): string {
  if (config.publicUrl !== undefined) {
    return config.publicUrl;
  }
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const scheme = config.tls === undefined ? 'http' : 'https';
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}

/** Builds the URL of an issue's page. */
export function issueUrl(baseUrl: string, organizationSlug: string, issueId: number): string {
  return `${baseUrl}/organizations/${encodeURIComponent(organizationSlug)}/issues/${issueId}/`;
}

/** Builds the URL of the page where users choose their notifications. */
export function notificationSettingsUrl(baseUrl: string): string {
  return `${baseUrl}/settings/account/notifications/`;
}
