/**
 * Rate limits, allowed domains, client reports and stats through the real server, on SQLite
 * and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SERVER_ENGINES } from '../helpers/engines.js';
import {
  apiGet,
  apiRequest,
  sendEnvelope,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

interface StatsGroup {
  by: Record<string, string | number>;
  totals: Record<string, number>;
  series: Record<string, number[]>;
}

interface KeyBody {
  id: string;
  name: string;
  isActive: boolean;
  rateLimit: { window: number; count: number } | null;
  allowedDomains: string[];
  dsn: { public: string };
}

let seed = 0;

function errorItem() {
  seed += 1;
  const eventId = (Date.now() * 1000 + seed).toString(16).padStart(32, '0');
  return {
    headers: { type: 'event' },
    payload: { event_id: eventId, message: `rate limit test ${seed}`, level: 'error' },
  };
}

function transactionItem() {
  return {
    headers: { type: 'transaction' },
    payload: { type: 'transaction', transaction: '/checkout', start_timestamp: 1, timestamp: 2 },
  };
}

function clientReportItem(report: unknown) {
  return { headers: { type: 'client_report' }, payload: report };
}

/** Waits for the stats API to report `expected` for the group that matches `by`. */
async function waitForStat(
  picket: PicketInstance,
  project: TestProject,
  by: Record<string, string>,
  expected: number,
) {
  const path = `/api/0/organizations/${project.orgSlug}/stats_v2/?field=sum(quantity)&groupBy=outcome&groupBy=category&groupBy=reason&statsPeriod=24h&interval=1h&project=${project.projectId}`;
  let last: unknown;
  try {
    return await waitFor(async () => {
      const body = (await apiGet(picket, project.token, path)) as { groups: StatsGroup[] };
      const group = body.groups.find((candidate) =>
        Object.entries(by).every(([name, value]) => candidate.by[name] === value),
      );
      last = body.groups;
      return group?.totals['sum(quantity)'] === expected ? group : undefined;
    }, 15_000);
  } catch (error) {
    throw new Error(
      `stats never showed ${expected} for ${JSON.stringify(by)}: ${JSON.stringify(last)}`,
      {
        cause: error,
      },
    );
  }
}

describe.each(SERVER_ENGINES)('ingest controls on $name', ({ databaseUrl }) => {
  let picket: PicketInstance;
  let project: TestProject;
  let keyPath: string;

  beforeAll(async () => {
    picket = await startPicket({ databaseUrl: await databaseUrl() });
    project = await setupProject(picket, 'limits');
    keyPath = `/api/0/projects/${project.orgSlug}/${project.projectSlug}/keys/${project.publicKey}/`;
  });

  afterAll(async () => {
    await picket.stop();
  });

  it('shows a key without a rate limit as null', async () => {
    const key = (await apiGet(picket, project.token, keyPath)) as KeyBody;

    expect(key.rateLimit).toBeNull();
    expect(key.allowedDomains).toEqual(['*']);
  });

  it('sets, shows and clears a key rate limit', async () => {
    const set = (await apiRequest(picket, project.token, 'PUT', keyPath, {
      rateLimit: { window: 60, count: 100 },
    })) as KeyBody;
    const listed = (await apiGet(
      picket,
      project.token,
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/keys/`,
    )) as KeyBody[];
    const cleared = (await apiRequest(picket, project.token, 'PUT', keyPath, {
      rateLimit: null,
    })) as KeyBody;

    expect(set.rateLimit).toEqual({ window: 60, count: 100 });
    expect(listed[0]?.rateLimit).toEqual({ window: 60, count: 100 });
    expect(cleared.rateLimit).toBeNull();
  });

  it('renames and disables a key', async () => {
    const renamed = (await apiRequest(picket, project.token, 'PUT', keyPath, {
      name: 'Browser',
      isActive: false,
    })) as KeyBody;
    const refused = await sendEnvelope(project.dsn, [errorItem()]);
    await apiRequest(picket, project.token, 'PUT', keyPath, { isActive: true });
    const accepted = await sendEnvelope(project.dsn, [errorItem()]);

    expect(renamed.name).toBe('Browser');
    expect(renamed.isActive).toBe(false);
    expect(refused.status).toBe(403);
    expect(accepted.status).toBe(200);
  });

  it('rejects an invalid rate limit with the field', async () => {
    const response = await fetch(`${picket.url}${keyPath}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${project.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rateLimit: { window: -1, count: 'many' } }),
    });
    const body = (await response.json()) as Record<string, unknown>;

    expect(response.status).toBe(400);
    expect(body['rateLimit.window']).toBeDefined();
    expect(body['rateLimit.count']).toBeDefined();
  });

  it('creates and deletes a key', async () => {
    const keysPath = `/api/0/projects/${project.orgSlug}/${project.projectSlug}/keys/`;
    const created = (await apiRequest(picket, project.token, 'POST', keysPath, {
      name: 'Second',
    })) as KeyBody;
    const deleted = await fetch(`${picket.url}${keysPath}${created.id}/`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${project.token}` },
    });
    const after = await fetch(`${picket.url}${keysPath}${created.id}/`, {
      headers: { authorization: `Bearer ${project.token}` },
    });

    expect(created.name).toBe('Second');
    expect(created.dsn.public).toContain(created.id);
    expect(deleted.status).toBe(204);
    expect(after.status).toBe(404);
  });

  it('answers 429 with rate-limit headers once the key limit is used up', async () => {
    const second = await setupProject(picket, 'keylimit');
    const path = `/api/0/projects/${second.orgSlug}/${second.projectSlug}/keys/${second.publicKey}/`;
    await apiRequest(picket, second.token, 'PUT', path, { rateLimit: { window: 3600, count: 2 } });

    const first = await sendEnvelope(second.dsn, [errorItem()]);
    const secondResponse = await sendEnvelope(second.dsn, [errorItem()]);
    const limited = await sendEnvelope(second.dsn, [errorItem()]);
    const header = limited.headers.get('x-sentry-rate-limits') ?? '';
    const retryAfter = limited.headers.get('retry-after') ?? '';

    expect(first.status).toBe(200);
    expect(secondResponse.status).toBe(200);
    expect(limited.status).toBe(429);
    expect(header).toMatch(/^\d+:default;error;security:key:key_quota$/);
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(3600);
    expect(limited.headers.get('access-control-expose-headers')).toContain('x-sentry-rate-limits');

    // Headers on 200 while the limit is active, and 429 for a partly limited envelope.
    const transactionOnly = await sendEnvelope(second.dsn, [transactionItem()]);
    const mixed = await sendEnvelope(second.dsn, [errorItem(), transactionItem()]);

    expect(transactionOnly.status).toBe(200);
    expect(transactionOnly.headers.get('x-sentry-rate-limits')).toMatch(/:key:key_quota$/);
    expect(transactionOnly.headers.get('retry-after')).toBeNull();
    expect(mixed.status).toBe(429);

    const rateLimited = await waitForStat(
      picket,
      second,
      { outcome: 'rate_limited', category: 'error', reason: 'key_quota' },
      2,
    );
    const accepted = await waitForStat(
      picket,
      second,
      { outcome: 'accepted', category: 'error', reason: 'none' },
      2,
    );
    expect(rateLimited.totals['sum(quantity)']).toBe(2);
    expect(accepted.totals['sum(quantity)']).toBe(2);
  });

  it('limits all keys of a project with the project rate limit', async () => {
    const third = await setupProject(picket, 'projlimit');
    const controlsPath = `/api/0/projects/${third.orgSlug}/${third.projectSlug}/ingest-controls/`;
    const settings = (await apiRequest(picket, third.token, 'PUT', controlsPath, {
      rateLimit: { window: 3600, count: 1 },
    })) as { rateLimit: unknown };
    const other = (await apiRequest(
      picket,
      third.token,
      'POST',
      `/api/0/projects/${third.orgSlug}/${third.projectSlug}/keys/`,
      { name: 'Other' },
    )) as KeyBody;

    const first = await sendEnvelope(third.dsn, [errorItem()]);
    const limited = await sendEnvelope(other.dsn.public, [errorItem()]);

    expect(settings.rateLimit).toEqual({ window: 3600, count: 1 });
    expect(first.status).toBe(200);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-sentry-rate-limits')).toMatch(
      /^\d+:default;error;security:project:project_quota$/,
    );

    const read = (await apiGet(picket, third.token, controlsPath)) as {
      rateLimit: unknown;
      spikeProtection: { enabled: boolean; active: boolean };
    };
    expect(read.rateLimit).toEqual({ window: 3600, count: 1 });
    expect(read.spikeProtection).toMatchObject({ enabled: true, active: false });
  });

  it('checks the origin against the allowed domains', async () => {
    const fourth = await setupProject(picket, 'origins');
    const path = `/api/0/projects/${fourth.orgSlug}/${fourth.projectSlug}/keys/${fourth.publicKey}/`;
    const updated = (await apiRequest(picket, fourth.token, 'PUT', path, {
      allowedDomains: ['*.example.com', 'http://127.0.0.1:5173'],
    })) as KeyBody;
    const url = new URL(fourth.dsn);
    const envelopeUrl = `${url.protocol}//${url.host}/api/${fourth.projectId}/envelope/?sentry_key=${fourth.publicKey}`;
    const body = `{}\n{"type":"event"}\n${JSON.stringify(errorItem().payload)}`;
    const post = (headers: Record<string, string>) =>
      fetch(envelopeUrl, { method: 'POST', body, headers });

    const subdomain = await post({ origin: 'https://shop.example.com' });
    const exact = await post({ origin: 'http://127.0.0.1:5173' });
    const foreign = await post({ origin: 'https://evil.test' });
    const foreignReferer = await post({ referer: 'https://evil.test/page' });
    const serverSide = await post({});

    expect(updated.allowedDomains).toEqual(['*.example.com', 'http://127.0.0.1:5173']);
    expect(subdomain.status).toBe(200);
    expect(exact.status).toBe(200);
    expect(foreign.status).toBe(403);
    expect(foreignReferer.status).toBe(403);
    expect(serverSide.status).toBe(200);
    await waitForStat(picket, fourth, { outcome: 'invalid', category: 'error', reason: 'cors' }, 2);
  });

  it('rejects an invalid allowed domain', async () => {
    const response = await fetch(`${picket.url}${keyPath}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${project.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ allowedDomains: ['https://example.com/path'] }),
    });

    expect(response.status).toBe(400);
  });

  it('records client reports as client_discard outcomes', async () => {
    const fifth = await setupProject(picket, 'reports');
    const report = {
      timestamp: Date.now() / 1000,
      discarded_events: [
        { reason: 'ratelimit_backoff', category: 'error', quantity: 3 },
        { reason: 'sample_rate', category: 'transaction', quantity: 5 },
      ],
    };

    const valid = await sendEnvelope(fifth.dsn, [clientReportItem(report)]);
    const mixed = await sendEnvelope(fifth.dsn, [
      clientReportItem({ discarded_events: [{ reason: 'x', category: 'error', quantity: -4 }] }),
      errorItem(),
    ]);
    const onlyInvalid = await sendEnvelope(fifth.dsn, [clientReportItem('"not a report"')]);

    expect(valid.status).toBe(200);
    expect(mixed.status).toBe(200);
    expect(onlyInvalid.status).toBe(400);
    await waitForStat(
      picket,
      fifth,
      { outcome: 'client_discard', category: 'error', reason: 'ratelimit_backoff' },
      3,
    );
    await waitForStat(
      picket,
      fifth,
      { outcome: 'client_discard', category: 'transaction', reason: 'sample_rate' },
      5,
    );
    await waitForStat(
      picket,
      fifth,
      { outcome: 'invalid', category: 'internal', reason: 'invalid_client_report' },
      2,
    );
    await waitForStat(picket, fifth, { outcome: 'accepted', category: 'error' }, 1);
  });

  it('sums stats per interval and filters by category', async () => {
    const sixth = await setupProject(picket, 'stats');
    await sendEnvelope(sixth.dsn, [errorItem()]);
    await sendEnvelope(sixth.dsn, [
      clientReportItem({
        discarded_events: [{ reason: 'before_send', category: 'default', quantity: 4 }],
      }),
    ]);
    await waitForStat(picket, sixth, { outcome: 'accepted', category: 'error' }, 1);
    await waitForStat(picket, sixth, { outcome: 'client_discard', category: 'error' }, 4);
    const base = `/api/0/organizations/${sixth.orgSlug}/stats_v2/?field=sum(quantity)&statsPeriod=24h&interval=1h`;

    const errors = (await apiGet(picket, sixth.token, `${base}&category=error`)) as {
      intervals: string[];
      groups: StatsGroup[];
    };
    const transactions = (await apiGet(picket, sixth.token, `${base}&category=transaction`)) as {
      groups: StatsGroup[];
    };
    const byOutcome = (await apiGet(
      picket,
      sixth.token,
      `${base}&category=error&groupBy=outcome&outcome=accepted`,
    )) as { groups: StatsGroup[] };

    expect(errors.intervals).toHaveLength(24);
    expect(errors.groups).toHaveLength(1);
    expect(errors.groups[0]?.totals['sum(quantity)']).toBe(5);
    expect(errors.groups[0]?.series['sum(quantity)']?.at(-1)).toBe(5);
    expect(transactions.groups).toEqual([]);
    expect(byOutcome.groups).toEqual([
      {
        by: { outcome: 'accepted' },
        totals: { 'sum(quantity)': 1 },
        series: { 'sum(quantity)': [...new Array<number>(23).fill(0), 1] },
      },
    ]);
  });

  it('answers 403 for a project of another organization', async () => {
    const outsider = await setupProject(picket, 'outsider');
    const response = await fetch(
      `${picket.url}/api/0/organizations/${outsider.orgSlug}/stats_v2/?field=sum(quantity)&category=error&project=${project.projectId}`,
      { headers: { authorization: `Bearer ${outsider.token}` } },
    );

    expect(response.status).toBe(403);
  });

  it('answers 404 for stats of an organization the caller is not in', async () => {
    const outsider = await setupProject(picket, 'stranger');
    const response = await fetch(
      `${picket.url}/api/0/organizations/${project.orgSlug}/stats_v2/?field=sum(quantity)&category=error`,
      { headers: { authorization: `Bearer ${outsider.token}` } },
    );

    expect(response.status).toBe(404);
  });

  it('answers 404 for the keys of a project the caller cannot see', async () => {
    const outsider = await setupProject(picket, 'intruder');
    const response = await fetch(`${picket.url}${keyPath}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${outsider.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rateLimit: { window: 60, count: 1 } }),
    });

    expect(response.status).toBe(404);
  });
});
