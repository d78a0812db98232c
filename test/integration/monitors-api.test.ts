/**
 * Creates, changes and deletes cron monitors through Sentry's monitor API on a running Picket,
 * on SQLite and PostgreSQL, and sends HTTP check-ins to a monitor created that way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SERVER_ENGINES } from '../helpers/engines.js';
import {
  apiGet,
  runCli,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

interface ApiMonitor {
  id: string;
  slug: string;
  name: string;
  status: string;
  isMuted: boolean;
  type: string;
  project: { id: string; slug: string };
  config: Record<string, unknown>;
  environments: { name: string; lastCheckIn: string | null; nextCheckIn: string | null }[];
}

interface ApiCheckIn {
  status: string;
  environment: string;
}

interface StatsGroup {
  by: Record<string, string | number>;
  totals: Record<string, number>;
}

const NIGHTLY = {
  name: 'Nightly export',
  type: 'cron_job',
  config: {
    schedule_type: 'crontab',
    schedule: '0 3 * * *',
    checkin_margin: 10,
    max_runtime: 45,
    timezone: 'Europe/Berlin',
  },
};

describe.each(SERVER_ENGINES)('monitor API on $name', ({ databaseUrl }) => {
  let picket: PicketInstance;
  let project: TestProject;
  let outsider: TestProject;
  let readOnlyToken: string;
  let monitorsPath: string;

  async function send(method: string, path: string, body?: unknown, token = project.token) {
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
      body: (text === '' ? undefined : JSON.parse(text)) as unknown,
    };
  }

  const create = (body: Record<string, unknown>) =>
    send('POST', monitorsPath, { project: project.projectSlug, ...body });

  const cronUrl = (slug: string, query: string) =>
    `${picket.url}/api/${project.projectId}/cron/${slug}/${project.publicKey}/${query}`;

  const listCheckIns = (slug: string) =>
    apiGet(picket, project.token, `${monitorsPath}${slug}/checkins/`) as Promise<ApiCheckIn[]>;

  beforeAll(async () => {
    picket = await startPicket({ databaseUrl: await databaseUrl() });
    project = await setupProject(picket, 'monitors');
    outsider = await setupProject(picket, 'outsider');
    monitorsPath = `/api/0/organizations/${project.orgSlug}/monitors/`;

    const tokenRun = await runCli(
      ['token', 'create', '--user', project.email, '--scopes', 'org:read,project:read'],
      { env: picket.env },
    );
    expect(tokenRun.code).toBe(0);
    readOnlyToken = tokenRun.stdout.trim();
  });

  afterAll(async () => {
    await picket?.stop();
  });

  it('creates a monitor and returns it as the details route does', async () => {
    const created = await create({ ...NIGHTLY, slug: 'nightly-export' });
    const details = await apiGet(picket, project.token, `${monitorsPath}nightly-export/`);

    expect(created.status).toBe(201);
    expect(created.body).toEqual(details);
    expect(created.body).toMatchObject({
      slug: 'nightly-export',
      name: 'Nightly export',
      status: 'active',
      isMuted: false,
      type: 'cron_job',
      project: { id: String(project.projectId), slug: project.projectSlug },
      config: {
        schedule_type: 'crontab',
        schedule: '0 3 * * *',
        checkin_margin: 10,
        max_runtime: 45,
        timezone: 'Europe/Berlin',
        failure_issue_threshold: null,
        recovery_threshold: null,
      },
      environments: [],
    });
  });

  it('derives the slug from the name', async () => {
    const created = await create({
      name: 'Hourly Sync Job',
      project: String(project.projectId),
      config: { schedule_type: 'interval', schedule: [1, 'hour'] },
    });

    expect(created.status).toBe(201);
    expect((created.body as ApiMonitor).slug).toBe('hourly-sync-job');
  });

  it('adds a suffix when the slug derived from the name is taken', async () => {
    const created = await create({ ...NIGHTLY, name: 'Hourly sync job' });

    expect(created.status).toBe(201);
    expect((created.body as ApiMonitor).slug).toMatch(/^hourly-sync-job-[a-z0-9]{2}$/);
  });

  it('rejects a slug already taken in the organization', async () => {
    const response = await create({ ...NIGHTLY, slug: 'nightly-export' });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      detail: expect.stringContaining('"nightly-export" is already in use') as unknown,
      slug: ['The slug "nightly-export" is already in use.'],
    });
  });

  it('rejects a bad schedule', async () => {
    const response = await create({
      name: 'Broken',
      config: { schedule_type: 'crontab', schedule: '0 25 * * *' },
    });

    expect(response.status).toBe(400);
    expect((response.body as { detail: string }).detail).toMatch(/^Invalid config: Schedule is/);
  });

  it('rejects an interval with an unknown unit', async () => {
    const response = await create({
      name: 'Broken',
      config: { schedule_type: 'interval', schedule: [3, 'fortnight'] },
    });

    expect(response.status).toBe(400);
    expect((response.body as { detail: string }).detail).toContain('"fortnight"');
  });

  it('rejects an unknown project', async () => {
    const response = await create({ ...NIGHTLY, project: 'no-such-project' });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      detail: expect.stringContaining('Unknown project "no-such-project"') as unknown,
    });
  });

  it('rejects the project of another organization', async () => {
    const response = await create({ ...NIGHTLY, project: outsider.projectSlug });

    expect(response.status).toBe(400);
  });

  it('stores an HTTP check-in to a created monitor as accepted', async () => {
    const response = await fetch(cronUrl('nightly-export', '?status=ok&environment=production'));
    expect(response.status).toBe(202);

    const checkIns = await waitFor(async () => {
      const list = await listCheckIns('nightly-export');
      return list.length > 0 ? list : undefined;
    });
    expect(checkIns[0]).toMatchObject({ status: 'ok', environment: 'production' });

    const stats = `/api/0/organizations/${project.orgSlug}/stats_v2/?field=sum(quantity)&groupBy=outcome&groupBy=category&statsPeriod=24h&interval=1h&project=${project.projectId}`;
    const accepted = await waitFor(async () => {
      const body = (await apiGet(picket, project.token, stats)) as { groups: StatsGroup[] };
      return body.groups.find(
        (group) => group.by.category === 'monitor' && group.by.outcome === 'accepted',
      );
    });
    expect(accepted.totals['sum(quantity)']).toBe(1);
  });

  it('updates the name, the mute flag and part of the config', async () => {
    const response = await send('PUT', `${monitorsPath}nightly-export/`, {
      name: 'Nightly export v2',
      isMuted: true,
      config: { schedule: '30 4 * * *', max_runtime: 90 },
    });
    const monitor = response.body as ApiMonitor;

    expect(response.status).toBe(200);
    expect(monitor.name).toBe('Nightly export v2');
    expect(monitor.isMuted).toBe(true);
    expect(monitor.config).toMatchObject({
      schedule_type: 'crontab',
      schedule: '30 4 * * *',
      checkin_margin: 10,
      max_runtime: 90,
      timezone: 'Europe/Berlin',
    });
    await expect(apiGet(picket, project.token, `${monitorsPath}nightly-export/`)).resolves.toEqual(
      monitor,
    );
  });

  it('moves the next expected check-in to the new schedule', async () => {
    const monitor = (await apiGet(
      picket,
      project.token,
      `${monitorsPath}nightly-export/`,
    )) as ApiMonitor;
    const next = new Date(monitor.environments[0]?.nextCheckIn ?? '');

    // 04:30 in Berlin is 02:30 or 03:30 UTC, depending on daylight saving time.
    expect(next.getUTCMinutes()).toBe(30);
    expect([2, 3]).toContain(next.getUTCHours());
  });

  it('unmutes a monitor', async () => {
    const response = await send('PUT', `${monitorsPath}nightly-export/`, { isMuted: false });

    expect((response.body as ApiMonitor).isMuted).toBe(false);
  });

  it('rejects an update to a bad schedule and keeps the monitor', async () => {
    const response = await send('PUT', `${monitorsPath}nightly-export/`, {
      config: { schedule: [1, 'hour'] },
    });
    const monitor = (await apiGet(
      picket,
      project.token,
      `${monitorsPath}nightly-export/`,
    )) as ApiMonitor;

    expect(response.status).toBe(400);
    expect(monitor.config.schedule).toBe('30 4 * * *');
  });

  it('rejects a new slug that another monitor has', async () => {
    const response = await send('PUT', `${monitorsPath}nightly-export/`, {
      slug: 'hourly-sync-job',
    });

    expect(response.status).toBe(400);
  });

  it('hides monitors from non-members', async () => {
    const path = `${monitorsPath}nightly-export/`;

    expect((await send('POST', monitorsPath, NIGHTLY, outsider.token)).status).toBe(404);
    expect((await send('PUT', path, { name: 'x' }, outsider.token)).status).toBe(404);
    expect((await send('DELETE', path, undefined, outsider.token)).status).toBe(404);
  });

  it('requires project:write to write', async () => {
    const path = `${monitorsPath}nightly-export/`;
    const body = { ...NIGHTLY, project: project.projectSlug };

    expect((await send('POST', monitorsPath, body, readOnlyToken)).status).toBe(403);
    expect((await send('PUT', path, { name: 'x' }, readOnlyToken)).status).toBe(403);
    expect((await send('DELETE', path, undefined, readOnlyToken)).status).toBe(403);
    expect((await send('GET', path, undefined, readOnlyToken)).status).toBe(200);
  });

  it('deletes one environment of a monitor', async () => {
    await fetch(cronUrl('nightly-export', '?status=ok&environment=staging'));
    await waitFor(async () =>
      (await listCheckIns('nightly-export')).length === 2 ? true : undefined,
    );

    const response = await send('DELETE', `${monitorsPath}nightly-export/?environment=staging`);
    const monitor = (await apiGet(
      picket,
      project.token,
      `${monitorsPath}nightly-export/`,
    )) as ApiMonitor;

    expect(response.status).toBe(202);
    expect(monitor.environments.map((environment) => environment.name)).toEqual(['production']);
    expect((await listCheckIns('nightly-export')).map((checkIn) => checkIn.environment)).toEqual([
      'production',
    ]);
  });

  it('deletes a monitor with its check-ins', async () => {
    const response = await send('DELETE', `${monitorsPath}nightly-export/`);

    expect(response.status).toBe(202);
    expect(response.body).toBeUndefined();
    expect((await send('GET', `${monitorsPath}nightly-export/`)).status).toBe(404);
    expect((await send('GET', `${monitorsPath}nightly-export/checkins/`)).status).toBe(404);
    expect((await send('DELETE', `${monitorsPath}nightly-export/`)).status).toBe(404);
  });

  it('lets the slug of a deleted monitor be used again', async () => {
    const response = await create({ ...NIGHTLY, slug: 'nightly-export' });

    expect(response.status).toBe(201);
    expect((response.body as ApiMonitor).environments).toEqual([]);
  });
});
