import { AppError, AuthError } from '../../platform/errors.js';

/** Credentials of an ingest request. */
export interface IngestAuth {
  /** DSN public key (`sentry_key`), without Relay's `.flag` suffixes. */
  publicKey: string;
  /** Project id from the envelope's `dsn` header. Request headers, query and path carry none. */
  projectId: number | undefined;
  /** Integer part of `sentry_version`, or 7 when absent. */
  sentryVersion: number;
  /** `sentry_client`, else the User-Agent header. */
  client: string | undefined;
}

export interface ExtractAuthInput {
  /** Request headers with lower-case names, as Node provides them. */
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
  /** Key from the URL path (`/api/{id}/unreal/{key}/`, `/api/{id}/cron/{slug}/{key}/`). */
  pathKey?: string;
}

interface AuthSource {
  name: string;
  fields: Map<string, string>;
}

const DEFAULT_SENTRY_VERSION = 7;
// SDKs accept `\w+` keys. Relay also requires exactly 32 characters, but other lengths are
// accepted so that keys like the `publickey` of test setups keep working.
const PUBLIC_KEY_PATTERN = /^\w{1,64}$/;
const PROJECT_ID_PATTERN = /^\d{1,15}$/;
const AUTH_QUERY_KEYS = ['sentry_key', 'sentry_version', 'sentry_client'] as const;

/**
 * Reads the DSN public key of an ingest request from the `X-Sentry-Auth` header, an
 * `Authorization: Sentry …` header, the `sentry_key` query parameter or the URL path. Returns
 * undefined when none of them is present, so that the caller can fall back to the envelope's
 * `dsn` header.
 *
 * @throws AuthError 401 when more than one source is present or a header is malformed.
 * @throws AppError 400 `bad_request` when the public key has an invalid format.
 */
export function extractAuth(input: ExtractAuthInput): IngestAuth | undefined {
  const sources = collectAuthSources(input);

  if (sources.length > 1) {
    const names = sources.map((source) => source.name).join(', ');
    throw new AuthError(
      401,
      `Multiple authorization payloads detected (${names}): send the key in only one of them`,
    );
  }

  const source = sources[0];
  if (source === undefined) {
    return undefined;
  }

  const key = source.fields.get('sentry_key');
  if (key === undefined || key === '') {
    throw new AuthError(401, `Missing sentry_key in the ${source.name}`);
  }

  return {
    publicKey: parsePublicKey(key),
    projectId: undefined,
    sentryVersion: parseSentryVersion(source.fields.get('sentry_version'), source.name),
    client: source.fields.get('sentry_client') ?? firstHeader(input.headers, 'user-agent'),
  };
}

/**
 * Parses a DSN (`{scheme}://{public_key}[:{secret}]@{host}[/{path}]/{project_id}`). The secret
 * key is ignored and never appears in error messages.
 *
 * @throws AppError 400 `bad_request` when the DSN is not a valid http(s) URL with a public key
 *   and a numeric project id.
 */
export function parseDsn(dsn: string): { publicKey: string; projectId: number } {
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    throw invalidDsn('it is not a URL');
  }

  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidDsn(`scheme "${url.protocol.slice(0, -1).slice(0, 20)}" is not http or https`);
  }
  if (url.username === '') {
    throw invalidDsn('it has no public key before "@"');
  }

  const path = url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
  const projectId = path.slice(path.lastIndexOf('/') + 1);

  if (!PROJECT_ID_PATTERN.test(projectId)) {
    throw invalidDsn(`project id ${JSON.stringify(projectId.slice(0, 40))} is not a number`);
  }

  return {
    publicKey: parsePublicKey(decodeURIComponent(url.username)),
    projectId: Number(projectId),
  };
}

/** Builds the credentials of a request that authenticates only with the envelope's `dsn`. */
export function authFromDsn(dsn: string): IngestAuth {
  const { publicKey, projectId } = parseDsn(dsn);
  return { publicKey, projectId, sentryVersion: DEFAULT_SENTRY_VERSION, client: undefined };
}

/**
 * Checks that the envelope's `dsn` header names the same public key as the request auth, and
 * the same project as `auth.projectId` or, when that is unset, `requestProjectId`.
 *
 * @throws AppError 400 `invalid_envelope` on a mismatch, 400 `bad_request` on a malformed DSN.
 */
export function checkDsnMatch(auth: IngestAuth, dsn: string, requestProjectId?: number): void {
  const envelopeDsn = parseDsn(dsn);

  if (envelopeDsn.publicKey !== auth.publicKey) {
    throw new AppError(
      400,
      'invalid_envelope',
      `Public key header mismatch between envelope and request: "${envelopeDsn.publicKey}" in the envelope DSN, "${auth.publicKey}" in the request`,
    );
  }

  const expectedProjectId = auth.projectId ?? requestProjectId;
  if (expectedProjectId !== undefined && envelopeDsn.projectId !== expectedProjectId) {
    throw new AppError(
      400,
      'invalid_envelope',
      `Project id header mismatch between envelope and request: ${envelopeDsn.projectId} in the envelope DSN, ${expectedProjectId} in the request`,
    );
  }
}

function collectAuthSources(input: ExtractAuthInput): AuthSource[] {
  const sources: AuthSource[] = [];

  // An empty header carries no credentials and counts as absent.
  const sentryAuth = singleHeader(input.headers, 'x-sentry-auth');
  if (sentryAuth !== undefined && sentryAuth.trim() !== '') {
    sources.push({
      name: 'X-Sentry-Auth header',
      fields: parseAuthHeader(sentryAuth, 'X-Sentry-Auth'),
    });
  }

  // Authorization also carries bearer tokens and other schemes, so only the Sentry scheme counts.
  const authorization = singleHeader(input.headers, 'authorization');
  if (authorization !== undefined && /^sentry\s/i.test(authorization.trimStart())) {
    sources.push({
      name: 'Authorization header',
      fields: parseAuthHeader(authorization, 'Authorization'),
    });
  }

  if (input.query.sentry_key !== undefined) {
    sources.push({ name: 'query string', fields: readAuthQuery(input.query) });
  }

  if (input.pathKey !== undefined && input.pathKey !== '') {
    sources.push({ name: 'URL path', fields: new Map([['sentry_key', input.pathKey]]) });
  }

  return sources;
}

// Format: `Sentry sentry_key=K, sentry_version=7, sentry_client=sdk/1.0`. The scheme is
// case-insensitive. Pairs are split on ",", then on the first "=", and trimmed.
function parseAuthHeader(value: string, headerName: string): Map<string, string> {
  const trimmed = value.trim();
  const match = /^sentry(?:\s+|$)/i.exec(trimmed);

  if (match === null) {
    throw new AuthError(401, `Invalid ${headerName} header: it must start with "Sentry "`);
  }

  const fields = new Map<string, string>();
  for (const pair of trimmed.slice(match[0].length).split(',')) {
    const separator = pair.indexOf('=');
    const key = (separator === -1 ? pair : pair.slice(0, separator)).trim();
    const fieldValue = separator === -1 ? '' : pair.slice(separator + 1).trim();

    if (key !== '') {
      fields.set(key, fieldValue);
    }
  }

  return fields;
}

function readAuthQuery(query: Record<string, unknown>): Map<string, string> {
  const fields = new Map<string, string>();

  for (const key of AUTH_QUERY_KEYS) {
    const value = query[key];

    if (value === undefined) {
      continue;
    }
    if (typeof value !== 'string') {
      throw new AuthError(401, `Invalid query parameter ${key}: send it exactly once`);
    }
    fields.set(key, value);
  }

  return fields;
}

// Relay splits `{key}.{flag}…` (e.g. `.no-cache`) and keeps the part before the first dot.
function parsePublicKey(value: string): string {
  const key = value.split('.', 1)[0] ?? '';

  if (!PUBLIC_KEY_PATTERN.test(key)) {
    throw new AppError(
      400,
      'bad_request',
      `Invalid public key ${JSON.stringify(value.slice(0, 70))}: expected 1 to 64 letters, digits or underscores`,
    );
  }

  return key;
}

// Only the integer part before the first "." counts, as in Relay: "7.0" is version 7.
function parseSentryVersion(value: string | undefined, sourceName: string): number {
  if (value === undefined || value === '') {
    return DEFAULT_SENTRY_VERSION;
  }

  const integerPart = value.split('.', 1)[0] ?? '';
  if (!/^\d{1,6}$/.test(integerPart)) {
    throw new AuthError(
      401,
      `Invalid sentry_version ${JSON.stringify(value.slice(0, 20))} in the ${sourceName}`,
    );
  }

  return Number(integerPart);
}

// A repeated auth header is ambiguous in the same way as two auth sources.
function singleHeader(headers: ExtractAuthInput['headers'], name: string): string | undefined {
  const value = headers[name];

  if (Array.isArray(value)) {
    if (value.length > 1) {
      throw new AuthError(
        401,
        `Multiple authorization payloads detected (${value.length} ${name} headers)`,
      );
    }
    return value[0];
  }

  return value;
}

function firstHeader(headers: ExtractAuthInput['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function invalidDsn(problem: string): AppError {
  return new AppError(400, 'bad_request', `Invalid DSN: ${problem}`);
}
