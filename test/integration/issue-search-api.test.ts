import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SERVER_ENGINES } from '../helpers/engines.js';
import {
  apiGet,
  sendEnvelope,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

interface ListedIssue {
  id: string;
  title: string;
}

function errorEvent(fields: {
  type: string;
  value: string;
  environment: string;
  browser: string;
  secondsAgo: number;
}) {
  const eventId = randomUUID().replaceAll('-', '');
  return {
    eventId,
    item: {
      headers: { type: 'event' },
      payload: {
        event_id: eventId,
        timestamp: Date.now() / 1000 - fields.secondsAgo,
        platform: 'javascript',
        level: 'error',
        environment: fields.environment,
        release: 'web@1.0.0',
        tags: { browser: fields.browser },
        exception: { values: [{ type: fields.type, value: fields.value }] },
      },
    },
  };
}

describe.each(SERVER_ENGINES)('issue search API on $name', ({ databaseUrl }) => {
  let picket: PicketInstance;
  let project: TestProject;
  let listPath: string;
  let typeErrorId: string;

  async function request(pathname: string) {
    return fetch(`${picket.url}${pathname}`, {
      headers: { authorization: `Bearer ${project.token}` },
    });
  }

  async function listTitles(query: string, extra = ''): Promise<string[]> {
    const response = await request(`${listPath}?query=${encodeURIComponent(query)}${extra}`);
    expect(response.status).toBe(200);
    const issues = (await response.json()) as ListedIssue[];
    return issues.map((issue) => issue.title).sort();
  }

  beforeAll(async () => {
    picket = await startPicket({ databaseUrl: await databaseUrl() });
    project = await setupProject(picket);
    listPath = `/api/0/organizations/${project.orgSlug}/issues/`;

    const events = [
      errorEvent({
        type: 'TypeError',
        value: 'a is undefined',
        environment: 'production',
        browser: 'Chrome',
        secondsAgo: 60,
      }),
      errorEvent({
        type: 'TypeError',
        value: 'a is undefined',
        environment: 'staging',
        browser: 'Firefox',
        secondsAgo: 30,
      }),
      errorEvent({
        type: 'RangeError',
        value: 'too far',
        environment: 'staging',
        browser: 'Safari',
        secondsAgo: 3 * 86_400,
      }),
    ];
    for (const event of events) {
      const response = await sendEnvelope(project.dsn, [event.item], { event_id: event.eventId });
      expect(response.status).toBe(200);
    }
    const issues = await waitFor(async () => {
      const listed = (await apiGet(picket, project.token, `${listPath}?query=`)) as ListedIssue[];
      return listed.length === 2 ? listed : undefined;
    });
    typeErrorId = issues.find((issue) => issue.title.startsWith('TypeError'))?.id ?? '';
    await waitFor(async () => {
      const listed = (await apiGet(
        picket,
        project.token,
        `/api/0/issues/${typeErrorId}/events/`,
      )) as unknown[];
      return listed.length === 2 ? listed : undefined;
    });
  }, 60_000);

  afterAll(async () => {
    await picket?.stop();
  });

  it('filters the list by query', async () => {
    expect(await listTitles('browser:Safari')).toEqual(['RangeError: too far']);
    expect(await listTitles('error.type:TypeError')).toEqual(['TypeError: a is undefined']);
    expect(await listTitles('!has:browser')).toEqual([]);
    expect(await listTitles('undefined')).toEqual(['TypeError: a is undefined']);
  });

  it('honours environment and time parameters', async () => {
    expect(await listTitles('', '&environment=production')).toEqual(['TypeError: a is undefined']);
    expect(await listTitles('', '&environment=production&environment=staging')).toHaveLength(2);
    expect(await listTitles('', '&statsPeriod=24h')).toEqual(['TypeError: a is undefined']);
    const start = new Date(Date.now() - 4 * 86_400_000).toISOString();
    const end = new Date(Date.now() - 2 * 86_400_000).toISOString();
    expect(await listTitles('', `&start=${start}&end=${end}`)).toEqual(['RangeError: too far']);
  });

  it('sorts and sends X-Hits', async () => {
    const response = await request(`${listPath}?query=&sort=freq&limit=1`);
    const issues = (await response.json()) as ListedIssue[];

    expect(response.headers.get('x-hits')).toBe('2');
    expect(response.headers.get('x-max-hits')).toBe('1000');
    expect(issues.map((issue) => issue.title)).toEqual(['TypeError: a is undefined']);
  });

  it('rejects bad tokens and parameters with 400', async () => {
    const unknownIs = await request(`${listPath}?query=${encodeURIComponent('is:sleeping')}`);
    const badList = await request(`${listPath}?query=${encodeURIComponent('level:[error, ]')}`);
    const badPeriod = await request(`${listPath}?statsPeriod=yesterday`);
    const halfRange = await request(`${listPath}?start=2024-01-01T00:00:00Z`);

    expect(unknownIs.status).toBe(400);
    expect(await unknownIs.text()).toContain('is:sleeping');
    expect(badList.status).toBe(400);
    expect(await badList.text()).toContain('level:[error, ]');
    expect(badPeriod.status).toBe(400);
    expect(halfRange.status).toBe(400);
  });

  it('rejects searches that would be costly or unstorable', async () => {
    const manyTags = Array.from({ length: 31 }, (_, index) => `t${index}:x`).join(' ');
    const tooMany = await request(`${listPath}?query=${encodeURIComponent(manyTags)}`);
    const huge = await request(`${listPath}?query=${encodeURIComponent('times_seen:>1e30')}`);
    const farBack = await request(
      `${listPath}?query=${encodeURIComponent('firstSeen:-99999999w')}`,
    );
    const nul = await request(`${listPath}?query=a%00b`);
    const nulEnvironment = await request(`${listPath}?environment=a%00b`);

    expect(tooMany.status).toBe(400);
    expect(await tooMany.text()).toContain('31 filters');
    expect(huge.status).toBe(400);
    expect(farBack.status).toBe(400);
    expect(nul.status).toBe(400);
    expect(nulEnvironment.status).toBe(400);
  });

  it('searches the events of an issue', async () => {
    const search = async (query: string, extra = '') => {
      const response = await request(
        `/api/0/organizations/${project.orgSlug}/issues/${typeErrorId}/events/?query=${encodeURIComponent(query)}${extra}`,
      );
      expect(response.status).toBe(200);
      return (await response.json()) as {
        eventID: string;
        tags: { key: string; value: string }[];
      }[];
    };

    const firefox = await search('browser:Firefox');
    expect(firefox).toHaveLength(1);
    expect(firefox[0]!.tags).toContainEqual({ key: 'browser', value: 'Firefox' });
    expect(await search('!browser:Firefox')).toHaveLength(1);
    expect(await search('', '&environment=staging')).toHaveLength(1);
    expect(await search('release:web@1.0.0 has:browser')).toHaveLength(2);
    expect(await search('undefined')).toHaveLength(2);
    expect(await search('nothing-like-this')).toHaveLength(0);

    const shortPath = await request(`/api/0/issues/${typeErrorId}/events/?query=level:error`);
    expect(((await shortPath.json()) as unknown[]).length).toBe(2);
    const bad = await request(`/api/0/issues/${typeErrorId}/events/?query=is:resolved`);
    expect(bad.status).toBe(400);
  });
});
