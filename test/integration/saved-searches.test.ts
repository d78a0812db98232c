/**
 * Saved issue searches and environment listings over HTTP on both storage engines, with the
 * authorization rules: another organization's member, a plain member and a token without the
 * scope.
 */
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { connectDb } from '../../src/server/platform/db/index.js';
import type { SavedSearch } from '../../src/shared/api/issues.js';
import { SERVER_ENGINES } from '../helpers/engines.js';
import {
  apiGet,
  apiRequest,
  runCli,
  sendEnvelope,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

describe.each(SERVER_ENGINES)('saved searches on $name', (engine) => {
  let picket: PicketInstance;
  let owner: TestProject;
  let outsider: TestProject;
  let memberToken: string;
  let readOnlyToken: string;

  beforeAll(async () => {
    const databaseUrl = await engine.databaseUrl();
    picket = await startPicket({ databaseUrl });
    owner = await setupProject(picket, 'search');
    outsider = await setupProject(picket, 'other');
    memberToken = await addMember(picket, owner.orgSlug, databaseUrl);
    readOnlyToken = await createToken(picket, owner.email, 'org:read,project:read');
  }, 60_000);

  afterAll(async () => {
    await picket.stop();
  });

  const searchesPath = () => `/api/0/organizations/${owner.orgSlug}/searches/`;

  it('creates and lists an own search', async () => {
    const created = (await apiRequest(picket, owner.token, 'POST', searchesPath(), {
      name: 'Checkout errors',
      query: 'is:unresolved checkout',
      sort: 'freq',
      visibility: 'owner',
    })) as SavedSearch;

    const listed = (await apiGet(picket, owner.token, searchesPath())) as SavedSearch[];

    expect(created).toMatchObject({
      name: 'Checkout errors',
      query: 'is:unresolved checkout',
      sort: 'freq',
      visibility: 'owner',
      type: 0,
      isGlobal: false,
    });
    expect(listed.map((search) => search.id)).toContain(created.id);
  });

  it('hides an own search from other members', async () => {
    const created = await createSearch(owner.token, { name: 'Private', visibility: 'owner' });

    const listed = (await apiGet(picket, memberToken, searchesPath())) as SavedSearch[];
    const update = await send(memberToken, 'PUT', `${searchesPath()}${created.id}/`, {
      name: 'Taken',
    });
    const removal = await send(memberToken, 'DELETE', `${searchesPath()}${created.id}/`);

    expect(listed.map((search) => search.id)).not.toContain(created.id);
    expect(update.status).toBe(404);
    expect(removal.status).toBe(404);
  });

  it('shares an organization search with members', async () => {
    const created = await createSearch(owner.token, {
      name: 'Team view',
      visibility: 'organization',
    });

    const listed = (await apiGet(picket, memberToken, searchesPath())) as SavedSearch[];

    expect(listed.find((search) => search.id === created.id)?.visibility).toBe('organization');
  });

  it('keeps members from changing organization searches', async () => {
    const created = await createSearch(owner.token, { name: 'Shared', visibility: 'organization' });

    const removal = await send(memberToken, 'DELETE', `${searchesPath()}${created.id}/`);
    const update = await send(memberToken, 'PUT', `${searchesPath()}${created.id}/`, {
      name: 'Renamed',
    });
    const creation = await send(memberToken, 'POST', searchesPath(), {
      name: 'Mine for all',
      query: '',
      visibility: 'organization',
    });

    expect(removal.status).toBe(403);
    expect(update.status).toBe(403);
    expect(creation.status).toBe(403);
  });

  it('lets a member save and delete an own search', async () => {
    const creation = await send(memberToken, 'POST', searchesPath(), {
      name: 'Member view',
      query: 'is:resolved',
    });
    const created = (await creation.json()) as SavedSearch;

    const removal = await send(memberToken, 'DELETE', `${searchesPath()}${created.id}/`);
    const listed = (await apiGet(picket, memberToken, searchesPath())) as SavedSearch[];

    expect(creation.status).toBe(201);
    expect(created.visibility).toBe('owner');
    expect(removal.status).toBe(204);
    expect(listed.map((search) => search.id)).not.toContain(created.id);
  });

  it('updates a search', async () => {
    const created = await createSearch(owner.token, { name: 'Before', visibility: 'owner' });

    const updated = (await apiRequest(
      picket,
      owner.token,
      'PUT',
      `${searchesPath()}${created.id}/`,
      {
        name: 'After',
        sort: 'new',
      },
    )) as SavedSearch;

    expect(updated).toMatchObject({ id: created.id, name: 'After', sort: 'new' });
    expect(updated.query).toBe(created.query);
  });

  it('reports another organization as not found', async () => {
    const listing = await send(outsider.token, 'GET', searchesPath());
    const creation = await send(outsider.token, 'POST', searchesPath(), { name: 'x', query: '' });

    expect(listing.status).toBe(404);
    expect(creation.status).toBe(404);
  });

  it('rejects a token without event:read', async () => {
    const response = await send(readOnlyToken, 'GET', searchesPath());

    expect(response.status).toBe(403);
  });

  it.each([
    ['an empty name', { name: '  ', query: '' }, 'name'],
    ['a name over 128 characters', { name: 'n'.repeat(129), query: '' }, 'name'],
    ['a query over 2,000 characters', { name: 'Long', query: 'q'.repeat(2_001) }, 'query'],
    ['a query the list rejects', { name: 'Bad', query: 'is:nonsense' }, 'query'],
    ['an unknown sort', { name: 'Sort', query: '', sort: 'priority' }, 'sort'],
    ['an unknown visibility', { name: 'Vis', query: '', visibility: 'public' }, 'visibility'],
  ])('rejects %s', async (_case, body, field) => {
    const response = await send(owner.token, 'POST', searchesPath(), body);
    const error = (await response.json()) as Record<string, unknown>;

    expect(response.status).toBe(400);
    expect(error).toHaveProperty(field);
  });

  it('reports a malformed id as not found', async () => {
    const response = await send(owner.token, 'DELETE', `${searchesPath()}abc/`);

    expect(response.status).toBe(404);
  });

  async function createSearch(
    token: string,
    input: { name: string; visibility: 'owner' | 'organization' },
  ): Promise<SavedSearch> {
    return (await apiRequest(picket, token, 'POST', searchesPath(), {
      ...input,
      query: `is:unresolved ${input.name.toLowerCase()}`,
      sort: 'date',
    })) as SavedSearch;
  }

  function send(token: string, method: string, pathname: string, body?: unknown) {
    return fetch(`${picket.url}${pathname}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
});

describe.each(SERVER_ENGINES)('environments on $name', (engine) => {
  let picket: PicketInstance;
  let project: TestProject;
  let outsider: TestProject;

  beforeAll(async () => {
    picket = await startPicket({ databaseUrl: await engine.databaseUrl() });
    project = await setupProject(picket, 'envs');
    outsider = await setupProject(picket, 'envother');
    for (const environment of ['staging', 'production', 'production']) {
      await sendEnvelope(project.dsn, [messageEvent(environment)]);
    }
    await sendEnvelope(outsider.dsn, [messageEvent('outsider-only')]);
  }, 60_000);

  afterAll(async () => {
    await picket.stop();
  });

  it('lists the environments of the organization', async () => {
    const path = `/api/0/organizations/${project.orgSlug}/environments/`;

    const environments = await waitFor(async () => {
      const listed = (await apiGet(picket, project.token, path)) as { id: string; name: string }[];
      return listed.length === 2 ? listed : undefined;
    });

    expect(environments.map((environment) => environment.name)).toEqual(['production', 'staging']);
    expect(environments[0]?.id).toMatch(/^\d+$/);
  });

  it('lists the environments of a project', async () => {
    const path = `/api/0/projects/${project.orgSlug}/${project.projectSlug}/environments/`;

    const environments = await waitFor(async () => {
      const listed = (await apiGet(picket, project.token, path)) as { name: string }[];
      return listed.length === 2 ? listed : undefined;
    });

    expect(environments.map((environment) => environment.name)).toEqual(['production', 'staging']);
  });

  it('reports another organization as not found', async () => {
    const response = await fetch(
      `${picket.url}/api/0/organizations/${project.orgSlug}/environments/`,
      { headers: { authorization: `Bearer ${outsider.token}` } },
    );

    expect(response.status).toBe(404);
  });
});

function messageEvent(environment: string) {
  return {
    headers: { type: 'event' },
    payload: {
      event_id: randomUUID().replaceAll('-', ''),
      message: `Environment check ${environment}`,
      level: 'error',
      environment,
    },
  };
}

async function createToken(picket: PicketInstance, email: string, scopes: string): Promise<string> {
  const run = await runCli(['token', 'create', '--user', email, '--scopes', scopes], {
    env: picket.env,
  });
  if (run.code !== 0) {
    throw new Error(`token create failed: ${run.stderr}`);
  }
  return run.stdout.trim();
}

/**
 * Creates a user with the `member` role in the organization and returns a token that also
 * carries `org:write`, so that only the role withholds it. The membership row is written
 * directly, because Picket has no API that adds a member yet.
 */
async function addMember(
  picket: PicketInstance,
  orgSlug: string,
  databaseUrl: string | undefined,
): Promise<string> {
  const email = `member-${randomUUID().slice(0, 8)}@example.com`;
  const created = await runCli(['createuser', '--email', email, '--password-stdin'], {
    env: picket.env,
    input: 'correct horse battery staple\n',
  });
  if (created.code !== 0) {
    throw new Error(`createuser failed: ${created.stderr}`);
  }

  const db = connectDb({ databaseUrl, dataDir: picket.dataDir });
  try {
    const user = await db.kysely
      .selectFrom('users')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    const organization = await db.kysely
      .selectFrom('organizations')
      .select('id')
      .where('slug', '=', orgSlug)
      .executeTakeFirstOrThrow();
    await db.kysely
      .insertInto('organizationMembers')
      .values({ organizationId: organization.id, userId: user.id, role: 'member', createdAt: 1 })
      .execute();
  } finally {
    await db.close();
  }

  return createToken(picket, email, 'org:read,org:write,event:read,event:write,event:admin');
}
