/**
 * A session whose second login step is still due must reach no protected route. The built server
 * runs in this process, so the test reads the full route table from Fastify and requests every
 * GET route under /api/0/ with such a session, on SQLite and PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { hashPassword } from '../../src/server/features/accounts/index.js';
import { createTotpConfig } from '../../src/server/features/accounts/second-factor.js';
import { openSecretBox } from '../../src/server/platform/crypto/secret-box.js';
import type { RunningServer, startServer } from '../../src/server/main/serve.js';
import type { loadConfig } from '../../src/server/platform/config.js';
import type { createLogger } from '../../src/server/platform/logger.js';
import { SERVER_ENGINES } from '../helpers/engines.js';
import { SessionClient } from '../helpers/session-client.js';
import { connectDb, type Db } from '../../src/server/platform/db/index.js';

interface ServeModule {
  startServer: typeof startServer;
}
interface ConfigModule {
  loadConfig: typeof loadConfig;
}
interface LoggerModule {
  createLogger: typeof createLogger;
}

// The built server, as `picket serve` runs it: its queue thread loads compiled files.
const DIST = new URL('../../dist/server/', import.meta.url).href;

async function startBuiltServer(env: Record<string, string>): Promise<RunningServer> {
  const { startServer } = (await import(`${DIST}main/serve.js`)) as ServeModule;
  const { loadConfig } = (await import(`${DIST}platform/config.js`)) as ConfigModule;
  const { createLogger } = (await import(`${DIST}platform/logger.js`)) as LoggerModule;
  return startServer(loadConfig(env, 'web'), createLogger('silent'));
}

const EMAIL = 'pending@example.com';
const PASSWORD = 'correct horse battery staple';

/**
 * Routes a password-only session may use: the public API index (which then shows no user), the
 * second step itself and logout.
 */
const ALLOWED = new Map([
  ['GET /api/0/', 200],
  ['GET /api/0/auth/2fa/', 200],
  // Public: an invitation link is read before the user has an account; a made-up one is 404.
  ['GET /api/0/accept-invite/:memberId/:token/', 404],
]);

/** Turns Fastify's `printRoutes` tree into one `METHOD /path` line per route. */
function listRoutes(tree: string): { method: string; path: string }[] {
  const routes: { method: string; path: string }[] = [];
  const stack: string[] = [];

  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([^)]+)\))?$/.exec(line.replace(/\u00a0/g, ' '));
    if (match === null) {
      continue;
    }
    const depth = (match[1] ?? '').length / 4;
    stack.length = depth;
    stack.push(match[2] ?? '');
    const fullPath = stack.join('');
    for (const method of (match[3] ?? '').split(', ').filter((name) => name !== '')) {
      routes.push({ method, path: fullPath });
    }
  }
  return routes;
}

describe.each(SERVER_ENGINES)('password-only session on $name', ({ databaseUrl }) => {
  let server: RunningServer;
  let db: Db;
  let dataDir: string;
  let orgSlug: string;
  let projectSlug: string;
  let issueId: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-routes-'));
    const url = await databaseUrl();
    const env = {
      PICKET_DATA_DIR: dataDir,
      PORT: '0',
      ...(url === undefined ? {} : { DATABASE_URL: url }),
    };
    server = await startBuiltServer(env);
    db = connectDb({ databaseUrl: url, dataDir });

    const user = await db.kysely
      .insertInto('users')
      .values({
        email: EMAIL,
        name: 'Pending',
        passwordHash: await hashPassword(PASSWORD),
        isSuperuser: 1,
        createdAt: Date.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const secrets = openSecretBox({ secretKey: undefined, previousKeys: undefined, dataDir });
    await db.kysely
      .insertInto('userAuthenticators')
      .values({
        userId: user.id,
        type: 'totp',
        name: 'App',
        config: createTotpConfig(secrets, user.id, 'JBSWY3DPEHPK3PXP', 0),
        createdAt: Date.now(),
        lastUsedAt: null,
      })
      .execute();
    const { OrganizationRepository } =
      await import('../../src/server/features/organizations/index.js');
    const organizations = new OrganizationRepository(db.kysely);
    const organization = await organizations.createOrganization({
      slug: 'walk',
      name: 'Walk',
      ownerId: user.id,
    });
    const team = await organizations.findTeam(organization.id, 'walk');
    await organizations.createProject({
      organizationId: organization.id,
      teamId: team?.id ?? 0,
      slug: 'site',
      name: 'Site',
      platform: null,
    });
    orgSlug = 'walk';
    projectSlug = 'site';
    const project = await organizations.findProject(organization.id, 'site');
    const issue = await db.kysely
      .insertInto('issues')
      .values({
        projectId: project?.id ?? 0,
        shortIdNumber: 1,
        title: 'Error: walk',
        culprit: 'walk',
        type: 'error',
        level: 'error',
        status: 'unresolved',
        substatus: null,
        platform: 'javascript',
        metadata: '{}',
        firstSeen: Date.now(),
        lastSeen: Date.now(),
        timesSeen: 1,
        userCount: 0,
        resolvedAt: null,
        firstRelease: null,
        lastRelease: null,
        statusDetails: null,
        assigneeUserId: null,
        assigneeTeamId: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    issueId = String(issue.id);
  });

  afterAll(async () => {
    await db.close();
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function fillParams(route: string): string {
    return route
      .replace(/:org(Slug)?\b/g, orgSlug)
      .replace(/:organization\b/g, orgSlug)
      .replace(/:project(Slug)?\b/g, projectSlug)
      .replace(/:team(Slug)?\b/g, orgSlug)
      .replace(/:issueId\b/g, issueId)
      .replace(/:[A-Za-z_]+/g, '1')
      .replace(/\*$/, 'x');
  }

  it('answers 401 on every other GET route under /api/0/', async () => {
    const client = new SessionClient(server.url);
    const login = await client.logIn(EMAIL, PASSWORD);
    expect(login.body).toMatchObject({ twoFactorRequired: true });

    const routes = listRoutes(server.app.printRoutes({ commonPrefix: false })).filter(
      (route) => route.method === 'GET' && route.path.startsWith('/api/0/'),
    );
    const results: string[] = [];
    for (const route of routes) {
      const response = await client.get(fillParams(route.path));
      const expected = ALLOWED.get(`GET ${route.path}`) ?? 401;

      if (response.status !== expected) {
        results.push(`GET ${route.path} answered ${response.status}, expected ${expected}`);
      }
    }

    expect(routes.length).toBeGreaterThanOrEqual(30);
    expect(results).toEqual([]);
  });

  it('shows no user on the public API index', async () => {
    const client = new SessionClient(server.url);
    await client.logIn(EMAIL, PASSWORD);

    const index = await client.get('/api/0/');

    expect(index.body).toMatchObject({ auth: null, user: null });
  });

  it('answers 401 on a sample of write routes', async () => {
    const client = new SessionClient(server.url);
    await client.logIn(EMAIL, PASSWORD);
    const writes: [string, string, unknown][] = [
      ['POST', '/api/0/organizations/', { name: 'Other' }],
      ['PUT', `/api/0/organizations/${orgSlug}/issues/${issueId}/`, { status: 'resolved' }],
      ['POST', `/api/0/teams/${orgSlug}/${orgSlug}/projects/`, { name: 'New' }],
      ['POST', `/api/0/projects/${orgSlug}/${projectSlug}/keys/`, { name: 'Key' }],
      ['DELETE', `/api/0/organizations/${orgSlug}/issues/${issueId}/`, undefined],
      [
        'PUT',
        '/api/0/users/me/password/',
        { currentPassword: PASSWORD, newPassword: 'x'.repeat(12) },
      ],
      ['POST', '/api/0/users/me/authenticators/totp/', undefined],
      ['DELETE', '/api/0/users/me/sessions/', undefined],
      ['POST', '/api/0/auth/reauthenticate/', { password: PASSWORD }],
    ];

    const statuses = [];
    for (const [method, pathname, body] of writes) {
      statuses.push(
        `${method} ${pathname} ${(await client.request(method, pathname, body)).status}`,
      );
    }

    expect(statuses).toEqual(writes.map(([method, pathname]) => `${method} ${pathname} 401`));
  });
});
