import { randomBytes } from 'node:crypto';

/** Prefix of organization tokens, which secret scanners and sentry-cli recognise. */
export const ORG_TOKEN_PREFIX = 'sntrys_';

/**
 * Creates an organization token in Sentry's layout: `sntrys_`, the standard base64 (padded) of
 * the JSON `{iat, url, region_url, org}`, `_`, then 32 random bytes in base64 without padding.
 * sentry-cli (`src/utils/auth_token/org_auth_token.rs`) checks exactly that layout, then takes
 * its server URL from `url` and its default organization from `org`. Neither base64 alphabet
 * contains `_`, so the token splits into three parts.
 */
export function createOrgTokenValue(input: { orgSlug: string; url: string; now: number }): string {
  const payload = {
    iat: Math.floor(input.now / 1000),
    url: input.url,
    region_url: input.url,
    org: input.orgSlug,
  };
  const encoded = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64');
  const secret = randomBytes(32).toString('base64').replace(/=+$/, '');
  return `${ORG_TOKEN_PREFIX}${encoded}_${secret}`;
}

/** Returns the payload of an organization token, or undefined when it is not one. */
export function readOrgTokenPayload(
  token: string,
): { iat: number; url: string; region_url: string; org: string } | undefined {
  const parts = token.split('_');
  if (parts.length !== 3 || `${parts[0]}_` !== ORG_TOKEN_PREFIX || parts[1] === undefined) {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(Buffer.from(parts[1], 'base64').toString('utf8'));
    if (typeof value !== 'object' || value === null) {
      return undefined;
    }
    const payload = value as Record<string, unknown>;
    if (
      typeof payload.iat !== 'number' ||
      typeof payload.url !== 'string' ||
      typeof payload.region_url !== 'string' ||
      typeof payload.org !== 'string'
    ) {
      return undefined;
    }
    return { iat: payload.iat, url: payload.url, region_url: payload.region_url, org: payload.org };
  } catch {
    // Not base64 JSON: not an organization token.
    return undefined;
  }
}
