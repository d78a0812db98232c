import type { Config } from '../../platform/config.js';

/**
 * The address that links in notifications start with: `PICKET_URL`, or else the listener's
 * own address, which works only on the machine itself (so the docs ask for `PICKET_URL`).
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

/** The web page of an issue. */
export function issueUrl(baseUrl: string, organizationSlug: string, issueId: number): string {
  return `${baseUrl}/organizations/${encodeURIComponent(organizationSlug)}/issues/${issueId}/`;
}

/** The page where a user changes what Picket sends them. */
export function notificationSettingsUrl(baseUrl: string): string {
  return `${baseUrl}/settings/account/notifications/`;
}
