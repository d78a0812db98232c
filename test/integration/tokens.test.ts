/**
 * User API tokens and organization tokens against a real server on SQLite and PostgreSQL.
 * Creation shows the value once, and token-authenticated requests cannot manage tokens. Expired
 * and revoked tokens get 401. Scopes and organizations limit what a token can do, and every
 * create and remove adds exactly one audit row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { connectDb, type Db } from '../../src/server/platform/db/index.js';
import { SERVER_ENGINES } from '../helpers/engines.js';
import {
  runCli,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';
import {
  logInSession,
  tokenRequest,
  type TokenSessionClient as SessionClient,
} from '../helpers/token-session.js';

interface CreatedToken {
  id: string;
  name: string;
  token: string;
  scopes: string[];
  tokenLastCharacters: string;
  expiresAt: string | null;
}

describe.each(SERVER_ENGINES)('tokens on $name', (engine) => {
  let picket: PicketInstance;
  let db: Db;
  let owner: TestProject;
  let other: TestProject;
  let session: SessionClient;

  beforeAll(async () => {
    const databaseUrl = await engine.databaseUrl();
    picket = await startPicket({ databaseUrl });
    owner = await setupProject(picket, 'tok');
    other = await setupProject(picket, 'tokother');
    session = await logInSession(picket, owner.email, owner.password);
    db = connectDb({ databaseUrl, dataDir: picket.dataDir });
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await picket?.stop();
  });

  async function createUserToken(body: Record<string, unknown>): Promise<CreatedToken> {
    const response = await session.request('POST', '/api/0/api-tokens/', body);
    expect(response.status).toBe(201);
    return (await response.json()) as CreatedToken;
  }

  async function auditCount(event: string, targetId: string): Promise<number> {
    const rows = await db.kysely
      .selectFrom('auditLog')
      .select('id')
      .where('event', '=', event)
      .where('targetId', '=', targetId)
      .execute();
    return rows.length;
  }

  it('creates a user token and shows its value once', async () => {
    const created = await createUserToken({ name: 'ci', scopes: ['project:read', 'org:read'] });
    expect(created.token).toMatch(/^sntryu_[0-9a-f]{64}$/);
    expect(created.tokenLastCharacters).toBe(created.token.slice(-4));
    expect(created.scopes).toEqual(['project:read', 'org:read']);

    const listResponse = await session.request('GET', '/api/0/api-tokens/');
    expect(listResponse.status).toBe(200);
    const listText = await listResponse.text();
    expect(listText).not.toContain(created.token);
    const listed = (JSON.parse(listText) as CreatedToken[]).find((t) => t.id === created.id);
    expect(listed?.name).toBe('ci');
    expect(listed).not.toHaveProperty('token');

    const detail = await session.request('GET', `/api/0/api-tokens/${created.id}/`);
    expect(detail.status).toBe(200);
    expect(await detail.text()).not.toContain(created.token);

    const stored = await db.kysely
      .selectFrom('apiTokens')
      .select(['tokenHash', 'kind'])
      .where('id', '=', Number(created.id))
      .executeTakeFirstOrThrow();
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.tokenHash).not.toContain(created.token.slice(7));
    expect(stored.kind).toBe('user');
    expect(await auditCount('api-key.create', created.id)).toBe(1);
  });

  it('rejects unknown scopes, no scopes and a past expiry', async () => {
    const cases = [
      { name: 'x', scopes: ['project:everything'] },
      { name: 'x', scopes: [] },
      { name: '', scopes: ['org:read'] },
      { name: 'x', scopes: ['org:read'], expiresAt: '2001-01-01T00:00:00Z' },
    ];
    for (const body of cases) {
      const response = await session.request('POST', '/api/0/api-tokens/', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('rejects token-authenticated requests to token routes', async () => {
    const created = await createUserToken({ name: 'probe', scopes: ['org:read'] });
    const probes: [string, string, unknown][] = [
      ['GET', '/api/0/api-tokens/', undefined],
      ['POST', '/api/0/api-tokens/', { name: 'escalate', scopes: ['org:admin'] }],
      ['DELETE', '/api/0/api-tokens/', { tokenId: created.id }],
      ['GET', `/api/0/api-tokens/${created.id}/`, undefined],
      ['DELETE', `/api/0/api-tokens/${created.id}/`, undefined],
      ['POST', `/api/0/organizations/${owner.orgSlug}/org-auth-tokens/`, { name: 'x' }],
    ];
    for (const token of [created.token, owner.token]) {
      for (const [method, path, body] of probes) {
        const response = await tokenRequest(picket, token, method, path, body);
        expect(response.status, `${method} ${path}`).toBe(403);
        expect(await response.text()).not.toContain('sntryu_');
      }
    }
  });

  it('deletes tokens by body and by path, after which they get 401', async () => {
    const first = await createUserToken({ name: 'one', scopes: ['org:read'] });
    const second = await createUserToken({ name: 'two', scopes: ['org:read'] });
    for (const created of [first, second]) {
      const before = await tokenRequest(picket, created.token, 'GET', '/api/0/organizations/');
      expect(before.status).toBe(200);
    }

    const byBody = await session.request('DELETE', '/api/0/api-tokens/', { tokenId: first.id });
    expect(byBody.status).toBe(204);
    const byPath = await session.request('DELETE', `/api/0/api-tokens/${second.id}/`);
    expect(byPath.status).toBe(204);
    const again = await session.request('DELETE', `/api/0/api-tokens/${second.id}/`);
    expect(again.status).toBe(404);

    for (const created of [first, second]) {
      const after = await tokenRequest(picket, created.token, 'GET', '/api/0/organizations/');
      expect(after.status).toBe(401);
      expect(await auditCount('api-key.remove', created.id)).toBe(1);
    }
  });

  it("does not show or delete another user's token", async () => {
    const otherSession = await logInSession(picket, other.email, other.password);
    const created = await createUserToken({ name: 'mine', scopes: ['org:read'] });
    const read = await otherSession.request('GET', `/api/0/api-tokens/${created.id}/`);
    expect(read.status).toBe(404);
    const removed = await otherSession.request('DELETE', '/api/0/api-tokens/', {
      tokenId: created.id,
    });
    expect(removed.status).toBe(404);
    const list = (await (await otherSession.request('GET', '/api/0/api-tokens/')).json()) as {
      id: string;
    }[];
    expect(list.map((token) => token.id)).not.toContain(created.id);
  });

  it('rejects an expired token with 401', async () => {
    const expiresAt = new Date(Date.now() + 1_500).toISOString();
    const created = await createUserToken({ name: 'short', scopes: ['org:read'], expiresAt });
    expect(created.expiresAt).toBe(expiresAt);
    const fresh = await tokenRequest(picket, created.token, 'GET', '/api/0/organizations/');
    expect(fresh.status).toBe(200);
    await waitFor(async () => {
      const response = await tokenRequest(picket, created.token, 'GET', '/api/0/organizations/');
      return response.status === 401 ? true : undefined;
    });
  });

  it('enforces scopes and organizations on a project:read token', async () => {
    const created = await createUserToken({ name: 'reader', scopes: ['project:read'] });
    const projectPath = `/api/0/projects/${owner.orgSlug}/${owner.projectSlug}/`;
    const read = await tokenRequest(picket, created.token, 'GET', projectPath);
    expect(read.status).toBe(200);
    const write = await tokenRequest(picket, created.token, 'PUT', projectPath, { name: 'x' });
    expect(write.status).toBe(403);
    const keys = await tokenRequest(
      picket,
      created.token,
      'POST',
      `/api/0/projects/${owner.orgSlug}/${owner.projectSlug}/keys/`,
      { name: 'sneaky' },
    );
    expect(keys.status).toBe(403);
    const foreign = await tokenRequest(
      picket,
      created.token,
      'GET',
      `/api/0/projects/${other.orgSlug}/${other.projectSlug}/`,
    );
    expect(foreign.status).toBe(404);
  });

  it('creates an organization token in the sentry-cli layout', async () => {
    const response = await session.request(
      'POST',
      `/api/0/organizations/${owner.orgSlug}/org-auth-tokens/`,
      { name: 'deploys' },
    );
    expect(response.status).toBe(201);
    const created = (await response.json()) as CreatedToken;
    const match = /^sntrys_([A-Za-z0-9+/]+={0,2})_([A-Za-z0-9+/]{43})$/.exec(created.token);
    expect(match).not.toBeNull();
    const payload = JSON.parse(Buffer.from(match?.[1] ?? '', 'base64').toString('utf8')) as {
      iat: number;
      url: string;
      region_url: string;
      org: string;
    };
    expect(payload.org).toBe(owner.orgSlug);
    expect(payload.url).toBe(picket.url);
    expect(payload.region_url).toBe(picket.url);
    expect(Math.abs(payload.iat - Date.now() / 1000)).toBeLessThan(60);
    expect(Buffer.from(match?.[2] ?? '', 'base64')).toHaveLength(32);
    expect(created.scopes).toEqual(['org:ci']);
    expect(await auditCount('org-auth-token.create', created.id)).toBe(1);

    const list = await session.request(
      'GET',
      `/api/0/organizations/${owner.orgSlug}/org-auth-tokens/`,
    );
    const listText = await list.text();
    expect(listText).not.toContain(created.token);
    expect(listText).toContain(created.tokenLastCharacters);
  });

  it('limits an organization token to its organization and org:ci', async () => {
    const response = await session.request(
      'POST',
      `/api/0/organizations/${owner.orgSlug}/org-auth-tokens/`,
      { name: 'bounded' },
    );
    const created = (await response.json()) as CreatedToken;

    const release = await tokenRequest(
      picket,
      created.token,
      'POST',
      `/api/0/organizations/${owner.orgSlug}/releases/`,
      { version: 'org-token-1.0.0', projects: [owner.projectSlug] },
    );
    expect(release.status).toBe(201);
    const ownOrg = await tokenRequest(
      picket,
      created.token,
      'GET',
      `/api/0/organizations/${owner.orgSlug}/projects/`,
    );
    expect(ownOrg.status).toBe(200);
    // org:ci reads projects and writes releases; the organization's settings need org:read.
    const settings = await tokenRequest(
      picket,
      created.token,
      'GET',
      `/api/0/organizations/${owner.orgSlug}/`,
    );
    expect(settings.status).toBe(403);

    // The creator owns a second organization, which the token must not reach either.
    const secondSlug = `${owner.orgSlug}-second`;
    const second = await tokenRequest(picket, owner.token, 'POST', '/api/0/organizations/', {
      name: 'Second',
      slug: secondSlug,
    });
    expect(second.status).toBe(201);
    const listed = await tokenRequest(picket, created.token, 'GET', '/api/0/organizations/');
    expect(listed.status).toBe(200);
    const slugs = ((await listed.json()) as { slug: string }[]).map((org) => org.slug);
    expect(slugs).toEqual([owner.orgSlug]);

    const foreignPaths = [
      `/api/0/organizations/${secondSlug}/`,
      `/api/0/organizations/${other.orgSlug}/`,
      `/api/0/organizations/${other.orgSlug}/releases/`,
      `/api/0/projects/${other.orgSlug}/${other.projectSlug}/`,
    ];
    for (const path of foreignPaths) {
      const foreign = await tokenRequest(picket, created.token, 'GET', path);
      expect(foreign.status, path).toBe(404);
    }

    const projectWrite = await tokenRequest(
      picket,
      created.token,
      'PUT',
      `/api/0/projects/${owner.orgSlug}/${owner.projectSlug}/`,
      { name: 'renamed by a CI token' },
    );
    expect(projectWrite.status).toBe(403);
    const auditRead = await tokenRequest(
      picket,
      created.token,
      'GET',
      `/api/0/organizations/${owner.orgSlug}/audit-logs/`,
    );
    expect(auditRead.status).toBe(403);
  });

  it('renames and deletes an organization token, which then gets 401', async () => {
    const base = `/api/0/organizations/${owner.orgSlug}/org-auth-tokens/`;
    const created = (await (
      await session.request('POST', base, { name: 'old name' })
    ).json()) as CreatedToken;

    const renamed = await session.request('PUT', `${base}${created.id}/`, { name: 'new name' });
    expect(renamed.status).toBe(200);
    expect(((await renamed.json()) as { name: string }).name).toBe('new name');
    const detail = await session.request('GET', `${base}${created.id}/`);
    expect(((await detail.json()) as { name: string }).name).toBe('new name');

    const foreign = await session.request(
      'DELETE',
      `/api/0/organizations/${other.orgSlug}/org-auth-tokens/${created.id}/`,
    );
    expect(foreign.status).toBe(404);

    const orgPath = `/api/0/organizations/${owner.orgSlug}/projects/`;
    const used = await tokenRequest(picket, created.token, 'GET', orgPath);
    expect(used.status).toBe(200);
    const removed = await session.request('DELETE', `${base}${created.id}/`);
    expect(removed.status).toBe(204);
    const after = await tokenRequest(picket, created.token, 'GET', orgPath);
    expect(after.status).toBe(401);
    expect(await auditCount('org-auth-token.remove', created.id)).toBe(1);
  });

  it('lets only org:write roles create organization tokens', async () => {
    const email = `member-${engine.name}@example.com`;
    const password = 'correct horse battery staple';
    const created = await runCli(['createuser', '--email', email, '--password-stdin'], {
      env: picket.env,
      input: `${password}\n`,
    });
    expect(created.code).toBe(0);
    const user = await db.kysely
      .selectFrom('users')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    const organization = await db.kysely
      .selectFrom('organizations')
      .select('id')
      .where('slug', '=', owner.orgSlug)
      .executeTakeFirstOrThrow();
    await db.kysely
      .insertInto('organizationMembers')
      .values({
        organizationId: organization.id,
        userId: user.id,
        role: 'member',
        createdAt: Date.now(),
      })
      .execute();

    const member = await logInSession(picket, email, password);
    const base = `/api/0/organizations/${owner.orgSlug}/org-auth-tokens/`;
    const list = await member.request('GET', base);
    expect(list.status).toBe(200);
    const create = await member.request('POST', base, { name: 'member token' });
    expect(create.status).toBe(403);
    const audit = await member.request('GET', `/api/0/organizations/${owner.orgSlug}/audit-logs/`);
    expect(audit.status).toBe(403);
  });
});
