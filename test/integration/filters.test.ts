import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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

interface ProjectFilter {
  id: string;
  active: boolean | string[];
  description: string;
  name: string;
  hello: string;
}

interface FilterStats {
  since: string;
  counts: Record<string, number>;
}

const IE9 = 'Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 7.1; Trident/5.0)';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const CURRENT_FIREFOX =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0';

let eventCounter = 0;

function nextEventId(): string {
  eventCounter += 1;
  return eventCounter.toString(16).padStart(32, 'f');
}

/**
 * Builds an error event; `extra` sets or replaces top-level fields. The platform is one for which
 * the server does not fill in the user IP, so events from this loopback client do not count as
 * localhost events unless their URL points to localhost.
 */
function errorEvent(eventId: string, extra: Record<string, unknown> = {}) {
  return {
    event_id: eventId,
    platform: 'python',
    level: 'error',
    exception: { values: [{ type: 'TypeError', value: `failure ${eventId.slice(-4)}` }] },
    ...extra,
  };
}

async function send(project: TestProject, event: Record<string, unknown>): Promise<void> {
  const response = await sendEnvelope(
    project.dsn,
    [{ headers: { type: 'event' }, payload: event }],
    { event_id: event.event_id },
  );
  expect(response.status).toBe(200);
}

function filtersPath(project: TestProject, suffix = ''): string {
  return `/api/0/projects/${project.orgSlug}/${project.projectSlug}/filters/${suffix}`;
}

async function readStats(picket: PicketInstance, project: TestProject): Promise<FilterStats> {
  return (await apiGet(picket, project.token, filtersPath(project, 'stats/'))) as FilterStats;
}

async function eventStatus(
  picket: PicketInstance,
  project: TestProject,
  eventId: string,
): Promise<number> {
  const response = await fetch(
    `${picket.url}/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${eventId}/`,
    { headers: { authorization: `Bearer ${project.token}` } },
  );
  return response.status;
}

async function waitForStored(picket: PicketInstance, project: TestProject, eventId: string) {
  await waitFor(async () =>
    (await eventStatus(picket, project, eventId)) === 200 ? true : undefined,
  );
}

/** Waits until the filter reason has counted at least `count` events. */
async function waitForFiltered(
  picket: PicketInstance,
  project: TestProject,
  reason: string,
  count: number,
): Promise<FilterStats> {
  return waitFor(async () => {
    const stats = await readStats(picket, project);
    return (stats.counts[reason] ?? 0) >= count ? stats : undefined;
  });
}

/**
 * Sends events built by `build` every 300 ms until one is dropped for `reason`, and returns how
 * long that took. It shows that a settings change reaches the worker within seconds.
 */
async function sendUntilFiltered(
  picket: PicketInstance,
  project: TestProject,
  reason: string,
  build: (eventId: string) => Record<string, unknown>,
): Promise<number> {
  const started = Date.now();
  const before = (await readStats(picket, project)).counts[reason] ?? 0;

  await waitFor(async () => {
    await send(project, build(nextEventId()));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = (await readStats(picket, project)).counts[reason] ?? 0;
    return after > before ? true : undefined;
  }, 15_000);
  return Date.now() - started;
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

async function request(
  picket: PicketInstance,
  token: string | undefined,
  method: string,
  pathname: string,
  body?: unknown,
) {
  const response = await fetch(`${picket.url}${pathname}`, {
    method,
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

describe.each(SERVER_ENGINES)('inbound filters on $name', ({ databaseUrl }) => {
  let picket: PicketInstance;
  let project: TestProject;

  beforeAll(async () => {
    const url = await databaseUrl();
    picket = await startPicket(url === undefined ? {} : { databaseUrl: url });
    project = await setupProject(picket, 'filters');
  });

  afterAll(async () => {
    await picket?.stop();
  });

  it('lists the filters of a new project with Sentry defaults', async () => {
    const filters = (await apiGet(picket, project.token, filtersPath(project))) as ProjectFilter[];
    const active = Object.fromEntries(filters.map((filter) => [filter.id, filter.active]));

    expect(active).toEqual({
      'browser-extensions': true,
      localhost: false,
      'legacy-browsers': [
        'android',
        'chrome',
        'edge',
        'firefox',
        'ie',
        'opera',
        'opera_mini',
        'safari',
      ],
      'web-crawlers': true,
      'filtered-transaction': true,
    });
  });

  it('sorts the filters by name and sets hello', async () => {
    const filters = (await apiGet(picket, project.token, filtersPath(project))) as ProjectFilter[];
    const names = filters.map((filter) => filter.name);

    expect(names).toEqual([...names].sort((left, right) => left.localeCompare(right)));
    expect(filters.every((filter) => filter.hello === `${filter.id} - ${filter.name}`)).toBe(true);
  });

  it('drops a web crawler by default and keeps a normal browser', async () => {
    const crawlerId = nextEventId();
    const browserId = nextEventId();

    await send(
      project,
      errorEvent(crawlerId, { request: { headers: { 'User-Agent': GOOGLEBOT } } }),
    );
    await send(
      project,
      errorEvent(browserId, { request: { headers: { 'User-Agent': CURRENT_FIREFOX } } }),
    );

    await waitForStored(picket, project, browserId);
    await waitForFiltered(picket, project, 'web-crawlers', 1);
    expect(await eventStatus(picket, project, crawlerId)).toBe(404);
  });

  it('drops a legacy browser by default', async () => {
    const eventId = nextEventId();

    await send(project, errorEvent(eventId, { request: { headers: [['User-Agent', IE9]] } }));

    await waitForFiltered(picket, project, 'legacy-browsers', 1);
    expect(await eventStatus(picket, project, eventId)).toBe(404);
  });

  it('starts dropping localhost events within seconds of enabling the filter', async () => {
    const localEvent = (eventId: string) =>
      errorEvent(eventId, { request: { url: 'http://localhost:3000/cart' } });
    const keptId = nextEventId();
    await send(project, localEvent(keptId));
    await waitForStored(picket, project, keptId);

    await apiRequest(picket, project.token, 'PUT', filtersPath(project, 'localhost/'), {
      active: true,
    });
    const elapsed = await sendUntilFiltered(picket, project, 'localhost', localEvent);

    expect(elapsed).toBeLessThan(10_000);
  });

  it('keeps other events while the localhost filter is on', async () => {
    const eventId = nextEventId();

    await send(project, errorEvent(eventId, { request: { url: 'https://shop.example.com/cart' } }));

    await waitForStored(picket, project, eventId);
  });

  it('counts a browser event from this loopback client as localhost', async () => {
    // Browser SDK events get the client IP as user IP, and this test client is 127.0.0.1.
    await sendUntilFiltered(picket, project, 'localhost', (eventId) =>
      errorEvent(eventId, {
        platform: 'javascript',
        request: { url: 'https://shop.example.com/' },
      }),
    );

    await apiRequest(picket, project.token, 'PUT', filtersPath(project, 'localhost/'), {
      active: false,
    });
  });

  it('stores crawler events again after the filter is switched off', async () => {
    const response = await request(
      picket,
      project.token,
      'PUT',
      filtersPath(project, 'web-crawlers/'),
      { active: false },
    );
    expect(response.status).toBe(204);

    await waitFor(async () => {
      const eventId = nextEventId();
      await send(
        project,
        errorEvent(eventId, { request: { headers: { 'User-Agent': GOOGLEBOT } } }),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      return (await eventStatus(picket, project, eventId)) === 200 ? true : undefined;
    }, 15_000);
  });

  it('sets legacy-browser sub-filters and reads them back', async () => {
    await apiRequest(picket, project.token, 'PUT', filtersPath(project, 'legacy-browsers/'), {
      subfilters: ['ie10', 'ie9', 'ie9'],
    });

    const filters = (await apiGet(picket, project.token, filtersPath(project))) as ProjectFilter[];

    expect(filters.find((filter) => filter.id === 'legacy-browsers')?.active).toEqual([
      'ie10',
      'ie9',
    ]);
  });

  it('rejects an unknown legacy-browser sub-filter', async () => {
    const response = await request(
      picket,
      project.token,
      'PUT',
      filtersPath(project, 'legacy-browsers/'),
      { subfilters: ['netscape'] },
    );

    expect(response.status).toBe(400);
  });

  it('answers 404 for an unknown filter id', async () => {
    const response = await request(picket, project.token, 'PUT', filtersPath(project, 'cors/'), {
      active: true,
    });

    expect(response.status).toBe(404);
  });

  it('returns the custom filters as project options', async () => {
    const details = (await apiGet(
      picket,
      project.token,
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`,
    )) as { options: Record<string, string> };

    expect(details.options).toEqual({
      'filters:blacklisted_ips': '',
      'filters:releases': '',
      'filters:error_messages': '',
    });
  });

  it('drops events by release, message and IP set as project options', async () => {
    const updated = (await apiRequest(
      picket,
      project.token,
      'PUT',
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`,
      {
        options: {
          'filters:releases': 'bad@1.*\n',
          'filters:error_messages': 'ChunkLoadError: *',
        },
      },
    )) as { options: Record<string, string> };
    expect(updated.options['filters:releases']).toBe('bad@1.*');

    await sendUntilFiltered(picket, project, 'release-version', (eventId) =>
      errorEvent(eventId, { release: 'bad@1.4.0' }),
    );
    await sendUntilFiltered(picket, project, 'error-message', (eventId) =>
      errorEvent(eventId, {
        exception: { values: [{ type: 'ChunkLoadError', value: 'Loading chunk 7 failed.' }] },
      }),
    );
    const keptId = nextEventId();
    await send(project, errorEvent(keptId, { release: 'good@2.0.0' }));
    await waitForStored(picket, project, keptId);

    await apiRequest(
      picket,
      project.token,
      'PUT',
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`,
      { options: { 'filters:blacklisted_ips': '10.0.0.0/8\n127.0.0.0/8\n::1' } },
    );
    await sendUntilFiltered(picket, project, 'ip-address', (eventId) => errorEvent(eventId));
    await apiRequest(
      picket,
      project.token,
      'PUT',
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`,
      { options: { 'filters:blacklisted_ips': '' } },
    );
  });

  it('rejects an option value that is not an IP range', async () => {
    const response = await request(
      picket,
      project.token,
      'PUT',
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`,
      { options: { 'filters:blacklisted_ips': 'example.com' } },
    );

    expect(response.status).toBe(400);
  });

  it('rejects an error-message pattern longer than 256 characters', async () => {
    const response = await request(
      picket,
      project.token,
      'PUT',
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`,
      { options: { 'filters:error_messages': `*${'{aa,bb}'.repeat(8)}${'a'.repeat(200)}*` } },
    );

    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('the maximum is 256');
  });

  it('rejects an unknown project option', async () => {
    const response = await request(
      picket,
      project.token,
      'PUT',
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`,
      { options: { 'sentry:scrub_data': 'true' } },
    );

    expect(response.status).toBe(400);
  });

  it('rejects an unknown project field', async () => {
    const response = await request(
      picket,
      project.token,
      'PUT',
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`,
      { isBookmarked: true },
    );

    expect(response.status).toBe(400);
  });

  it('renames a project', async () => {
    const response = await request(
      picket,
      project.token,
      'PUT',
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`,
      { name: 'Storefront' },
    );

    expect(response.body).toMatchObject({ name: 'Storefront', slug: project.projectSlug });
  });

  it('counts each reason in the filter stats', async () => {
    const stats = await readStats(picket, project);

    expect(stats.counts).toMatchObject({
      'web-crawlers': expect.any(Number) as number,
      'legacy-browsers': 1,
    });
    expect(stats.counts.localhost).toBeGreaterThanOrEqual(1);
    expect(stats.counts['release-version']).toBeGreaterThanOrEqual(1);
    expect(stats.counts['error-message']).toBeGreaterThanOrEqual(1);
    expect(stats.counts['ip-address']).toBeGreaterThanOrEqual(1);
  });
});

describe('inbound filter API authorization', () => {
  let picket: PicketInstance;
  let project: TestProject;
  let rival: TestProject;
  let readOnlyToken: string;
  let noProjectToken: string;

  beforeAll(async () => {
    picket = await startPicket();
    project = await setupProject(picket, 'owner');
    rival = await setupProject(picket, 'rival');
    readOnlyToken = await createToken(picket, project.email, 'org:read,project:read');
    noProjectToken = await createToken(picket, project.email, 'org:read,event:read');
  });

  afterAll(async () => {
    await picket?.stop();
  });

  it('requires authentication', async () => {
    expect((await request(picket, undefined, 'GET', filtersPath(project))).status).toBe(401);
  });

  it('lets a project:read token list the filters', async () => {
    expect((await request(picket, readOnlyToken, 'GET', filtersPath(project))).status).toBe(200);
  });

  it('forbids changes with a project:read token', async () => {
    const response = await request(
      picket,
      readOnlyToken,
      'PUT',
      filtersPath(project, 'localhost/'),
      { active: true },
    );

    expect(response.status).toBe(403);
  });

  it('forbids project option changes with a project:read token', async () => {
    const response = await request(
      picket,
      readOnlyToken,
      'PUT',
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`,
      { options: { 'filters:releases': '1.*' } },
    );

    expect(response.status).toBe(403);
  });

  it('forbids reading without a project scope', async () => {
    expect((await request(picket, noProjectToken, 'GET', filtersPath(project))).status).toBe(403);
  });

  it('hides the filters of another organization', async () => {
    expect((await request(picket, rival.token, 'GET', filtersPath(project))).status).toBe(404);
  });

  it('hides the stats of another organization', async () => {
    const response = await request(picket, rival.token, 'GET', filtersPath(project, 'stats/'));

    expect(response.status).toBe(404);
  });

  it('does not let another organization change a filter', async () => {
    const response = await request(picket, rival.token, 'PUT', filtersPath(project, 'localhost/'), {
      active: true,
    });

    expect(response.status).toBe(404);
  });

  it('does not let another organization change the project', async () => {
    const response = await request(
      picket,
      rival.token,
      'PUT',
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`,
      { name: 'taken' },
    );

    expect(response.status).toBe(404);
  });

  it('leaves the filter unchanged after the rejected attempts', async () => {
    const filters = (await apiGet(picket, project.token, filtersPath(project))) as ProjectFilter[];

    expect(filters.find((filter) => filter.id === 'localhost')?.active).toBe(false);
  });
});
