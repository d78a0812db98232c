/**
 * Helpers of the member and invitation tests: users with all-scope tokens, raw API calls that
 * return the status, logins with a session, accepting invitations, and reading the audit log.
 */
import { connectDb } from '../../src/server/platform/db/index.js';
import { SCOPES } from '../../src/server/features/accounts/scopes.js';
import { createUserAndToken } from './accounts-db.js';
import type { PicketInstance } from './picket.js';

export const PASSWORD = 'correct horse battery staple';

export interface ApiResult {
  status: number;
  body: unknown;
}

/** Credentials of a request: a bearer token, or a session cookie with its CSRF token. */
export type Credentials = { token: string } | { cookie: string; csrf: string } | undefined;

/** Sends a request and returns the status and the parsed body, whatever the status. */
export async function call(
  picket: PicketInstance,
  credentials: Credentials,
  method: string,
  pathname: string,
  body?: unknown,
): Promise<ApiResult> {
  const headers: Record<string, string> = {};
  if (credentials !== undefined && 'token' in credentials) {
    headers.authorization = `Bearer ${credentials.token}`;
  } else if (credentials !== undefined) {
    headers.cookie = credentials.cookie;
    headers['x-csrf-token'] = credentials.csrf;
  }
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${picket.url}${pathname}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** Creates a token with every scope for an existing user; its role still limits it. */
export function createToken(picket: PicketInstance, email: string): Promise<string> {
  return createUserAndToken(picket, { email, scopes: SCOPES });
}

/** Creates a user (as `picket createuser` does) and returns a token with every scope. */
export function createUser(
  picket: PicketInstance,
  email: string,
  options: { superuser?: boolean } = {},
): Promise<string> {
  return createUserAndToken(picket, {
    email,
    password: PASSWORD,
    scopes: SCOPES,
    superuser: options.superuser === true,
  });
}

/** Logs in and returns the session cookie and CSRF token. */
export async function logIn(
  picket: PicketInstance,
  email: string,
  password = PASSWORD,
): Promise<{ cookie: string; csrf: string }> {
  const response = await fetch(`${picket.url}/api/0/auth/login/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) {
    throw new Error(`login of ${email} answered ${response.status}`);
  }
  const cookies = response.headers.getSetCookie().map((line) => line.split(';')[0] ?? '');
  const csrf = cookies.find((cookie) => cookie.startsWith('picket_csrf='))?.slice(12) ?? '';
  return { cookie: cookies.join('; '), csrf };
}

/** Splits an invitation link into the path of its accept endpoint. */
export function acceptPath(inviteLink: string): string {
  const match = /\/accept-invite\/(i\d+)\/([0-9a-f]+)\/$/.exec(inviteLink);
  if (match === null) {
    throw new Error(`not an invitation link: ${inviteLink}`);
  }
  return `/api/0/accept-invite/${match[1]}/${match[2]}/`;
}

/**
 * Invites `email` with `role`, accepts as a new user and returns the member id and a token
 * of the new user with every scope.
 */
export async function addMember(
  picket: PicketInstance,
  ownerToken: string,
  orgSlug: string,
  email: string,
  role: string,
  teams: string[] = [],
): Promise<{ memberId: string; token: string }> {
  const invited = await call(
    picket,
    { token: ownerToken },
    'POST',
    `/api/0/organizations/${orgSlug}/members/`,
    {
      email,
      orgRole: role,
      teams,
    },
  );
  if (invited.status !== 201) {
    throw new Error(
      `invite of ${email} answered ${invited.status}: ${JSON.stringify(invited.body)}`,
    );
  }
  const link = (invited.body as { inviteLink: string }).inviteLink;
  const accepted = await call(picket, undefined, 'POST', acceptPath(link), {
    name: email,
    password: PASSWORD,
  });
  if (accepted.status !== 200) {
    throw new Error(
      `accept of ${email} answered ${accepted.status}: ${JSON.stringify(accepted.body)}`,
    );
  }
  const token = await createToken(picket, email);
  const me = await call(picket, { token }, 'GET', `/api/0/organizations/${orgSlug}/members/me/`);
  return { memberId: (me.body as { id: string }).id, token };
}

export interface AuditRow {
  event: string;
  organizationId: number | null;
  targetId: string | null;
  data: Record<string, unknown>;
}

/** Reads the audit log of a running server's database, oldest first. */
export async function readAudit(
  picket: PicketInstance,
  databaseUrl: string | undefined,
): Promise<AuditRow[]> {
  const db = connectDb({ databaseUrl, dataDir: picket.dataDir, poolSize: 1 });
  try {
    const rows = await db.kysely
      .selectFrom('auditLog')
      .select(['event', 'organizationId', 'targetId', 'data'])
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      event: row.event,
      organizationId: row.organizationId === null ? null : Number(row.organizationId),
      targetId: row.targetId,
      data: JSON.parse(row.data) as Record<string, unknown>,
    }));
  } finally {
    await db.close();
  }
}
