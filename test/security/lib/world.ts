/**
 * Two organizations, A and B, each with one object of every kind the API has ids for, and the
 * principals of the authorization matrix: anonymous, an outsider, each role of A, and a user
 * token per single scope. Objects are made through the API and ingest; only role memberships
 * are written to the SQLite file directly, because the API cannot add members yet.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';

import Sqlite from 'better-sqlite3';

import { isScope } from '../../../src/server/features/accounts/scopes.js';
import { createUserAndToken } from '../../helpers/accounts-db.js';
import { waitFor, type PicketInstance } from '../../helpers/picket.js';
import { send, type HttpResult } from './http-client.js';

/** Sentry's token scopes. Scopes the server's CLI does not know are dropped at setup. */
export const SENTRY_SCOPES = [
  'org:read',
  'org:write',
  'org:admin',
  'org:ci',
  'member:read',
  'member:write',
  'member:admin',
  'member:invite',
  'team:read',
  'team:write',
  'team:admin',
  'project:read',
  'project:write',
  'project:admin',
  'project:releases',
  'event:read',
  'event:write',
  'event:admin',
  'alerts:read',
  'alerts:write',
] as const;

export const ROLES = ['member', 'admin', 'manager', 'owner'] as const;
export type Role = (typeof ROLES)[number];

/** Credentials a principal sends: headers for every request, plus a CSRF header for writes. */
export interface Credentials {
  headers: Record<string, string>;
  writeHeaders: Record<string, string>;
}

export interface Principal {
  name: string;
  kind: 'anonymous' | 'outsider' | 'role' | 'token';
  role?: Role;
  /** The single scope of a token principal. */
  scope?: string;
  credentials: Credentials;
}

/** Objects of one organization, by the path parameter name that carries them. */
export type ObjectIds = Record<string, string>;

export interface Organization {
  slug: string;
  ownerEmail: string;
  ownerToken: string;
  ids: ObjectIds;
  /** Text planted in the organization's objects, to find it in other principals' responses. */
  marker: string;
}

export interface World {
  a: Organization;
  b: Organization;
  principals: Principal[];
  /** Scopes the server's CLI accepted. */
  scopes: string[];
  /** Credentials of A's owner through a session, for setup calls that need one. */
  ownerSession: Credentials;
  password: string;
}

const PASSWORD = 'matrix-password-0a1b2c3d';
let userCounter = 0;

/**
 * Creates a user in the server's database, as `picket createuser` does, and returns its e-mail.
 * The token made with it is not used.
 */
export async function createUser(picket: PicketInstance, prefix: string, password = PASSWORD) {
  userCounter += 1;
  const email = `${prefix}-${userCounter}-${randomBytes(3).toString('hex')}@example.com`;
  await createUserAndToken(picket, { email, password, scopes: [] });
  return email;
}

/** Creates a user token, or returns undefined for a scope that `picket token create` rejects. */
export async function createToken(picket: PicketInstance, email: string, scopes: string[]) {
  if (!scopes.every((scope) => isScope(scope))) {
    return undefined;
  }
  return createUserAndToken(picket, { email, scopes });
}

/** Logs in through the API and returns the cookies and the CSRF header the session needs. */
export async function logIn(
  picket: PicketInstance,
  email: string,
  password = PASSWORD,
): Promise<Credentials> {
  const response = await fetch(`${picket.url}/api/0/auth/login/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) {
    throw new Error(`login of ${email} failed with ${response.status}: ${await response.text()}`);
  }
  const cookies = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0] ?? '')
    .filter((pair) => pair.includes('=') && !pair.endsWith('='));
  const csrf = cookies.find((pair) => /csrf/i.test(pair.split('=')[0] ?? ''))?.split('=')[1];
  const headers = { cookie: cookies.join('; ') };
  return {
    headers,
    writeHeaders: { ...headers, ...(csrf === undefined ? {} : { 'x-csrf-token': csrf }) },
  };
}

function bearer(token: string): Credentials {
  const headers = { authorization: `Bearer ${token}` };
  return { headers, writeHeaders: headers };
}

/** Sends a JSON API request as `credentials` and throws on a non-2xx answer. */
export async function api(
  picket: PicketInstance,
  credentials: Credentials,
  method: string,
  pathname: string,
  body?: unknown,
): Promise<unknown> {
  const result = await send({
    method,
    url: `${picket.url}${pathname}`,
    headers: {
      ...(method === 'GET' ? credentials.headers : credentials.writeHeaders),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (result.status < 200 || result.status > 299) {
    throw new Error(`${method} ${pathname} answered ${result.status}: ${result.text}`);
  }
  return result.text === '' ? undefined : (JSON.parse(result.text) as unknown);
}

function asList(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
}

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** Posts an envelope to the project's ingest endpoint with the DSN key in the query string. */
export function postEnvelope(
  picket: PicketInstance,
  projectId: string,
  publicKey: string,
  body: string | Uint8Array<ArrayBuffer>,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  return send({
    method: 'POST',
    url: `${picket.url}/api/${projectId}/envelope/?sentry_key=${publicKey}&sentry_version=7`,
    headers: { 'content-type': 'application/x-sentry-envelope', ...headers },
    body,
  });
}

/** Serializes envelope items; each gets a `length` header. */
export function envelope(
  headers: Record<string, unknown>,
  items: { type: string; payload: unknown; headers?: Record<string, unknown> }[],
): string {
  const lines = [JSON.stringify(headers)];
  for (const item of items) {
    const payload = typeof item.payload === 'string' ? item.payload : JSON.stringify(item.payload);
    lines.push(
      JSON.stringify({ type: item.type, length: Buffer.byteLength(payload), ...item.headers }),
    );
    lines.push(payload);
  }
  return `${lines.join('\n')}\n`;
}

/** Builds one organization with a project, keys, events of each kind, a release and more. */
async function buildOrganization(picket: PicketInstance, name: string, scopes: string[]) {
  const marker = `MARK${name.toUpperCase()}${hex(4)}`;
  const ownerEmail = await createUser(picket, `owner-${name}`);
  const ownerToken = await createToken(picket, ownerEmail, scopes);
  if (ownerToken === undefined) {
    throw new Error('token create failed for the owner');
  }
  const owner = bearer(ownerToken);
  const slug = `org-${name}-${hex(3)}`;
  await api(picket, owner, 'POST', '/api/0/organizations/', { name: `Org ${marker}`, slug });
  const teams = asList(await api(picket, owner, 'GET', `/api/0/organizations/${slug}/teams/`));
  const teamSlug = String(teams[0]?.slug ?? slug);
  const projectSlug = `web-${name}`;
  const project = (await api(picket, owner, 'POST', `/api/0/teams/${slug}/${teamSlug}/projects/`, {
    name: `Web ${marker}`,
    slug: projectSlug,
    platform: 'javascript',
  })) as { id: string | number };
  const projectId = String(project.id);
  const projectPath = `/api/0/projects/${slug}/${projectSlug}`;
  const keys = asList(await api(picket, owner, 'GET', `${projectPath}/keys/`));
  const publicKey = String(keys[0]?.public);
  const extraKey = (await api(picket, owner, 'POST', `${projectPath}/keys/`, {
    name: `Key ${marker}`,
  })) as { id: string };

  const release = `1.0.${name}-${marker.toLowerCase()}`;
  const traceId = hex(16);
  const errorEventId = hex(16);
  const transactionEventId = hex(16);
  const now = Date.now() / 1000;
  const body = envelope({ event_id: errorEventId, sent_at: new Date().toISOString() }, [
    {
      type: 'event',
      payload: {
        event_id: errorEventId,
        timestamp: now,
        platform: 'javascript',
        level: 'error',
        release,
        environment: 'production',
        message: `Error ${marker}`,
        exception: {
          values: [{ type: 'TypeError', value: `broken ${marker}`, stacktrace: { frames: [] } }],
        },
        tags: { area: marker },
        user: { id: marker, email: `${marker.toLowerCase()}@example.com` },
        contexts: { trace: { trace_id: traceId, span_id: hex(8) } },
      },
    },
    {
      type: 'attachment',
      headers: { filename: `notes-${marker}.txt`, content_type: 'text/plain' },
      payload: `attachment ${marker}`,
    },
  ]);
  const sent = await postEnvelope(picket, projectId, publicKey, body);
  if (sent.status !== 200) {
    throw new Error(`ingest of the error event answered ${sent.status}: ${sent.text}`);
  }
  const transaction = envelope({ event_id: transactionEventId }, [
    {
      type: 'transaction',
      payload: {
        event_id: transactionEventId,
        type: 'transaction',
        transaction: `GET /checkout/${marker}`,
        start_timestamp: now - 1,
        timestamp: now,
        platform: 'javascript',
        release,
        contexts: { trace: { trace_id: traceId, span_id: hex(8), op: 'http.server' } },
        spans: [
          {
            span_id: hex(8),
            parent_span_id: hex(8),
            trace_id: traceId,
            op: 'db',
            description: `SELECT ${marker}`,
            start_timestamp: now - 0.5,
            timestamp: now - 0.2,
          },
        ],
      },
    },
    {
      type: 'log',
      headers: { item_count: 1, content_type: 'application/vnd.sentry.items.log+json' },
      payload: {
        items: [
          {
            timestamp: now,
            trace_id: traceId,
            level: 'info',
            body: `log ${marker}`,
            attributes: {},
          },
        ],
      },
    },
    {
      type: 'feedback',
      payload: {
        event_id: hex(16),
        timestamp: now,
        platform: 'javascript',
        contexts: {
          feedback: { message: `feedback ${marker}`, contact_email: 'a@example.com', name: 'n' },
        },
      },
    },
  ]);
  await postEnvelope(picket, projectId, publicKey, transaction);

  const issue = await waitFor(async () => {
    const list = asList(await api(picket, owner, 'GET', `${projectPath}/issues/?query=`));
    return list[0];
  }, 30_000);
  const issueId = String(issue.id);
  const shortId = String(issue.shortId);
  const attachments = await waitFor(async () => {
    const list = asList(
      await api(picket, owner, 'GET', `${projectPath}/events/${errorEventId}/attachments/`),
    );
    return list.length > 0 ? list : undefined;
  }, 30_000);

  await api(picket, owner, 'POST', `/api/0/organizations/${slug}/releases/`, {
    version: release,
    projects: [projectSlug],
  });
  const file = await uploadReleaseFile(picket, ownerToken, slug, release, marker);
  const comment = (await api(
    picket,
    owner,
    'POST',
    `/api/0/organizations/${slug}/issues/${issueId}/comments/`,
    { text: `comment ${marker}` },
  )) as { id: string };
  const search = (await api(picket, owner, 'POST', `/api/0/organizations/${slug}/searches/`, {
    name: `search ${marker}`,
    query: 'is:unresolved',
  })) as { id: string };
  const monitorSlug = `cron-${name}`;
  await api(picket, owner, 'POST', `/api/0/organizations/${slug}/monitors/`, {
    name: `Cron ${marker}`,
    slug: monitorSlug,
    project: projectSlug,
    type: 'cron_job',
    config: { schedule_type: 'crontab', schedule: '0 * * * *', checkin_margin: 5 },
  });

  // E-mail to the issue owners, falling through to no one, so a test send reaches nobody.
  const rule = (await api(picket, owner, 'POST', `${projectPath}/rules/`, {
    name: `Rule ${marker}`,
    actionMatch: 'any',
    frequency: 30,
    conditions: [{ id: 'sentry.rules.conditions.first_seen_event.FirstSeenEventCondition' }],
    actions: [
      {
        id: 'sentry.mail.actions.NotifyEmailAction',
        targetType: 'IssueOwners',
        fallthroughType: 'NoOne',
      },
    ],
  })) as { id: string };

  const ids: ObjectIds = {
    org: slug,
    project: projectSlug,
    team: teamSlug,
    keyId: String(extraKey.id),
    filterId: 'browser-extensions',
    eventId: errorEventId,
    issueId,
    shortId,
    key: 'area',
    activityId: String(comment.id),
    searchId: String(search.id),
    attachmentId: String(attachments[0]?.id),
    traceId,
    version: release,
    monitor: monitorSlug,
    fileId: file,
    projectId,
    monitorSlug,
    sentryKey: publicKey,
    ruleId: String(rule.id),
  };
  return { slug, ownerEmail, ownerToken, ids, marker } satisfies Organization;
}

async function uploadReleaseFile(
  picket: PicketInstance,
  token: string,
  org: string,
  version: string,
  marker: string,
): Promise<string> {
  const form = new FormData();
  form.set('name', `~/static/app-${marker}.js`);
  form.set('file', new Blob([`console.log(${JSON.stringify(marker)})`]), 'app.js');
  const response = await fetch(
    `${picket.url}/api/0/organizations/${org}/releases/${encodeURIComponent(version)}/files/`,
    { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form },
  );
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`release file upload answered ${response.status}: ${text}`);
  }
  return String((JSON.parse(text) as { id: string }).id);
}

/** Adds a user to an organization with a role, in the org's first team too. */
function addMember(dataDir: string, orgSlug: string, email: string, role: Role): void {
  const sqlite = new Sqlite(path.join(dataDir, 'picket.sqlite'));
  try {
    sqlite.pragma('busy_timeout = 5000');
    const org = sqlite.prepare('SELECT id FROM organizations WHERE slug = ?').get(orgSlug) as {
      id: number;
    };
    const user = sqlite.prepare('SELECT id FROM users WHERE email = ?').get(email) as {
      id: number;
    };
    const member = sqlite
      .prepare(
        'INSERT INTO organization_members (organization_id, user_id, role, created_at) VALUES (?, ?, ?, ?)',
      )
      .run(org.id, user.id, role, Date.now());
    const team = sqlite
      .prepare('SELECT id FROM teams WHERE organization_id = ? ORDER BY id LIMIT 1')
      .get(org.id) as { id: number } | undefined;
    if (team !== undefined) {
      sqlite
        .prepare('INSERT INTO team_members (team_id, member_id) VALUES (?, ?)')
        .run(team.id, member.lastInsertRowid);
    }
  } finally {
    sqlite.close();
  }
}

/** Returns the Sentry scopes the server's CLI accepts, trying each in a token of its own. */
async function supportedScopes(picket: PicketInstance): Promise<string[]> {
  const probeUser = await createUser(picket, 'scope-probe');
  const accepted = await Promise.all(
    SENTRY_SCOPES.map(async (scope) =>
      (await createToken(picket, probeUser, [scope])) === undefined ? undefined : scope,
    ),
  );
  return accepted.filter((scope): scope is (typeof SENTRY_SCOPES)[number] => scope !== undefined);
}

/** Builds one organization with an owner token of every supported scope. */
export async function buildSingleOrganization(picket: PicketInstance): Promise<Organization> {
  return buildOrganization(picket, 'a', await supportedScopes(picket));
}

/** Builds organizations A and B and every principal of the matrix. */
export async function buildWorld(picket: PicketInstance): Promise<World> {
  const scopes = await supportedScopes(picket);

  const [a, b] = await Promise.all([
    buildOrganization(picket, 'a', scopes),
    buildOrganization(picket, 'b', scopes),
  ]);
  const principals: Principal[] = [
    { name: 'anonymous', kind: 'anonymous', credentials: { headers: {}, writeHeaders: {} } },
  ];

  const outsiderEmail = await createUser(picket, 'outsider');
  principals.push({
    name: 'outsider session',
    kind: 'outsider',
    credentials: await logIn(picket, outsiderEmail),
  });
  const outsiderToken = await createToken(picket, outsiderEmail, scopes);
  if (outsiderToken !== undefined) {
    principals.push({
      name: 'outsider token',
      kind: 'outsider',
      credentials: bearer(outsiderToken),
    });
  }

  for (const role of ROLES) {
    const email = role === 'owner' ? a.ownerEmail : await createUser(picket, role);
    if (role !== 'owner') {
      addMember(picket.dataDir, a.slug, email, role);
    }
    principals.push({
      name: `${role} session`,
      kind: 'role',
      role,
      credentials: await logIn(picket, email),
    });
  }
  const ownerSession = principals.find((principal) => principal.name === 'owner session');

  const tokens = await Promise.all(
    scopes.map(async (scope) => ({
      scope,
      token: await createToken(picket, a.ownerEmail, [scope]),
    })),
  );
  for (const { scope, token } of tokens) {
    if (token !== undefined) {
      principals.push({ name: `token ${scope}`, kind: 'token', scope, credentials: bearer(token) });
    }
  }

  return {
    a,
    b,
    principals,
    scopes,
    ownerSession: ownerSession?.credentials ?? bearer(a.ownerToken),
    password: PASSWORD,
  };
}

/** A fresh name for objects that write cells create. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
