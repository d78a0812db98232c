import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ProjectStorage } from '../../src/shared/api/retention.js';
import { createUserAndToken } from '../helpers/accounts-db.js';
import { SERVER_ENGINES } from '../helpers/engines.js';
import {
  apiGet,
  apiRequest,
  createPostgresSchema,
  sendEnvelope,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

function errorEvent(message: string) {
  const eventId = crypto.randomUUID().replaceAll('-', '');
  return [{ headers: { type: 'event' }, payload: { event_id: eventId, message, level: 'error' } }];
}

function storagePath(project: TestProject): string {
  return `/api/0/projects/${project.orgSlug}/${project.projectSlug}/picket-storage/`;
}

async function status(
  picket: PicketInstance,
  token: string,
  method: string,
  path: string,
  body?: unknown,
) {
  const response = await fetch(`${picket.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

describe.each(SERVER_ENGINES)('project storage API on $name', ({ databaseUrl }) => {
  let picket: PicketInstance;
  let project: TestProject;
  let other: TestProject;

  beforeAll(async () => {
    picket = await startPicket({ databaseUrl: await databaseUrl() });
    project = await setupProject(picket, 'keep');
    other = await setupProject(picket, 'rival');
    for (const message of ['first', 'second']) {
      expect((await sendEnvelope(project.dsn, errorEvent(message))).status).toBe(200);
    }
  });

  afterAll(async () => {
    await picket.stop();
  });

  it('returns the stored events and bytes', async () => {
    const storage = await waitFor(async () => {
      const body = (await apiGet(picket, project.token, storagePath(project))) as ProjectStorage;
      return body.eventsKept === 2 ? body : undefined;
    }, 30_000);

    expect(storage.eventBytes).toBeGreaterThan(0);
    expect(storage.bytesKept).toBe(storage.eventBytes + storage.attachmentBytes);
    expect(Date.parse(storage.oldestEvent ?? '')).toBeGreaterThan(Date.now() - 3_600_000);
    expect(storage.retentionDays).toBe(90);
    expect(storage.maxEvents).toBeNull();
  });

  it('stores the event cap through the project API', async () => {
    const base = `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`;
    const updated = (await apiRequest(picket, project.token, 'PUT', base, {
      picketMaxEvents: 1000,
    })) as { picketMaxEvents: number | null };
    const storage = (await apiGet(picket, project.token, storagePath(project))) as ProjectStorage;

    expect(updated.picketMaxEvents).toBe(1000);
    expect(storage.maxEvents).toBe(1000);
  });

  it('clears the event cap with null', async () => {
    const base = `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`;
    await apiRequest(picket, project.token, 'PUT', base, { picketMaxEvents: null });
    const fetched = (await apiGet(picket, project.token, base)) as { picketMaxEvents: unknown };

    expect(fetched.picketMaxEvents).toBeNull();
  });

  it('rejects a cap that is not a positive whole number', async () => {
    const base = `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`;

    for (const value of [0, -5, -0, 1.5, '10', 1e308, 1e13, true, {}, [5], '1e3']) {
      expect(await status(picket, project.token, 'PUT', base, { picketMaxEvents: value })).toBe(
        400,
      );
    }
  });

  it('keeps the cap when a token without project:write sets it', async () => {
    const base = `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`;
    await apiRequest(picket, project.token, 'PUT', base, { picketMaxEvents: 500 });
    const token = await createUserAndToken(picket, {
      email: project.email,
      scopes: ['project:read', 'event:admin', 'org:read'],
    });

    const answer = await status(picket, token, 'PUT', base, { picketMaxEvents: 1 });
    const fetched = (await apiGet(picket, project.token, base)) as { picketMaxEvents: unknown };

    expect(answer).toBe(403);
    expect(fetched.picketMaxEvents).toBe(500);
  });

  it('accepts the largest cap', async () => {
    const base = `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`;

    expect(await status(picket, project.token, 'PUT', base, { picketMaxEvents: 1e12 })).toBe(200);
  });

  it("answers 404 for another organization's project", async () => {
    expect(await status(picket, project.token, 'GET', storagePath(other))).toBe(404);
  });

  it('answers 403 to a token without project:read', async () => {
    const token = await createUserAndToken(picket, {
      email: project.email,
      scopes: ['event:read'],
    });

    expect(await status(picket, token, 'GET', storagePath(project))).toBe(403);
  });
});

describe('read replica on postgres', () => {
  let picket: PicketInstance;
  let project: TestProject;
  const replicaName = `picket-replica-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    const { url } = await createPostgresSchema();
    const readUrl = new URL(url);
    readUrl.searchParams.set('application_name', replicaName);
    picket = await startPicket({
      databaseUrl: url,
      env: { DATABASE_READ_URL: readUrl.toString() },
    });
    project = await setupProject(picket, 'replica');
    expect((await sendEnvelope(project.dsn, errorEvent('replicated'))).status).toBe(200);
  });

  afterAll(async () => {
    await picket.stop();
  });

  it('runs the issue list on the read connection', async () => {
    const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
    await client.connect();
    try {
      const issuesPath = `/api/0/projects/${project.orgSlug}/${project.projectSlug}/issues/`;
      const seen = await waitFor(async () => {
        await apiGet(picket, project.token, issuesPath);
        const result = await client.query<{ query: string }>(
          'SELECT query FROM pg_stat_activity WHERE application_name = $1',
          [replicaName],
        );
        return result.rows.find((row) => /from "issues"/i.test(row.query));
      }, 30_000);

      expect(seen.query).toMatch(/from "issues"/i);
    } finally {
      await client.end();
    }
  });

  it('keeps writes on the primary', async () => {
    const issues = (await waitFor(async () => {
      const list = (await apiGet(
        picket,
        project.token,
        `/api/0/projects/${project.orgSlug}/${project.projectSlug}/issues/`,
      )) as { id: string }[];
      return list.length > 0 ? list : undefined;
    }, 30_000)) as { id: string }[];
    const updated = (await apiRequest(
      picket,
      project.token,
      'PUT',
      `/api/0/organizations/${project.orgSlug}/issues/${issues[0]?.id ?? ''}/`,
      { status: 'resolved' },
    )) as { status: string };

    expect(updated.status).toBe('resolved');
  });
});
