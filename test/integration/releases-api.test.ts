/**
 * The release API that sentry-cli calls: creating releases (201, then 208), updating and
 * finalizing them, commits, deploys, release files, deletion and the scopes of each route,
 * on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SERVER_ENGINES } from '../helpers/engines.js';
import {
  apiGet,
  runCli,
  sendEnvelope,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

interface ApiRelease {
  version: string;
  ref: string | null;
  url: string | null;
  dateReleased: string | null;
  commitCount: number;
  deployCount: number;
  lastDeploy: { id: string; environment: string; name: string | null } | null;
  lastCommit: { id: string; message: string | null } | null;
  authors: { name: string; email: string }[];
  projects: { slug: string }[];
}

describe.each(SERVER_ENGINES)('release API on $name', ({ databaseUrl }) => {
  let picket: PicketInstance;
  let project: TestProject;
  let other: TestProject;

  beforeAll(async () => {
    picket = await startPicket({ databaseUrl: await databaseUrl() });
    project = await setupProject(picket, 'rel');
    other = await setupProject(picket, 'stranger');
  }, 60_000);

  afterAll(async () => {
    await picket.stop();
  });

  async function call(method: string, path: string, body?: unknown, token = project.token) {
    const response = await fetch(`${picket.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
    };
  }

  async function tokenWith(scopes: string) {
    const run = await runCli(['token', 'create', '--user', project.email, '--scopes', scopes], {
      env: picket.env,
    });
    expect(run.code).toBe(0);
    return run.stdout.trim();
  }

  const org = () => `/api/0/organizations/${project.orgSlug}`;

  it('create returns 201, then 208', async () => {
    const created = await call('POST', `${org()}/releases/`, {
      version: 'app@1.0.0',
      projects: [project.projectSlug],
      ref: 'main',
    });
    expect(created.status).toBe(201);
    expect(created.type).toContain('application/json');
    expect((created.body as ApiRelease).ref).toBe('main');

    const again = await call(
      'POST',
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/releases/`,
      {
        version: 'app@1.0.0',
      },
    );
    expect(again.status).toBe(208);
    expect((again.body as ApiRelease).projects.map((p) => p.slug)).toEqual([project.projectSlug]);

    const read = (await apiGet(
      picket,
      project.token,
      `${org()}/releases/${encodeURIComponent('app@1.0.0')}/`,
    )) as ApiRelease;
    expect(read).toMatchObject({ version: 'app@1.0.0', ref: 'main', dateReleased: null });

    const viaProject = await call(
      'GET',
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/releases/app%401.0.0/`,
    );
    expect(viaProject.status).toBe(200);

    const list = (await apiGet(picket, project.token, `${org()}/releases/`)) as ApiRelease[];
    expect(list.map((release) => release.version)).toContain('app@1.0.0');
  });

  it('create rejects bad input', async () => {
    for (const version of ['', '.', '..', ' ', 'a/b', 'a\nb', 'a\tb', 'x'.repeat(251)]) {
      const response = await call('POST', `${org()}/releases/`, {
        version,
        projects: [project.projectSlug],
      });
      expect(response.status, JSON.stringify(version)).toBe(400);
    }
    const longest = await call('POST', `${org()}/releases/`, {
      version: 'y'.repeat(250),
      projects: [project.projectSlug],
    });
    expect(longest.status).toBe(201);

    const unknown = await call('POST', `${org()}/releases/`, { version: 'z1', projects: ['nope'] });
    expect(unknown.status).toBe(400);
    const none = await call('POST', `${org()}/releases/`, { version: 'z2', projects: [] });
    expect(none.status).toBe(400);
  });

  it('update finalizes and stores commits', async () => {
    const path = `${org()}/releases/app%401.0.0/`;
    const updated = await call('PUT', path, {
      url: 'https://example.com/r/1',
      dateReleased: '2026-01-02T03:04:05Z',
      commits: [
        {
          id: 'a'.repeat(40),
          repository: 'acme/app',
          message: 'Fix the login',
          author_name: 'Ada',
          author_email: 'ada@example.com',
          timestamp: '2026-01-01T00:00:00Z',
        },
        { id: 'b'.repeat(40), author_name: 'Ada', author_email: 'ada@example.com' },
        { id: 'c'.repeat(40), author_name: 'Bob', author_email: 'bob@example.com' },
      ],
    });
    expect(updated.status).toBe(200);
    const release = updated.body as ApiRelease;
    expect(release.dateReleased).toBe('2026-01-02T03:04:05.000Z');
    expect(release.url).toBe('https://example.com/r/1');
    expect(release.commitCount).toBe(3);
    expect(release.lastCommit).toMatchObject({ id: 'a'.repeat(40), message: 'Fix the login' });
    expect(release.authors.map((author) => author.email)).toEqual([
      'ada@example.com',
      'bob@example.com',
    ]);

    const commits = (await apiGet(picket, project.token, `${path}commits/`)) as {
      id: string;
      repository: { name: string } | null;
      dateCreated: string;
    }[];
    expect(commits.map((commit) => commit.id)).toEqual([
      'a'.repeat(40),
      'b'.repeat(40),
      'c'.repeat(40),
    ]);
    expect(commits[0]?.repository?.name).toBe('acme/app');
    expect(commits[0]?.dateCreated).toBe('2026-01-01T00:00:00.000Z');

    const badDate = await call('PUT', path, { dateReleased: 'yesterday' });
    expect(badDate.status).toBe(400);
    const badCommit = await call('PUT', path, { commits: [{ message: 'no id' }] });
    expect(badCommit.status).toBe(400);
  });

  it('deploys set lastDeploy', async () => {
    const path = `${org()}/releases/app%401.0.0/deploys/`;
    const first = await call('POST', path, { environment: 'staging' });
    expect(first.status).toBe(201);
    const second = await call('POST', path, {
      environment: 'production',
      name: 'deploy 2',
      url: 'https://ci.example.com/2',
      dateStarted: '2026-02-01T00:00:00Z',
      dateFinished: '2030-02-01T00:10:00Z',
    });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({
      environment: 'production',
      name: 'deploy 2',
      dateStarted: '2026-02-01T00:00:00.000Z',
      dateFinished: '2030-02-01T00:10:00.000Z',
    });

    const deploys = (await apiGet(picket, project.token, path)) as { environment: string }[];
    expect(deploys.map((deploy) => deploy.environment)).toEqual(['production', 'staging']);
    const release = (await apiGet(
      picket,
      project.token,
      `${org()}/releases/app%401.0.0/`,
    )) as ApiRelease;
    expect(release.deployCount).toBe(2);
    expect(release.lastDeploy).toMatchObject({ environment: 'production', name: 'deploy 2' });

    expect((await call('POST', path, {})).status).toBe(400);
    expect((await call('POST', path, { environment: 'x', projects: ['nope'] })).status).toBe(400);
  });

  it('release files are empty', async () => {
    const files = await call('GET', `${org()}/releases/app%401.0.0/files/`);
    expect(files).toMatchObject({ status: 200, body: [] });
    const projectFiles = await call(
      'GET',
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/releases/app%401.0.0/files/`,
    );
    expect(projectFiles).toMatchObject({ status: 200, body: [] });
    expect((await call('DELETE', `${org()}/releases/app%401.0.0/files/1/`)).status).toBe(404);
  });

  it('scopes and foreign organizations', async () => {
    const readOnly = await tokenWith('project:read');
    const releasesOnly = await tokenWith('project:releases');
    const orgOnly = await tokenWith('org:read');
    const path = `${org()}/releases/app%401.0.0/`;

    expect((await call('GET', path, undefined, readOnly)).status).toBe(200);
    expect((await call('GET', `${path}commits/`, undefined, orgOnly)).status).toBe(403);
    expect((await call('PUT', path, { ref: 'x' }, readOnly)).status).toBe(403);
    expect((await call('DELETE', path, undefined, readOnly)).status).toBe(403);
    expect(
      (
        await call(
          'POST',
          `${org()}/releases/`,
          { version: 'ro', projects: [project.projectSlug] },
          readOnly,
        )
      ).status,
    ).toBe(403);

    const created = await call(
      'POST',
      `${org()}/releases/`,
      { version: 'cli-only', projects: [project.projectSlug] },
      releasesOnly,
    );
    expect(created.status).toBe(201);
    expect(
      (await call('DELETE', `${org()}/releases/cli-only/`, undefined, releasesOnly)).status,
    ).toBe(204);

    expect((await call('GET', path, undefined, other.token)).status).toBe(404);
    expect((await call('PUT', path, { ref: 'x' }, other.token)).status).toBe(404);
    expect((await call('DELETE', path, undefined, other.token)).status).toBe(404);
    expect((await call('GET', `${org()}/releases/missing/`)).status).toBe(404);
    expect((await call('PUT', `${org()}/releases/missing/`, {})).status).toBe(404);
  });

  it('delete rejects releases with events', async () => {
    const response = await sendEnvelope(project.dsn, [
      {
        headers: { type: 'event' },
        payload: {
          event_id: 'e'.repeat(32),
          release: 'used@1',
          level: 'error',
          message: 'boom',
        },
      },
    ]);
    expect(response.status).toBe(200);
    const used = `${org()}/releases/used%401/`;
    await waitFor(async () => {
      const release = await call('GET', used);
      return release.status === 200 ? release : undefined;
    });
    await waitFor(async () => {
      const release = (await call('GET', used)).body as { firstEvent: string | null };
      return release.firstEvent === null ? undefined : release;
    });

    const rejected = await call('DELETE', used);
    expect(rejected.status).toBe(400);
    expect(JSON.stringify(rejected.body)).toContain('This release is in use');

    const deleted = await call('DELETE', `${org()}/releases/app%401.0.0/`);
    expect(deleted.status).toBe(204);
    expect((await call('GET', `${org()}/releases/app%401.0.0/`)).status).toBe(404);
    expect((await call('GET', `${org()}/releases/app%401.0.0/deploys/`)).status).toBe(404);
  });
});
