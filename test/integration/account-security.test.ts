/**
 * Two-factor login, sessions, re-authentication, password change, login throttling and the
 * organization two-factor requirement, through the real server on SQLite and PostgreSQL. Stored
 * timestamps are moved back in the database to test the timeouts without waiting.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { hashSecret } from '../../src/server/features/accounts/secrets.js';
import { generateTotp } from '../../src/server/features/accounts/totp.js';
import { connectDb, type Db } from '../../src/server/platform/db/index.js';
import { SERVER_ENGINES } from '../helpers/engines.js';
import { SessionClient } from '../helpers/session-client.js';
import {
  runCli,
  setupProject,
  startPicket,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface Enrollment {
  secret: string;
  uri: string;
  enrollmentToken: string;
}

interface FactorAdded {
  authenticator: { id: string; type: string };
  recoveryCodes: string[] | null;
}

/** Returns a TOTP code of a later step than any used so far, as the server accepts one step ahead. */
function nextCode(secret: string): string {
  return generateTotp(secret, Date.now() + 30_000);
}

describe.each(SERVER_ENGINES)('account security on $name', ({ databaseUrl }) => {
  let picket: PicketInstance;
  let db: Db;

  beforeAll(async () => {
    const url = await databaseUrl();
    picket = await startPicket(url === undefined ? {} : { databaseUrl: url });
    db = connectDb({ databaseUrl: url, dataDir: picket.dataDir });
  });

  afterAll(async () => {
    await db.close();
    await picket.stop();
  });

  beforeEach(async () => {
    // Every test logs in several times from 127.0.0.1; only the throttle tests count attempts.
    await db.kysely.deleteFrom('authThrottle').execute();
  });

  async function loggedIn(project: TestProject): Promise<SessionClient> {
    const client = new SessionClient(picket.url);
    const login = await client.logIn(project.email, project.password);
    expect(login.status).toBe(200);
    return client;
  }

  it('sets a password with the setpassword command and ends the sessions', async () => {
    const project = await setupProject(picket, 'setpw');
    const session = await loggedIn(project);
    const newPassword = 'a different long password';

    const result = await runCli(['setpassword', '--email', project.email, '--password-stdin'], {
      env: picket.env,
      input: `${newPassword}\n`,
    });

    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(newPassword);
    expect((await session.get('/api/0/auth/')).status).toBe(401);
    expect(
      (await new SessionClient(picket.url).logIn(project.email, project.password)).status,
    ).toBe(401);
    expect((await new SessionClient(picket.url).logIn(project.email, newPassword)).status).toBe(
      200,
    );
    const user = await db.kysely
      .selectFrom('users')
      .select('id')
      .where('email', '=', project.email)
      .executeTakeFirstOrThrow();
    const audit = await db.kysely
      .selectFrom('auditLog')
      .select(['actorLabel', 'data'])
      .where('event', '=', 'user.password-change')
      .where('targetId', '=', String(user.id))
      .execute();
    expect(audit).toEqual([{ actorLabel: 'picket setpassword', data: '{"via":"cli"}' }]);

    const unknown = await runCli(
      ['setpassword', '--email', 'nobody@example.com', '--password-stdin'],
      {
        env: picket.env,
        input: `${newPassword}\n`,
      },
    );
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('No user has the e-mail nobody@example.com');
  });

  async function userIdOf(email: string): Promise<number> {
    const row = await db.kysely
      .selectFrom('users')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async function enrollTotp(client: SessionClient) {
    const started = await client.request('POST', '/api/0/users/me/authenticators/totp/');
    const enrollment = started.body as Enrollment;
    const confirmed = await client.request('POST', '/api/0/users/me/authenticators/totp/confirm/', {
      enrollmentToken: enrollment.enrollmentToken,
      code: generateTotp(enrollment.secret, Date.now()),
    });
    expect(confirmed.status).toBe(201);
    return { secret: enrollment.secret, added: confirmed.body as FactorAdded, started };
  }

  describe('TOTP enrollment and login', () => {
    let project: TestProject;
    let secret: string;
    let recoveryCodes: string[];
    let enrollmentUri: string;

    beforeAll(async () => {
      project = await setupProject(picket, 'totp');
      const client = await loggedIn(project);
      const enrolled = await enrollTotp(client);
      secret = enrolled.secret;
      recoveryCodes = enrolled.added.recoveryCodes ?? [];
      enrollmentUri = (enrolled.started.body as Enrollment).uri;
    });

    it('shows the secret as base32 and as an otpauth URI', () => {
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(enrollmentUri).toContain(`otpauth://totp/Picket:`);
      expect(enrollmentUri).toContain(`secret=${secret}`);
    });

    it('creates ten recovery codes with the first factor', () => {
      expect(recoveryCodes).toHaveLength(10);
    });

    it('stores the TOTP secret sealed', async () => {
      const row = await db.kysely
        .selectFrom('userAuthenticators')
        .select('config')
        .where('userId', '=', await userIdOf(project.email))
        .executeTakeFirstOrThrow();

      expect(row.config).not.toContain(secret);
      expect(row.config).toContain('pk1.');
    });

    it('stores recovery codes hashed', async () => {
      const rows = await db.kysely
        .selectFrom('userRecoveryCodes')
        .select('codeHash')
        .where('userId', '=', await userIdOf(project.email))
        .execute();

      expect(rows).toHaveLength(10);
      expect(rows.map((row) => row.codeHash)).not.toContain(recoveryCodes[0]);
    });

    it('asks for the second factor after the password', async () => {
      const client = new SessionClient(picket.url);
      const login = await client.logIn(project.email, project.password);

      expect(login.status).toBe(200);
      expect(login.body).toEqual({ twoFactorRequired: true, methods: ['totp', 'recovery'] });
    });

    it('refuses protected routes to a password-only session', async () => {
      const client = new SessionClient(picket.url);
      await client.logIn(project.email, project.password);
      const paths = [
        '/api/0/auth/',
        '/api/0/organizations/',
        `/api/0/organizations/${project.orgSlug}/`,
        `/api/0/organizations/${project.orgSlug}/issues/`,
        `/api/0/projects/${project.orgSlug}/${project.projectSlug}/keys/`,
        '/api/0/users/me/authenticators/',
        '/api/0/users/me/sessions/',
      ];

      for (const path of paths) {
        expect({ path, status: (await client.get(path)).status }).toEqual({ path, status: 401 });
      }
      const created = await client.request('POST', '/api/0/organizations/', { name: 'Nope' });
      expect(created.status).toBe(401);
      const password = await client.request('PUT', '/api/0/users/me/password/', {
        currentPassword: project.password,
        newPassword: 'another password 1',
      });
      expect(password.status).toBe(401);
    });

    it('completes the login with a TOTP code and a new session id', async () => {
      const client = new SessionClient(picket.url);
      await client.logIn(project.email, project.password);
      const pendingId = client.cookies.get('picket_session');

      const second = await client.request('POST', '/api/0/auth/2fa/', {
        method: 'totp',
        code: nextCode(secret),
      });

      expect(second.status).toBe(200);
      expect(client.cookies.get('picket_session')).not.toBe(pendingId);
      expect((await client.get('/api/0/auth/')).status).toBe(200);
      expect((await client.get(`/api/0/organizations/${project.orgSlug}/`)).status).toBe(200);
    });

    it('rejects a TOTP code used before', async () => {
      const code = nextCode(secret);
      const first = new SessionClient(picket.url);
      await first.logIn(project.email, project.password);
      await first.request('POST', '/api/0/auth/2fa/', { method: 'totp', code });
      const second = new SessionClient(picket.url);
      await second.logIn(project.email, project.password);

      const replayed = await second.request('POST', '/api/0/auth/2fa/', { method: 'totp', code });

      expect(replayed.status).toBe(401);
      expect((await second.get('/api/0/auth/')).status).toBe(401);
    });

    it('accepts a recovery code once', async () => {
      const code = recoveryCodes[0] ?? '';
      const first = new SessionClient(picket.url);
      await first.logIn(project.email, project.password);
      const used = await first.request('POST', '/api/0/auth/2fa/', { method: 'recovery', code });
      const second = new SessionClient(picket.url);
      await second.logIn(project.email, project.password);

      const reused = await second.request('POST', '/api/0/auth/2fa/', { method: 'recovery', code });

      expect(used.status).toBe(200);
      expect(reused.status).toBe(401);
    });

    it('ends the session after five wrong codes', async () => {
      const client = new SessionClient(picket.url);
      await client.logIn(project.email, project.password);
      const statuses = [];
      for (let i = 0; i < 5; i += 1) {
        const wrong = await client.request('POST', '/api/0/auth/2fa/', {
          method: 'totp',
          code: '000000',
        });
        statuses.push(wrong.status);
      }

      const after = await client.get('/api/0/auth/2fa/');

      expect(statuses).toEqual([401, 401, 401, 401, 401]);
      expect(after.status).toBe(401);
      expect(client.cookies.has('picket_session')).toBe(false);
    });

    it('records logins and failures in the audit log', async () => {
      const rows = await db.kysely
        .selectFrom('auditLog')
        .select(['event', 'actorLabel', 'organizationId'])
        .where('actorLabel', '=', project.email)
        .where('event', 'like', 'user.%')
        .execute();
      const events = new Set(rows.map((row) => row.event));

      expect(events).toContain('user.login');
      expect(events).toContain('user.login-failed');
      expect(events).toContain('user.2fa-enable');
      expect(rows.every((row) => row.organizationId === null)).toBe(true);
    });
  });

  describe('factor changes', () => {
    it('ends other sessions when a factor is added', async () => {
      const project = await setupProject(picket, 'factor');
      const other = await loggedIn(project);
      const client = await loggedIn(project);

      await enrollTotp(client);

      expect((await other.get('/api/0/auth/')).status).toBe(401);
      expect((await client.get('/api/0/auth/')).status).toBe(200);
    });

    it('removes the last factor with its recovery codes', async () => {
      const project = await setupProject(picket, 'remove');
      const client = await loggedIn(project);
      const { added } = await enrollTotp(client);

      const removed = await client.request(
        'DELETE',
        `/api/0/users/me/authenticators/${added.authenticator.id}/`,
      );
      const codes = await db.kysely
        .selectFrom('userRecoveryCodes')
        .select('codeHash')
        .where('userId', '=', await userIdOf(project.email))
        .execute();
      const login = await new SessionClient(picket.url).logIn(project.email, project.password);

      expect(removed.status).toBe(204);
      expect(codes).toEqual([]);
      expect(login.body).toMatchObject({ user: { email: project.email } });
    });

    it('regenerates recovery codes and invalidates the old ones', async () => {
      const project = await setupProject(picket, 'regen');
      const client = await loggedIn(project);
      const { added, secret } = await enrollTotp(client);

      const regenerated = await client.request('POST', '/api/0/users/me/recovery-codes/');
      const fresh = new SessionClient(picket.url);
      await fresh.logIn(project.email, project.password);
      const oldCode = await fresh.request('POST', '/api/0/auth/2fa/', {
        method: 'recovery',
        code: added.recoveryCodes?.[0],
      });
      const newCode = await fresh.request('POST', '/api/0/auth/2fa/', {
        method: 'recovery',
        code: (regenerated.body as { codes: string[] }).codes[0],
      });

      expect(regenerated.status).toBe(200);
      expect(secret).not.toBe('');
      expect(oldCode.status).toBe(401);
      expect(newCode.status).toBe(200);
    });
  });

  describe('re-authentication', () => {
    it('asks for the password after 15 minutes and accepts it', async () => {
      const project = await setupProject(picket, 'sudo');
      const client = await loggedIn(project);
      await db.kysely
        .updateTable('userSessions')
        .set({ lastAuthAt: Date.now() - 16 * MINUTE })
        .where('userId', '=', await userIdOf(project.email))
        .execute();

      const refused = await client.request('POST', '/api/0/users/me/authenticators/totp/');
      const stillIn = await client.get('/api/0/auth/');
      const wrong = await client.request('POST', '/api/0/auth/reauthenticate/', {
        password: 'not the password',
      });
      const confirmed = await client.request('POST', '/api/0/auth/reauthenticate/', {
        password: project.password,
      });
      const allowed = await client.request('POST', '/api/0/users/me/authenticators/totp/');

      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ code: 'sudo-required' });
      expect(stillIn.status).toBe(200);
      expect(wrong.status).toBe(403);
      expect(confirmed.status).toBe(204);
      expect(allowed.status).toBe(200);
    });
  });

  describe('sessions', () => {
    let project: TestProject;

    beforeAll(async () => {
      project = await setupProject(picket, 'sessions');
    });

    async function moveSession(client: SessionClient, values: Record<string, number>) {
      const current = (await client.get('/api/0/users/me/sessions/')).body as {
        current: boolean;
        dateCreated: string;
      }[];
      expect(current.some((session) => session.current)).toBe(true);
      await db.kysely
        .updateTable('userSessions')
        .set(values)
        .where('userId', '=', await userIdOf(project.email))
        .execute();
    }

    it('ends a session idle for more than 8 hours', async () => {
      const client = await loggedIn(project);
      await moveSession(client, { lastSeenAt: Date.now() - 8 * HOUR - MINUTE });

      expect((await client.get('/api/0/auth/')).status).toBe(401);
    });

    it('keeps a session idle for 7 hours', async () => {
      const client = await loggedIn(project);
      await moveSession(client, { lastSeenAt: Date.now() - 7 * HOUR });

      expect((await client.get('/api/0/auth/')).status).toBe(200);
    });

    it('ends an active session 14 days after login', async () => {
      const client = await loggedIn(project);
      await moveSession(client, { createdAt: Date.now() - 14 * DAY - MINUTE });

      expect((await client.get('/api/0/auth/')).status).toBe(401);
    });

    it('deletes an ended session from the database', async () => {
      const client = await loggedIn(project);
      const idHash = hashSecret(client.cookies.get('picket_session') ?? '');
      await moveSession(client, { lastSeenAt: Date.now() - 9 * HOUR });
      await client.get('/api/0/auth/');

      const row = await db.kysely
        .selectFrom('userSessions')
        .select('idHash')
        .where('idHash', '=', idHash)
        .executeTakeFirst();

      expect(row).toBeUndefined();
    });

    it('lists sessions with the current one marked', async () => {
      await db.kysely
        .deleteFrom('userSessions')
        .where('userId', '=', await userIdOf(project.email))
        .execute();
      await loggedIn(project);
      const client = await loggedIn(project);

      const listed = (await client.get('/api/0/users/me/sessions/')).body as {
        id: string;
        current: boolean;
        ipAddress: string;
        userAgent: string | null;
      }[];

      expect(listed).toHaveLength(2);
      expect(listed.filter((session) => session.current)).toHaveLength(1);
      expect(listed[0]?.id).toMatch(/^[0-9a-f]{24}$/);
      expect(listed[0]?.ipAddress).toBe('127.0.0.1');
    });

    it('revokes another session', async () => {
      const other = await loggedIn(project);
      const client = await loggedIn(project);
      const listed = (await client.get('/api/0/users/me/sessions/')).body as {
        id: string;
        current: boolean;
      }[];
      const others = listed.filter((session) => !session.current);

      for (const session of others) {
        const revoked = await client.request('DELETE', `/api/0/users/me/sessions/${session.id}/`);
        expect(revoked.status).toBe(204);
      }

      expect((await other.get('/api/0/auth/')).status).toBe(401);
      expect((await client.get('/api/0/auth/')).status).toBe(200);
    });

    it('logs out everywhere', async () => {
      const other = await loggedIn(project);
      const client = await loggedIn(project);

      const response = await client.request('DELETE', '/api/0/users/me/sessions/');

      expect(response.status).toBe(204);
      expect((await other.get('/api/0/auth/')).status).toBe(401);
      expect((await client.get('/api/0/auth/')).status).toBe(401);
    });

    it('ends the session on the server at logout', async () => {
      const client = await loggedIn(project);
      const sessionId = client.cookies.get('picket_session') ?? '';

      await client.request('POST', '/api/0/auth/logout/');
      const replay = new SessionClient(picket.url);
      replay.cookies.set('picket_session', sessionId);

      expect((await replay.get('/api/0/auth/')).status).toBe(401);
    });

    it('keeps API tokens working after log out everywhere', async () => {
      const client = await loggedIn(project);
      await client.request('DELETE', '/api/0/users/me/sessions/');

      const response = await fetch(`${picket.url}/api/0/organizations/`, {
        headers: { authorization: `Bearer ${project.token}` },
      });

      expect(response.status).toBe(200);
    });
  });

  describe('password change', () => {
    it('ends other sessions and keeps the current one', async () => {
      const project = await setupProject(picket, 'password');
      const other = await loggedIn(project);
      const client = await loggedIn(project);

      const changed = await client.request('PUT', '/api/0/users/me/password/', {
        currentPassword: project.password,
        newPassword: 'a brand new passphrase',
      });
      const oldLogin = await new SessionClient(picket.url).logIn(project.email, project.password);
      const newLogin = await new SessionClient(picket.url).logIn(
        project.email,
        'a brand new passphrase',
      );

      expect(changed.status).toBe(204);
      expect((await other.get('/api/0/auth/')).status).toBe(401);
      expect((await client.get('/api/0/auth/')).status).toBe(200);
      expect(oldLogin.status).toBe(401);
      expect(newLogin.status).toBe(200);
    });

    it('rejects a wrong current password and a short new one', async () => {
      const project = await setupProject(picket, 'badpass');
      const client = await loggedIn(project);

      const wrong = await client.request('PUT', '/api/0/users/me/password/', {
        currentPassword: 'not it at all',
        newPassword: 'a brand new passphrase',
      });
      const short = await client.request('PUT', '/api/0/users/me/password/', {
        currentPassword: project.password,
        newPassword: 'short',
      });

      expect(wrong.status).toBe(403);
      expect(short.status).toBe(400);
    });
  });

  describe('login throttling', () => {
    let project: TestProject;

    beforeAll(async () => {
      project = await setupProject(picket, 'throttle');
    });

    const attempt = (email: string, password = 'wrong password') =>
      new SessionClient(picket.url).logIn(email, password);

    it('answers 429 after 10 attempts per IP address', async () => {
      const statuses = [];
      for (let i = 0; i < 11; i += 1) {
        statuses.push((await attempt(`nobody${i}@example.com`)).status);
      }

      expect(statuses.slice(0, 10)).toEqual(Array<number>(10).fill(401));
      expect(statuses[10]).toBe(429);
    });

    it('answers 429 after 5 attempts per account, with Retry-After', async () => {
      const statuses = [];
      for (let i = 0; i < 5; i += 1) {
        statuses.push((await attempt(project.email)).status);
      }
      const rejected = await attempt(project.email, project.password);

      expect(statuses).toEqual([401, 401, 401, 401, 401]);
      expect(rejected.status).toBe(429);
      expect(Number(rejected.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(rejected.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    });

    it('answers a known and an unknown account alike', async () => {
      for (let i = 0; i < 5; i += 1) {
        await attempt(project.email);
      }
      const known = await attempt(project.email);
      await db.kysely.deleteFrom('authThrottle').execute();
      for (let i = 0; i < 5; i += 1) {
        await attempt('ghost@example.com');
      }
      const unknown = await attempt('ghost@example.com');

      expect(known.status).toBe(429);
      expect(unknown.status).toBe(429);
      expect(known.text).toBe(unknown.text);
    });

    it('counts the e-mail address whatever its case', async () => {
      for (let i = 0; i < 5; i += 1) {
        await attempt(project.email.toUpperCase());
      }

      expect((await attempt(project.email)).status).toBe(429);
    });

    it('answers a wrong password and an unknown account alike', async () => {
      const wrong = await attempt(project.email);
      const unknown = await attempt('nobody-at-all@example.com');

      expect(wrong.status).toBe(401);
      expect(wrong.text).toBe(unknown.text);
    });

    it('rejects a deactivated user with the wrong-password answer', async () => {
      const inactive = await setupProject(picket, 'inactive');
      await db.kysely
        .updateTable('users')
        .set({ isActive: 0 })
        .where('email', '=', inactive.email)
        .execute();

      const login = await attempt(inactive.email, inactive.password);
      const wrong = await attempt(project.email);

      expect(login.status).toBe(401);
      expect(login.text).toBe(wrong.text);
    });

    it('records a failed login with the e-mail as typed and no organization', async () => {
      const typed = `  Someone-${'x'.repeat(250)}@Example.com `;
      await attempt(typed);

      const row = await db.kysely
        .selectFrom('auditLog')
        .select(['actorLabel', 'organizationId', 'actorUserId'])
        .where('event', '=', 'user.login-failed')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();

      expect(row.actorLabel).toBe(typed.trim().slice(0, 200));
      expect(row.organizationId).toBeNull();
      expect(row.actorUserId).toBeNull();
    });
  });

  describe('organization two-factor requirement', () => {
    it('refuses a member without a factor until one is added', async () => {
      const project = await setupProject(picket, 'require');
      await db.kysely
        .updateTable('organizations')
        .set({ requireTwoFactor: 1 })
        .where('slug', '=', project.orgSlug)
        .execute();
      const client = await loggedIn(project);
      const orgPath = `/api/0/organizations/${project.orgSlug}/`;

      const refused = await client.get(orgPath);
      const byToken = await fetch(`${picket.url}${orgPath}`, {
        headers: { authorization: `Bearer ${project.token}` },
      });
      await enrollTotp(client);
      const allowed = await client.get(orgPath);

      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ code: '2fa-required' });
      expect((refused.body as { detail: string }).detail).toContain('two-factor');
      expect(byToken.status).toBe(401);
      expect(allowed.status).toBe(200);
    });

    it('leaves organizations without the requirement alone', async () => {
      const project = await setupProject(picket, 'norequire');
      const client = await loggedIn(project);

      expect((await client.get(`/api/0/organizations/${project.orgSlug}/`)).status).toBe(200);
    });
  });

  describe('command line', () => {
    it('creates users that can log in', async () => {
      const created = await runCli(
        ['createuser', '--email', 'cli-user@example.com', '--password-stdin'],
        { env: picket.env, input: 'a long enough password\n' },
      );
      const login = await new SessionClient(picket.url).logIn(
        'cli-user@example.com',
        'a long enough password',
      );

      expect(created.code).toBe(0);
      expect(login.status).toBe(200);
    });
  });
});
