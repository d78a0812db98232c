import { findHeader, type FilterableEvent } from './filterable-event.js';

const LOCAL_IPS = new Set(['127.0.0.1', '::1']);
const LOCAL_DOMAINS = ['127.0.0.1', 'localhost'];

function isLocalHostName(host: string): boolean {
  return LOCAL_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    // An unparsable URL is treated as missing, as Relay does.
    return undefined;
  }
}

/**
 * Checks whether the event came from the developer's own machine, by Relay's rules. It did when
 * the user IP is 127.0.0.1 or ::1, when the request URL is a `file:` URL or its host is
 * localhost, 127.0.0.1 or a subdomain of them, or when `X-Forwarded-For` is a loopback address.
 * For events without a URL, a `Host` or `X-Forwarded-Host` of localhost or 127.0.0.1 (any port)
 * counts too.
 */
export function isFromLocalhost(event: FilterableEvent): boolean {
  if (event.userIp !== undefined && LOCAL_IPS.has(event.userIp)) {
    return true;
  }

  const url = event.url === undefined ? undefined : parseUrl(event.url);
  if (url !== undefined && (url.protocol === 'file:' || isLocalHostName(url.hostname))) {
    return true;
  }

  const forwardedFor = findHeader(event, 'X-Forwarded-For');
  if (forwardedFor !== undefined && LOCAL_IPS.has(forwardedFor)) {
    return true;
  }

  if (url !== undefined) {
    return false;
  }
  return ['Host', 'X-Forwarded-Host'].some((name) => {
    const host = findHeader(event, name)?.split(':')[0];
    return host !== undefined && LOCAL_DOMAINS.includes(host);
  });
}
