/**
 * Sends sessions, error events and check-ins to a running Picket over HTTP (envelopes and the
 * cron endpoint) and reads them back through the release and monitor API, including the
 * outcomes counted for bad input.
 */
import path from 'node:path';

import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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

const RELEASE = 'api-health@1.0.0+build7';
const CHECK_IN_ID = '9b1deb4d3b7d4bad9bdd2b0d7b3dcb6d';
const NIL_ID = '00000000-0000-0000-0000-000000000000';

interface HealthData {
  crashFreeSessions: number | null;
  crashFreeUsers: number | null;
  totalSessions: number;
  totalUsers: number;
  sessionsCrashed: number;
  sessionsErrored: number;
  sessionsAbnormal: number;
}

interface ApiRelease {
  id: number;
  version: string;
  shortVersion: string;
  dateCreated: string;
  firstEvent: string | null;
  lastEvent: string | null;
  newGroups: number;
  projects: {
    id: number;
    slug: string;
    name: string;
    platform: string | null;
    hasHealthData: boolean;
    healthData: HealthData | null;
  }[];
}

interface ApiMonitor {
  id: string;
  slug: string;
  name: string;
  status: string;
  isMuted: boolean;
  dateCreated: string;
  project: { id: string; slug: string };
  config: Record<string, unknown>;
  environments: {
    name: string;
    status: string;
    lastCheckIn: string | null;
    nextCheckIn: string | null;
    dateCreated: string;
  }[];
}

interface ApiCheckIn {
  id: string;
  status: string;
  duration: number | null;
  dateCreated: string;
  environment: string;
  expectedTime: string | null;
  monitorConfig: Record<string, unknown>;
}

let picket: PicketInstance;
let project: TestProject;
let outsider: TestProject;

function session(overrides: Record<string, unknown>) {
  const now = new Date().toISOString();
  return {
    headers: { type: 'session' },
    payload: {
      init: true,
      started: now,
      timestamp: now,
      status: 'ok',
      errors: 0,
      attrs: { release: RELEASE, environment: 'production' },
      ...overrides,
    },
  };
}

function errorEvent(eventId: string, release: string) {
  return {
    headers: { type: 'event' },
    payload: {
      event_id: eventId,
      release,
      exception: { values: [{ type: 'TypeError', value: `boom ${eventId.slice(0, 4)}` }] },
    },
  };
}

/** Reads the outcomes the worker stored for the project, as `outcome:reason` totals. */
function readOutcomes(category: string): Record<string, number> {
  const database = new Sqlite(path.join(picket.dataDir, 'picket.sqlite'), { readonly: true });
  try {
    const rows = database
      .prepare(
        'SELECT outcome, reason, sum(quantity) AS quantity FROM outcomes WHERE project_id = ? AND category = ? GROUP BY outcome, reason',
      )
      .all(project.projectId, category) as { outcome: string; reason: string; quantity: number }[];
    return Object.fromEntries(
      rows.map((row) => [`${row.outcome}:${row.reason}`, Number(row.quantity)]),
    );
  } finally {
    database.close();
  }
}

function waitForOutcome(category: string, key: string, quantity: number) {
  return waitFor(
    async () => ((readOutcomes(category)[key] ?? 0) >= quantity ? true : undefined),
    15_000,
  );
}

async function getRelease(version: string): Promise<ApiRelease> {
  return (await apiGet(
    picket,
    project.token,
    `/api/0/organizations/${project.orgSlug}/releases/${encodeURIComponent(version)}/`,
  )) as ApiRelease;
}

function cronUrl(slug: string, key?: string, query = '') {
  const keyPart = key === undefined ? '' : `${key}/`;
  return `${picket.url}/api/${project.projectId}/cron/${slug}/${keyPart}${query}`;
}

beforeAll(async () => {
  picket = await startPicket();
  project = await setupProject(picket, 'health');
  outsider = await setupProject(picket, 'outsider');
});

afterAll(async () => {
  await picket?.stop();
});

describe('release health API', () => {
  it('reports sessions, crash-free sessions and users', async () => {
    const response = await sendEnvelope(project.dsn, [
      session({ sid: 'a'.repeat(32), did: 'u1' }),
      session({ sid: 'b'.repeat(32), did: 'u2', status: 'crashed', errors: 1 }),
      session({ sid: 'c'.repeat(32), did: 'u3', status: 'exited', errors: 2 }),
      {
        headers: { type: 'sessions' },
        payload: {
          attrs: { release: RELEASE, environment: 'production' },
          aggregates: [{ started: new Date().toISOString(), exited: 4, errored: 1, crashed: 1 }],
        },
      },
    ]);
    expect(response.status).toBe(200);

    const release = await waitFor(async () => {
      const candidate = await getRelease(RELEASE);
      return candidate.projects[0]?.hasHealthData === true ? candidate : undefined;
    });
    expect(release.version).toBe(RELEASE);
    expect(release.shortVersion).toBe('1.0.0 (build7)');
    expect(release.projects[0]).toMatchObject({
      id: project.projectId,
      slug: project.projectSlug,
      platform: 'javascript',
    });
    expect(release.projects[0]!.healthData).toMatchObject({
      totalSessions: 9,
      sessionsCrashed: 2,
      sessionsErrored: 2,
      sessionsAbnormal: 0,
      totalUsers: 3,
    });
    expect(release.projects[0]!.healthData!.crashFreeSessions).toBeCloseTo(100 - 200 / 9, 6);
    expect(release.projects[0]!.healthData!.crashFreeUsers).toBeCloseTo(100 - 100 / 3, 6);
  });

  it('lists health per project only with health=1', async () => {
    const base = `/api/0/organizations/${project.orgSlug}/releases/`;
    const withHealth = (await apiGet(picket, project.token, `${base}?health=1`)) as ApiRelease[];
    const without = (await apiGet(picket, project.token, base)) as ApiRelease[];

    expect(withHealth[0]?.projects[0]?.healthData?.totalSessions).toBe(9);
    expect(without[0]?.projects[0]?.healthData).toBeNull();
    expect(without[0]?.projects[0]?.hasHealthData).toBe(true);
  });

  it('creates a release from an error event', async () => {
    const eventId = '1'.repeat(32);
    await sendEnvelope(project.dsn, [errorEvent(eventId, 'events-only@2.0.0')], {
      event_id: eventId,
    });

    const release = await waitFor(async () =>
      getRelease('events-only@2.0.0').catch(() => undefined),
    );
    expect(release.firstEvent).not.toBeNull();
    expect(release.lastEvent).toBe(release.firstEvent);
    expect(release.newGroups).toBe(1);
    expect(release.projects[0]?.hasHealthData).toBe(false);
    expect(release.projects[0]?.healthData?.crashFreeSessions).toBeNull();
    expect(release.projects[0]?.healthData?.crashFreeUsers).toBeNull();
  });

  it('filters by version text and project, and pages with Link', async () => {
    const base = `${picket.url}/api/0/organizations/${project.orgSlug}/releases/`;
    const headers = { authorization: `Bearer ${project.token}` };

    const byText = (await (
      await fetch(`${base}?query=EVENTS-only`, { headers })
    ).json()) as ApiRelease[];
    const byProject = (await (
      await fetch(`${base}?project=${outsider.projectId}`, { headers })
    ).json()) as ApiRelease[];
    const firstPage = await fetch(`${base}?per_page=1`, { headers });
    const link = firstPage.headers.get('link') ?? '';

    expect(byText.map((release) => release.version)).toEqual(['events-only@2.0.0']);
    expect(byProject).toEqual([]);
    expect(((await firstPage.json()) as ApiRelease[]).length).toBe(1);
    expect(link).toContain('rel="next"; results="true"; cursor="0:1:0"');
  });

  it('rejects a project filter that is not a number', async () => {
    const response = await fetch(
      `${picket.url}/api/0/organizations/${project.orgSlug}/releases/?project=web`,
      { headers: { authorization: `Bearer ${project.token}` } },
    );
    expect(response.status).toBe(400);
  });

  it('answers 404 for an unknown release and for non-members', async () => {
    const unknown = await fetch(
      `${picket.url}/api/0/organizations/${project.orgSlug}/releases/nope@1/`,
      { headers: { authorization: `Bearer ${project.token}` } },
    );
    const foreign = await fetch(`${picket.url}/api/0/organizations/${project.orgSlug}/releases/`, {
      headers: { authorization: `Bearer ${outsider.token}` },
    });

    expect(unknown.status).toBe(404);
    expect(foreign.status).toBe(404);
  });

  it('needs a project or release scope, not org:read alone', async () => {
    const tokenFor = async (scopes: string) => {
      const created = await runCli(
        ['token', 'create', '--user', project.email, '--scopes', scopes],
        { env: picket.env },
      );
      return created.stdout.trim();
    };
    const list = `${picket.url}/api/0/organizations/${project.orgSlug}/releases/`;

    const orgOnly = await fetch(list, {
      headers: { authorization: `Bearer ${await tokenFor('org:read')}` },
    });
    const releasesScope = await fetch(list, {
      headers: { authorization: `Bearer ${await tokenFor('project:releases')}` },
    });

    expect(orgOnly.status).toBe(403);
    expect(releasesScope.status).toBe(200);
  });

  it('counts bad sessions as invalid and keeps the event of the same envelope', async () => {
    const eventId = '2'.repeat(32);
    const old = new Date(Date.now() - 6 * 86_400_000).toISOString();
    const response = await sendEnvelope(
      project.dsn,
      [
        session({ attrs: { environment: 'production' } }),
        session({ status: 'exploded' }),
        session({ attrs: ['release'] }),
        session({ errors: 'three' }),
        session({ started: old, timestamp: old }),
        {
          headers: { type: 'sessions' },
          payload: { attrs: { release: RELEASE }, aggregates: 'lots' },
        },
        { headers: { type: 'session' }, payload: '[1, 2, 3]' },
        errorEvent(eventId, 'bad-input@1.0.0'),
      ],
      { event_id: eventId },
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: eventId });
    await waitForOutcome('session', 'invalid:invalid_session', 3);
    // Ingest counts the item that is not a JSON object and flushes its counts once a second.
    await waitForOutcome('session', 'invalid:not_object', 1);
    const outcomes = readOutcomes('session');
    expect(outcomes['invalid:missing_release']).toBe(1);
    expect(outcomes['invalid:invalid_status']).toBe(1);
    expect(outcomes['invalid:past_timestamp']).toBe(1);
    expect(outcomes['invalid:not_object']).toBe(1);
    await waitFor(() =>
      apiGet(
        picket,
        project.token,
        `/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${eventId}/`,
      ),
    );
  });

  it('takes 100 session items of an envelope and counts the rest invalid', async () => {
    const eventId = '3'.repeat(32);
    const sessions = Array.from({ length: 101 }, () =>
      session({ attrs: { release: 'many@1.0.0', environment: 'production' } }),
    );
    const response = await sendEnvelope(
      project.dsn,
      [...sessions, errorEvent(eventId, 'many@1.0.0')],
      {
        event_id: eventId,
      },
    );

    expect(response.status).toBe(200);
    const release = await waitFor(async () => {
      const candidate = await getRelease('many@1.0.0').catch(() => undefined);
      return candidate?.projects[0]?.hasHealthData === true && candidate.firstEvent !== null
        ? candidate
        : undefined;
    });
    expect(release.projects[0]?.healthData?.totalSessions).toBe(100);
    await waitForOutcome('session', 'invalid:too_many_sessions', 1);
    expect(readOutcomes('session')['invalid:too_many_sessions']).toBe(1);
  });
});

describe('cron monitors', () => {
  it('creates a monitor from a check-in item and closes the check-in', async () => {
    const config = {
      schedule: { type: 'crontab', value: '0 3 * * *' },
      checkin_margin: 5,
      max_runtime: 30,
      timezone: 'Europe/Berlin',
      failure_issue_threshold: 2,
      recovery_threshold: 1,
    };
    await sendEnvelope(project.dsn, [
      {
        headers: { type: 'check_in' },
        payload: {
          check_in_id: CHECK_IN_ID,
          monitor_slug: 'nightly-report',
          status: 'in_progress',
          environment: 'production',
          monitor_config: config,
        },
      },
    ]);
    await waitFor(() =>
      apiGet(
        picket,
        project.token,
        `/api/0/organizations/${project.orgSlug}/monitors/nightly-report/`,
      ),
    );
    await sendEnvelope(project.dsn, [
      {
        headers: { type: 'check_in' },
        payload: {
          check_in_id: CHECK_IN_ID,
          monitor_slug: 'nightly-report',
          status: 'ok',
          duration: 1.5,
          environment: 'production',
        },
      },
    ]);

    const checkIns = await waitFor(async () => {
      const listed = (await apiGet(
        picket,
        project.token,
        `/api/0/projects/${project.orgSlug}/${project.projectSlug}/monitors/nightly-report/checkins/`,
      )) as ApiCheckIn[];
      return listed[0]?.status === 'ok' ? listed : undefined;
    });
    expect(checkIns).toHaveLength(1);
    expect(checkIns[0]).toMatchObject({
      id: '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d',
      status: 'ok',
      duration: 1500,
      environment: 'production',
      expectedTime: null,
      monitorConfig: { schedule_type: 'crontab', schedule: '0 3 * * *' },
    });
  });

  it('serves the monitor in Sentry shape', async () => {
    const monitors = (await apiGet(
      picket,
      project.token,
      `/api/0/organizations/${project.orgSlug}/monitors/`,
    )) as ApiMonitor[];
    const monitor = monitors.find((candidate) => candidate.slug === 'nightly-report');

    expect(monitor).toMatchObject({
      slug: 'nightly-report',
      name: 'nightly-report',
      status: 'active',
      isMuted: false,
      project: { id: String(project.projectId), slug: project.projectSlug },
      config: {
        schedule_type: 'crontab',
        schedule: '0 3 * * *',
        checkin_margin: 5,
        max_runtime: 30,
        timezone: 'Europe/Berlin',
        failure_issue_threshold: 2,
        recovery_threshold: 1,
      },
    });
    expect(monitor!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(monitor!.environments).toHaveLength(1);
    expect(monitor!.environments[0]).toMatchObject({ name: 'production', status: 'ok' });
    // 03:00 in Berlin is 02:00 UTC in winter and 01:00 UTC in summer.
    expect(monitor!.environments[0]!.nextCheckIn).toMatch(/T0[12]:00:00\.000Z$/);
  });

  it('returns 202 for a path key', async () => {
    const response = await fetch(
      cronUrl('nightly-report', project.publicKey, '?status=in_progress&environment=staging'),
    );

    expect(response.status).toBe(202);
    expect(await response.text()).toBe('');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('closes the latest in-progress check-in from a JSON body with header auth', async () => {
    const response = await fetch(cronUrl('nightly-report'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-sentry-auth': `Sentry sentry_key=${project.publicKey}, sentry_version=7`,
      },
      body: JSON.stringify({
        check_in_id: NIL_ID,
        status: 'error',
        environment: 'staging',
        duration: 4,
      }),
    });
    expect(response.status).toBe(202);

    const checkIns = await waitFor(async () => {
      const listed = (await apiGet(
        picket,
        project.token,
        `/api/0/organizations/${project.orgSlug}/monitors/nightly-report/checkins/?environment=staging`,
      )) as ApiCheckIn[];
      return listed[0]?.status === 'error' ? listed : undefined;
    });
    expect(checkIns).toHaveLength(1);
    expect(checkIns[0]?.duration).toBe(4000);
  });

  it('accepts the key as a sentry_key query parameter', async () => {
    const response = await fetch(
      cronUrl('nightly-report', undefined, `?sentry_key=${project.publicKey}&status=ok`),
      {
        method: 'POST',
      },
    );
    expect(response.status).toBe(202);
  });

  it.each([
    ['an unknown key', () => cronUrl('nightly-report', 'f'.repeat(32), '?status=ok'), 403],
    [
      'a key of another project',
      () => cronUrl('nightly-report', outsider.publicKey, '?status=ok'),
      403,
    ],
    ['no key', () => cronUrl('nightly-report', undefined, '?status=ok'), 401],
    ['no status', () => cronUrl('nightly-report', project.publicKey), 400],
    [
      'a malformed check-in id',
      () => cronUrl('nightly-report', project.publicKey, '?status=ok&check_in_id=abc'),
      400,
    ],
    [
      'a duration that is not a number',
      () => cronUrl('nightly-report', project.publicKey, '?status=ok&duration=long'),
      400,
    ],
  ])('rejects %s', async (_name, url, status) => {
    const response = await fetch(url());
    expect(response.status).toBe(status);
  });

  it('rejects a JSON body that is not an object', async () => {
    const response = await fetch(cronUrl('nightly-report', project.publicKey), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '"ok"',
    });
    expect(response.status).toBe(400);
  });

  it('counts a check-in for an unknown slug without config as invalid', async () => {
    const response = await fetch(cronUrl('never-created', project.publicKey, '?status=ok'));
    expect(response.status).toBe(202);

    await waitForOutcome('monitor', 'invalid:invalid_monitor', 1);
    const detail = await fetch(
      `${picket.url}/api/0/organizations/${project.orgSlug}/monitors/never-created/`,
      {
        headers: { authorization: `Bearer ${project.token}` },
      },
    );
    expect(detail.status).toBe(404);
  });

  it('counts a check-in with a bad status as invalid', async () => {
    const response = await fetch(cronUrl('nightly-report', project.publicKey, '?status=finished'));
    expect(response.status).toBe(202);
    await waitForOutcome('monitor', 'invalid:invalid_check_in', 1);
  });

  it('takes 100 check-ins of an envelope and counts the rest invalid', async () => {
    const checkIns = Array.from({ length: 101 }, (_, index) => ({
      headers: { type: 'check_in' },
      payload: {
        check_in_id: (index + 1).toString(16).padStart(32, '0'),
        monitor_slug: 'flood',
        status: 'ok',
        monitor_config: { schedule: { type: 'crontab', value: '* * * * *' } },
      },
    }));

    const response = await sendEnvelope(project.dsn, checkIns);

    expect(response.status).toBe(200);
    await waitForOutcome('monitor', 'invalid:too_many_check_ins', 1);
    await waitForOutcome('monitor', 'accepted:', 100);
  });

  it('hides monitors from non-members', async () => {
    const response = await fetch(`${picket.url}/api/0/organizations/${project.orgSlug}/monitors/`, {
      headers: { authorization: `Bearer ${outsider.token}` },
    });
    expect(response.status).toBe(404);
  });
});
