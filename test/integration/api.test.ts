import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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

interface Issue {
  id: string;
  shortId: string;
  title: string;
  culprit: string;
  count: string;
  userCount: number;
  status: string;
  permalink: string;
  firstSeen: string;
  lastSeen: string;
  level: string;
  project: { slug: string };
}

function errorEvent(id: string, type: string, user: string) {
  return {
    headers: { type: 'event' },
    payload: {
      event_id: id,
      platform: 'python',
      level: 'error',
      user: { id: user },
      tags: { region: 'eu' },
      exception: {
        values: [
          {
            type,
            value: 'bad input',
            stacktrace: {
              frames: [
                {
                  filename: 'app/views.py',
                  module: 'app.views',
                  function: 'index',
                  lineno: 3,
                  in_app: true,
                },
              ],
            },
          },
        ],
      },
    },
  };
}

describe('web API', () => {
  let picket: PicketInstance;
  let project: TestProject;
  let other: TestProject;
  let issue: Issue;

  beforeAll(async () => {
    picket = await startPicket();
    project = await setupProject(picket, 'api');
    other = await setupProject(picket, 'rival');
    for (const [index, user] of ['1', '2', '2'].entries()) {
      const id = `${index + 1}`.padStart(32, 'a');
      await sendEnvelope(project.dsn, [errorEvent(id, 'ValueError', user)], { event_id: id });
    }
    issue = await waitFor(async () => {
      const issues = (await apiGet(
        picket,
        project.token,
        `/api/0/organizations/${project.orgSlug}/issues/`,
      )) as Issue[];
      return issues[0]?.count === '3' ? issues[0] : undefined;
    });
  });

  afterAll(async () => {
    await picket.stop();
  });

  it('lists an issue with Sentry fields', () => {
    expect(issue.title).toBe('ValueError: bad input');
    expect(issue.count).toBe('3');
    expect(issue.userCount).toBe(2);
    expect(issue.status).toBe('unresolved');
    expect(issue.level).toBe('error');
    expect(issue.shortId).toBe(`${project.projectSlug.toUpperCase()}-1`);
    expect(issue.permalink).toBe(
      `${picket.url}/organizations/${project.orgSlug}/issues/${issue.id}/`,
    );
    expect(Date.parse(issue.firstSeen)).toBeLessThanOrEqual(Date.parse(issue.lastSeen));
  });

  it('returns tag distributions of an issue', async () => {
    const tags = (await apiGet(picket, project.token, `/api/0/issues/${issue.id}/tags/`)) as {
      key: string;
      totalValues: number;
      topValues: { value: string; count: number }[];
    }[];
    const region = tags.find((tag) => tag.key === 'region');

    expect(region?.totalValues).toBe(3);
    expect(region?.topValues[0]).toMatchObject({ value: 'eu', count: 3 });
  });

  it('returns the grouping hashes of an issue', async () => {
    const hashes = (await apiGet(picket, project.token, `/api/0/issues/${issue.id}/hashes/`)) as {
      id: string;
    }[];
    expect(hashes.length).toBeGreaterThan(0);
    expect(hashes[0]?.id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('returns the latest event with an exception entry and neighbours', async () => {
    const event = (await apiGet(
      picket,
      project.token,
      `/api/0/organizations/${project.orgSlug}/issues/${issue.id}/events/latest/`,
    )) as {
      eventID: string;
      previousEventID: string | null;
      nextEventID: string | null;
      entries: {
        type: string;
        data: {
          values: {
            type: string;
            stacktrace: { frames: { function: string; inApp: boolean }[] };
          }[];
        };
      }[];
    };
    const exception = event.entries.find((entry) => entry.type === 'exception');

    expect(exception?.data.values[0]?.type).toBe('ValueError');
    expect(exception?.data.values[0]?.stacktrace.frames[0]).toMatchObject({
      function: 'index',
      inApp: true,
    });
    expect(event.nextEventID).toBeNull();
    expect(event.previousEventID).toMatch(/^[0-9a-f]{32}$/);
  });

  it('paginates events with a Link header', async () => {
    const response = await fetch(`${picket.url}/api/0/issues/${issue.id}/events/?per_page=2`, {
      headers: { authorization: `Bearer ${project.token}` },
    });
    const link = response.headers.get('link') ?? '';
    const second = await fetch(
      `${picket.url}/api/0/issues/${issue.id}/events/?per_page=2&cursor=0:2:0`,
      {
        headers: { authorization: `Bearer ${project.token}` },
      },
    );

    expect(((await response.json()) as unknown[]).length).toBe(2);
    expect(link).toContain('rel="next"; results="true"; cursor="0:2:0"');
    expect(link).toContain('rel="previous"; results="false"');
    expect(((await second.json()) as unknown[]).length).toBe(1);
    expect(second.headers.get('link')).toContain('rel="next"; results="false"');
  });

  it('resolves an issue and hides it from the default list', async () => {
    const updated = (await apiRequest(
      picket,
      project.token,
      'PUT',
      `/api/0/organizations/${project.orgSlug}/issues/${issue.id}/`,
      {
        status: 'resolved',
      },
    )) as Issue;
    const unresolved = (await apiGet(
      picket,
      project.token,
      `/api/0/organizations/${project.orgSlug}/issues/`,
    )) as Issue[];
    const resolved = (await apiGet(
      picket,
      project.token,
      `/api/0/organizations/${project.orgSlug}/issues/?query=is:resolved`,
    )) as Issue[];

    expect(updated.status).toBe('resolved');
    expect(unresolved.map((row) => row.id)).not.toContain(issue.id);
    expect(resolved.map((row) => row.id)).toContain(issue.id);

    await apiRequest(picket, project.token, 'PUT', `/api/0/issues/${issue.id}/`, {
      status: 'unresolved',
    });
  });

  it('resolves the issues matching a query in bulk', async () => {
    const path = `/api/0/projects/${project.orgSlug}/${project.projectSlug}/issues/`;
    const bulk = (await apiRequest(
      picket,
      project.token,
      'PUT',
      `${path}?query=is:unresolved region:eu`,
      {
        status: 'resolved',
      },
    )) as { status: string };
    const after = (await apiGet(picket, project.token, `/api/0/issues/${issue.id}/`)) as Issue;

    expect(bulk.status).toBe('resolved');
    expect(after.status).toBe('resolved');

    await apiRequest(picket, project.token, 'PUT', `${path}?id=${issue.id}`, {
      status: 'unresolved',
    });
    const reopened = (await apiGet(picket, project.token, `/api/0/issues/${issue.id}/`)) as Issue;
    expect(reopened.status).toBe('unresolved');
  });

  it('rejects an unknown is: search with 400', async () => {
    const response = await fetch(
      `${picket.url}/api/0/organizations/${project.orgSlug}/issues/?query=is:bogus`,
      {
        headers: { authorization: `Bearer ${project.token}` },
      },
    );
    expect(response.status).toBe(400);
  });

  it('rejects an unknown status with 400', async () => {
    const response = await fetch(`${picket.url}/api/0/issues/${issue.id}/`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${project.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'bogus' }),
    });
    expect(response.status).toBe(400);
  });

  it('hides another organization behind 404', async () => {
    const paths = [
      `/api/0/organizations/${project.orgSlug}/`,
      `/api/0/organizations/${project.orgSlug}/issues/`,
      `/api/0/issues/${issue.id}/`,
      `/api/0/issues/${issue.id}/events/latest/`,
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/keys/`,
    ];
    for (const path of paths) {
      const response = await fetch(`${picket.url}${path}`, {
        headers: { authorization: `Bearer ${other.token}` },
      });
      expect(response.status, path).toBe(404);
    }
  });

  it('lists only the organizations of the caller', async () => {
    const organizations = (await apiGet(picket, other.token, '/api/0/organizations/')) as {
      slug: string;
    }[];
    expect(organizations.map((organization) => organization.slug)).toEqual([other.orgSlug]);
  });

  it('rejects a token whose scopes do not cover the action with 403', async () => {
    const created = await runCli(
      ['token', 'create', '--user', project.email, '--scopes', 'org:read'],
      { env: picket.env },
    );
    const token = created.stdout.trim();
    const response = await fetch(`${picket.url}/api/0/organizations/${project.orgSlug}/issues/`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(403);
  });

  it('rejects an invalid token with 401', async () => {
    const response = await fetch(`${picket.url}/api/0/organizations/`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(response.status).toBe(401);
  });

  it.each(['account', 'new', 'settings'])(
    'rejects the reserved organization slug %s',
    async (slug) => {
      const response = await fetch(`${picket.url}/api/0/organizations/`, {
        method: 'POST',
        headers: { authorization: `Bearer ${project.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Reserved', slug }),
      });
      const body = (await response.json()) as { slug?: string[] };

      expect(response.status).toBe(400);
      expect(body.slug?.[0]).toContain("Picket's own pages");
    },
  );

  it('rejects a duplicate project slug with 409', async () => {
    const response = await fetch(
      `${picket.url}/api/0/teams/${project.orgSlug}/${project.teamSlug}/projects/`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${project.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Again', slug: project.projectSlug }),
      },
    );
    expect(response.status).toBe(409);
  });

  it('finds an issue by short id as a direct hit', async () => {
    const response = await fetch(
      `${picket.url}/api/0/organizations/${project.orgSlug}/issues/?query=${issue.shortId}`,
      {
        headers: { authorization: `Bearer ${project.token}` },
      },
    );
    const issues = (await response.json()) as Issue[];
    expect(response.headers.get('x-sentry-direct-hit')).toBe('1');
    expect(issues[0]?.id).toBe(issue.id);
  });

  it('resolves an event id and a short id', async () => {
    const eventId = '1'.padStart(32, 'a');
    const byEvent = (await apiGet(
      picket,
      project.token,
      `/api/0/organizations/${project.orgSlug}/eventids/${eventId}/`,
    )) as {
      groupId: string;
      projectSlug: string;
    };
    const byShortId = (await apiGet(
      picket,
      project.token,
      `/api/0/organizations/${project.orgSlug}/shortids/${issue.shortId}/`,
    )) as {
      groupId: string;
    };

    expect(byEvent.groupId).toBe(issue.id);
    expect(byEvent.projectSlug).toBe(project.projectSlug);
    expect(byShortId.groupId).toBe(issue.id);
  });

  it('lists the projects of every organization of the caller', async () => {
    const projects = (await apiGet(picket, other.token, '/api/0/projects/')) as { slug: string }[];
    expect(projects.map((row) => row.slug)).toEqual([other.projectSlug]);
  });

  it('logs in with a session cookie and enforces CSRF', async () => {
    const login = await fetch(`${picket.url}/api/0/auth/login/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: project.email, password: project.password }),
    });
    const cookies = login.headers.getSetCookie();
    const cookieHeader = cookies.map((cookie) => cookie.split(';')[0]).join('; ');
    const csrf = /picket_csrf=([^;]+)/.exec(cookieHeader)?.[1] ?? '';
    const withoutCsrf = await fetch(`${picket.url}/api/0/organizations/`, {
      method: 'POST',
      headers: { cookie: cookieHeader, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'No Csrf' }),
    });
    const withCsrf = await fetch(`${picket.url}/api/0/organizations/`, {
      method: 'POST',
      headers: { cookie: cookieHeader, 'content-type': 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify({ name: 'With Csrf' }),
    });

    expect(login.status).toBe(200);
    expect(cookies.find((cookie) => cookie.startsWith('picket_session='))).toMatch(/HttpOnly/i);
    expect(cookies.find((cookie) => cookie.startsWith('picket_session='))).toMatch(/SameSite=Lax/i);
    expect(withoutCsrf.status).toBe(403);
    expect(withCsrf.status).toBe(201);
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const attempt = (email: string) =>
      fetch(`${picket.url}/api/0/auth/login/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'wrong password' }),
      });
    const wrong = await attempt(project.email);
    const unknown = await attempt('nobody@example.com');

    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.text()).toBe(await unknown.text());
  });

  it('sends security headers on API and pages', async () => {
    const response = await fetch(`${picket.url}/api/0/`);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('picket command', () => {
  it('names an invalid PORT and exits 2', async () => {
    const result = await runCli(['serve'], { env: { ...process.env, PORT: 'eighty' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PORT');
  });

  it('names an invalid DATABASE_URL and exits 2', async () => {
    const result = await runCli(['migrate'], {
      env: { ...process.env, DATABASE_URL: 'mysql://x' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('DATABASE_URL');
  });

  it('rejects an unknown scope', async () => {
    const result = await runCli(['token', 'create', '--user', 'a@b.c', '--scopes', 'root:all'], {
      env: process.env,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('root:all');
  });
});
