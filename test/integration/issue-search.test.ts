import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  EventRepository,
  eventSearchConditions,
  type EventListScope,
} from '../../src/server/features/events/index.js';
import { IssueRepository } from '../../src/server/features/issues/index.js';
import { parseIssueQuery } from '../../src/server/features/issues/issue-query.js';
import type { IssueListScope } from '../../src/server/features/issues/issue-search-sql.js';
import type { PreparedEvent } from '../../src/server/features/worker/prepare-event.js';
import { storeEvents } from '../../src/server/features/worker/store-events.js';
import type { Db } from '../../src/server/platform/db/index.js';
import { addTestProject, createTestProject, STORAGE_ENGINES } from '../helpers/engines.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const NOW = Date.now();

let eventCount = 0;

function errorEvent(
  projectId: number,
  fields: {
    hash: string;
    title: string;
    culprit: string;
    timestamp: number;
    level?: string;
    platform?: string;
    release?: string | null;
    environment?: string;
    tags?: [string, string][];
  },
): PreparedEvent {
  eventCount += 1;
  const eventId = eventCount.toString(16).padStart(32, '0');
  const json = JSON.stringify({ event_id: eventId, title: fields.title });
  const [type, value] = fields.title.split(': ');
  const environment = fields.environment ?? 'production';
  const release = fields.release === undefined ? 'app@1.0.0' : fields.release;
  const tags: [string, string][] = [
    ['level', fields.level ?? 'error'],
    ['environment', environment],
    ...(release === null ? [] : [['release', release] as [string, string]]),
    ...(fields.tags ?? []),
  ];
  return {
    projectId,
    eventId,
    receivedAt: fields.timestamp,
    timestamp: fields.timestamp,
    type: 'error',
    level: fields.level ?? 'error',
    platform: fields.platform ?? 'node',
    title: fields.title,
    culprit: fields.culprit,
    metadata: { type, value },
    hashes: [fields.hash.repeat(32)],
    tags,
    release,
    environment,
    traceId: null,
    userTag: tags.find(([key]) => key === 'user')?.[1] ?? null,
    json: Buffer.from(json),
    size: json.length,
  };
}

describe.each(STORAGE_ENGINES)('issue search on $name', ({ open }) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let webId: number;
  let apiId: number;
  let userId: number;
  let userEmail: string;
  let repository: IssueRepository;
  const ids: Record<string, number> = {};

  async function titles(
    query: string,
    scope?: IssueListScope,
    projectIds = [webId],
  ): Promise<string[]> {
    const rows = await repository.list({
      projectIds,
      query: parseIssueQuery(query, NOW),
      scope,
      userId,
      sort: 'date',
      offset: 0,
      limit: 50,
    });
    return rows.map((row) => row.title.split(':')[0] ?? '').sort();
  }

  beforeAll(async () => {
    ({ db, cleanup } = await open());
    const project = await createTestProject(db);
    webId = project.projectId;
    userId = project.userId;
    apiId = await addTestProject(project, 'api');
    repository = new IssueRepository(db.kysely);
    const user = await db.kysely
      .selectFrom('users')
      .select('email')
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    userEmail = user.email;

    const events = [
      errorEvent(webId, {
        hash: 'a',
        title: 'TypeError: boom',
        culprit: 'checkout in pay',
        timestamp: NOW - 2 * HOUR_MS,
        tags: [
          ['browser', 'Chrome 120'],
          ['user', 'email:ann@example.com'],
        ],
      }),
      errorEvent(webId, {
        hash: 'a',
        title: 'TypeError: boom',
        culprit: 'checkout in pay',
        timestamp: NOW - HOUR_MS,
        tags: [['browser', 'Chrome 121']],
      }),
      errorEvent(webId, {
        hash: 'b',
        title: 'RangeError: out of range',
        culprit: 'cart in total',
        timestamp: NOW - 10 * DAY_MS,
        level: 'fatal',
        platform: 'python',
        release: 'app@2.0.0',
        environment: 'staging',
        tags: [['browser', 'Firefox']],
      }),
      errorEvent(webId, {
        hash: 'c',
        title: 'Warning: slow render',
        culprit: 'list in view',
        timestamp: NOW - 40 * DAY_MS,
        level: 'warning',
        release: null,
      }),
      errorEvent(apiId, {
        hash: 'd',
        title: 'Gap: old and new',
        culprit: 'api',
        timestamp: NOW - 30 * DAY_MS,
      }),
      errorEvent(apiId, {
        hash: 'd',
        title: 'Gap: old and new',
        culprit: 'api',
        timestamp: NOW - HOUR_MS,
      }),
    ];
    await db.kysely.transaction().execute((trx) => storeEvents(trx, db.dialect, events));

    const rows = await db.kysely.selectFrom('issues').select(['id', 'title']).execute();
    for (const row of rows) {
      ids[row.title.split(':')[0] ?? ''] = Number(row.id);
    }
    const team = await db.kysely.selectFrom('teams').select('id').executeTakeFirstOrThrow();

    await db.kysely
      .updateTable('issues')
      .set({ substatus: 'new', assigneeUserId: userId })
      .where('id', '=', ids.TypeError!)
      .execute();
    await db.kysely
      .updateTable('issues')
      .set({ status: 'resolved', substatus: null })
      .where('id', '=', ids.RangeError!)
      .execute();
    await db.kysely
      .updateTable('issues')
      .set({ status: 'ignored', substatus: 'archived_forever', assigneeTeamId: team.id })
      .where('id', '=', ids.Warning!)
      .execute();
    await db.kysely
      .insertInto('issueBookmarks')
      .values({ issueId: ids.TypeError!, userId, createdAt: NOW })
      .execute();
    // app@1.0.0 is the latest release although app@2.0.0 was stored later.
    await db.kysely
      .updateTable('releases')
      .set({ dateCreated: NOW })
      .where('version', '=', 'app@1.0.0')
      .execute();
    await db.kysely
      .updateTable('releases')
      .set({ dateCreated: NOW - DAY_MS })
      .where('version', '=', 'app@2.0.0')
      .execute();
  });

  afterAll(async () => {
    await cleanup();
  });

  it('matches statuses', async () => {
    expect(await titles('')).toEqual(['RangeError', 'TypeError', 'Warning']);
    expect(await titles('is:unresolved')).toEqual(['TypeError']);
    expect(await titles('is:resolved')).toEqual(['RangeError']);
    expect(await titles('is:archived')).toEqual(['Warning']);
    expect(await titles('is:unresolved is:resolved')).toEqual(['RangeError', 'TypeError']);
    expect(await titles('!is:resolved')).toEqual(['TypeError', 'Warning']);
    expect(await titles('is:for_review')).toEqual(['TypeError']);
    expect(await titles('is:new')).toEqual(['TypeError']);
    expect(await titles('is:regressed')).toEqual([]);
  });

  it('matches assignees and bookmarks', async () => {
    expect(await titles('is:assigned')).toEqual(['TypeError', 'Warning']);
    expect(await titles('is:unassigned')).toEqual(['RangeError']);
    expect(await titles('assigned:me')).toEqual(['TypeError']);
    expect(await titles('assigned:#acme')).toEqual(['Warning']);
    expect(await titles(`assigned:${userEmail}`)).toEqual(['TypeError']);
    expect(await titles('assigned:[me, none]')).toEqual(['RangeError', 'TypeError']);
    expect(await titles('assigned_or_suggested:my_teams')).toEqual(['Warning']);
    expect(await titles('!assigned:me')).toEqual(['RangeError', 'Warning']);
    expect(await titles('bookmarks:me')).toEqual(['TypeError']);
    expect(await titles('is:bookmarked')).toEqual(['TypeError']);
  });

  it('matches level, platform and releases', async () => {
    expect(await titles('level:fatal')).toEqual(['RangeError']);
    expect(await titles('level:[error, fatal]')).toEqual(['RangeError', 'TypeError']);
    expect(await titles('!level:error')).toEqual(['RangeError', 'Warning']);
    expect(await titles('platform:python')).toEqual(['RangeError']);
    expect(await titles('release:app@2.0.0')).toEqual(['RangeError']);
    expect(await titles('release:latest')).toEqual(['TypeError']);
    expect(await titles('firstRelease:app@2.0.0')).toEqual(['RangeError']);
    expect(await titles('environment:production')).toEqual(['TypeError', 'Warning']);
    expect(await titles('!environment:production')).toEqual(['RangeError']);
  });

  it('matches first and last seen', async () => {
    const twentyDaysAgo = new Date(NOW - 20 * DAY_MS).toISOString();

    expect(await titles('firstSeen:-24h')).toEqual(['TypeError']);
    expect(await titles('lastSeen:+7d')).toEqual(['RangeError', 'Warning']);
    expect(await titles(`firstSeen:>${twentyDaysAgo}`)).toEqual(['RangeError', 'TypeError']);
    expect(await titles(`!lastSeen:>=${twentyDaysAgo}`)).toEqual(['Warning']);
  });

  it('matches counts', async () => {
    expect(await titles('times_seen:>1')).toEqual(['TypeError']);
    expect(await titles('timesSeen:1')).toEqual(['RangeError', 'Warning']);
    expect(await titles('users:>0')).toEqual(['TypeError']);
    expect(await titles('user.count:0')).toEqual(['RangeError', 'Warning']);
  });

  it('matches tags, wildcards and has', async () => {
    expect(await titles('browser:"Chrome 121"')).toEqual(['TypeError']);
    expect(await titles('browser:Chrome*')).toEqual(['TypeError']);
    expect(await titles('browser:*fox')).toEqual(['RangeError']);
    expect(await titles('!browser:*fox')).toEqual(['TypeError', 'Warning']);
    expect(await titles('user.email:ann@example.com')).toEqual(['TypeError']);
    expect(await titles('tags[browser]:Firefox')).toEqual(['RangeError']);
    expect(await titles('has:browser')).toEqual(['RangeError', 'TypeError']);
    expect(await titles('!has:browser')).toEqual(['Warning']);
    expect(await titles('browser:"100%_off"')).toEqual([]);
  });

  it('matches short ids, error fields and free text', async () => {
    expect(await titles('issue:WEB-2')).toEqual(['RangeError']);
    expect(await titles('error.type:RangeError')).toEqual(['RangeError']);
    expect(await titles('error.value:boom')).toEqual(['TypeError']);
    expect(await titles('message:slow')).toEqual(['Warning']);
    expect(await titles('range')).toEqual(['RangeError']);
    expect(await titles('checkout')).toEqual(['TypeError']);
    expect(await titles('web-1')).toEqual(['TypeError']);
  });

  it('applies environments and time windows', async () => {
    const lastTwoDays = { start: NOW - 2 * DAY_MS, end: NOW };
    const aroundTenDays = { start: NOW - 12 * DAY_MS, end: NOW - 8 * DAY_MS };

    expect(await titles('', { environments: ['staging'], window: undefined })).toEqual([
      'RangeError',
    ]);
    expect(await titles('', { environments: [], window: lastTwoDays })).toEqual(['TypeError']);
    expect(await titles('', { environments: [], window: aroundTenDays })).toEqual(['RangeError']);
    expect(await titles('', { environments: [], window: aroundTenDays }, [apiId])).toEqual([]);
    expect(await titles('', { environments: [], window: lastTwoDays }, [apiId])).toEqual(['Gap']);
  });

  it('counts matches up to a maximum', async () => {
    const search = { projectIds: [webId], query: parseIssueQuery(''), userId };

    expect(await repository.count({ ...search, max: 1_000 })).toBe(3);
    expect(await repository.count({ ...search, max: 2 })).toBe(2);
  });

  it('searches the events of an issue', async () => {
    const events = new EventRepository(db.kysely);
    const noScope: EventListScope = { environments: [], window: undefined };
    const count = async (query: string, scope = noScope) =>
      (await events.listByIssue(ids.TypeError!, 0, 50, eventSearchConditions(query, scope, NOW)))
        .length;

    expect(await count('')).toBe(2);
    expect(await count('browser:"Chrome 121"')).toBe(1);
    expect(await count('!browser:"Chrome 121"')).toBe(1);
    expect(await count('browser:Chrome*')).toBe(2);
    expect(await count('user.email:ann@example.com')).toBe(1);
    expect(await count('has:user')).toBe(1);
    expect(await count('!has:user')).toBe(1);
    expect(await count('release:app@1.0.0 level:error environment:production')).toBe(2);
    expect(await count('level:fatal')).toBe(0);
    expect(await count('boom')).toBe(2);
    expect(await count('missing words')).toBe(0);
    expect(await count('timestamp:-90m')).toBe(1);
    expect(await count('', { environments: ['staging'], window: undefined })).toBe(0);
    expect(
      await count('', { environments: [], window: { start: NOW - 90 * 60_000, end: NOW } }),
    ).toBe(1);
    expect(await count('browser:"50%"')).toBe(0);
    expect(() => eventSearchConditions('is:resolved', noScope)).toThrow(/"is:resolved"/);
  });
});
