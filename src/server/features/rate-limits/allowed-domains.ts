/**
 * Allowed domains of a DSN key: the origins that browsers may send events from. Patterns, as
 * in Sentry's "Allowed Domains" setting and Relay's origin check:
 *
 * - `*` matches every origin;
 * - `example.com` matches that host on any scheme and port;
 * - `*.example.com` matches example.com and every subdomain of it;
 * - `*:8080` matches any host on that port;
 * - `https://example.com[:port]` matches that scheme and host, and the port when one is given.
 *
 * A request without `Origin` and `Referer` headers (a server-side SDK) is always allowed.
 */

interface OriginParts {
  scheme: string | undefined;
  host: string | undefined;
  port: string | undefined;
}

const MAX_PATTERN_LENGTH = 255;
const MAX_PATTERNS = 100;
const PATTERN_SYNTAX =
  /^(?:(?<scheme>[a-z][a-z0-9+.-]*):\/\/)?(?<host>\*|(?:\*\.)?[a-z0-9_-]+(?:\.[a-z0-9_-]+)*|\[[0-9a-f:.]+\])?(?::(?<port>\d{1,5}|\*))?\/?$/i;

/**
 * Checks a list of patterns and returns them trimmed, or the problems found.
 * @returns `{ ok: true, domains }`, or `{ ok: false, problems }` naming each invalid pattern.
 */
export function parseAllowedDomains(
  patterns: readonly string[],
): { ok: true; domains: string[] } | { ok: false; problems: string[] } {
  const domains = patterns.map((pattern) => pattern.trim()).filter((pattern) => pattern !== '');
  const problems: string[] = [];

  if (domains.length > MAX_PATTERNS) {
    problems.push(`At most ${MAX_PATTERNS} allowed domains are supported`);
  }
  for (const pattern of domains) {
    if (pattern.length > MAX_PATTERN_LENGTH || parsePattern(pattern) === undefined) {
      problems.push(
        `Invalid allowed domain ${JSON.stringify(pattern.slice(0, 80))}: use *, example.com, *.example.com or https://example.com`,
      );
    }
  }

  return problems.length > 0 ? { ok: false, problems } : { ok: true, domains };
}

/**
 * Returns the origin of a browser request: the `Origin` header, else the `Referer` header.
 * A value that is not a URL (such as `null` from a file page) counts as absent, as in Relay.
 */
export function requestOrigin(origin: string | undefined, referer: string | undefined) {
  for (const value of [origin, referer]) {
    if (value === undefined || value === '') {
      continue;
    }
    try {
      return new URL(value);
    } catch {
      // Not a URL: try the next header, as Relay does.
    }
  }
  return undefined;
}

/** Returns whether an origin matches one of the allowed domain patterns. */
export function isOriginAllowed(origin: URL | undefined, patterns: readonly string[]): boolean {
  if (origin === undefined) {
    return true;
  }

  const actual: OriginParts = {
    scheme: origin.protocol.replace(/:$/, '').toLowerCase(),
    host: origin.hostname.toLowerCase(),
    port: origin.port === '' ? defaultPort(origin.protocol) : origin.port,
  };

  return patterns.some((pattern) => {
    const expected = parsePattern(pattern);
    return expected !== undefined && matches(expected, actual);
  });
}

function matches(expected: OriginParts, actual: OriginParts): boolean {
  if (expected.scheme !== undefined && expected.scheme !== actual.scheme) {
    return false;
  }
  if (expected.port !== undefined && expected.port !== '*' && expected.port !== actual.port) {
    return false;
  }
  if (expected.host === undefined || expected.host === '*') {
    return true;
  }
  if (expected.host.startsWith('*.')) {
    const base = expected.host.slice(2);
    return actual.host === base || (actual.host?.endsWith(`.${base}`) ?? false);
  }
  return expected.host === actual.host;
}

function parsePattern(pattern: string): OriginParts | undefined {
  const match = PATTERN_SYNTAX.exec(pattern.trim());
  const groups = match?.groups;
  if (groups === undefined || (groups.host === undefined && groups.port === undefined)) {
    return undefined;
  }

  // A pattern without a port matches every port, as in Relay.
  return {
    scheme: groups.scheme?.toLowerCase(),
    host: groups.host?.toLowerCase(),
    port: groups.port,
  };
}

function defaultPort(protocol: string): string | undefined {
  if (protocol === 'http:') {
    return '80';
  }
  if (protocol === 'https:') {
    return '443';
  }
  return undefined;
}
