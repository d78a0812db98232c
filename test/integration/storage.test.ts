import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { EventRepository } from '../../src/server/features/events/index.js';
import { IssueRepository } from '../../src/server/features/issues/index.js';
import { parseIssueQuery } from '../../src/server/features/issues/issue-query.js';
import { OrganizationRepository } from '../../src/server/features/organizations/index.js';
import type { PreparedEvent } from '../../src/server/features/worker/prepare-event.js';
import { storeEvents } from '../../src/server/features/worker/store-events.js';
import { migrateToLatest, type Db } from '../../src/server/platform/db/index.js';
import { createTestProject, STORAGE_ENGINES } from '../helpers/engines.js';

function preparedEvent(
  overrides: Partial<PreparedEvent> & { projectId: number; eventId: string },
): PreparedEvent {
  const json = JSON.stringify({ event_id: overrides.eventId, title: 'TypeError: boom' });
  return {
    receivedAt: 1_700_000_000_000,
    timestamp: 1_700_000_000_000,
    type: 'error',
    level: 'error',
    platform: 'node',
    title: 'TypeError: boom',
    culprit: 'app in main',
    metadata: { type: 'TypeError', value: 'boom' },
    hashes: ['a'.repeat(32)],
    tags: [
      ['level', 'error'],
      ['user', 'id:1'],
    ],
    release: 'app@1.0.0',
    environment: 'production',
    traceId: null,
    userTag: 'id:1',
    json: Buffer.from(json),
    size: json.length,
    ...overrides,
  };
}

describe.each(STORAGE_ENGINES)('storage on $name', ({ open }) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let projectId: number;

  beforeAll(async () => {
    ({ db, cleanup } = await open());
    ({ projectId } = await createTestProject(db));
  });

  afterAll(async () => {
    await cleanup();
  });

  it('reports no pending migrations the second time', async () => {
    expect(await migrateToLatest(db.kysely, db.dialect)).toEqual([]);
  });

  it('creates a project with a 32-hex public key', async () => {
    const keys = await new OrganizationRepository(db.kysely).listKeys(projectId);
    expect(keys).toHaveLength(1);
    expect(keys[0]!.publicKey).toMatch(/^[0-9a-f]{32}$/);
  });

  it('groups a batch into one issue and stores duplicates once', async () => {
    const batch = [
      preparedEvent({ projectId, eventId: '1'.repeat(32), timestamp: 1_000 }),
      preparedEvent({
        projectId,
        eventId: '2'.repeat(32),
        timestamp: 3_000,
        tags: [['user', 'id:2']],
        userTag: 'id:2',
      }),
      preparedEvent({ projectId, eventId: '2'.repeat(32), timestamp: 3_000 }),
    ];

    const stored = await db.kysely
      .transaction()
      .execute((trx) => storeEvents(trx, db.dialect, batch));
    const again = await db.kysely
      .transaction()
      .execute((trx) => storeEvents(trx, db.dialect, batch));

    expect(stored).toHaveLength(2);
    expect(again).toHaveLength(0);
    const issues = await new IssueRepository(db.kysely).list({
      projectIds: [projectId],
      query: parseIssueQuery(''),
      sort: 'date',
      offset: 0,
      limit: 10,
    });
    expect(issues).toHaveLength(1);
    expect(Number(issues[0]!.timesSeen)).toBe(2);
    expect(Number(issues[0]!.userCount)).toBe(2);
    expect(Number(issues[0]!.firstSeen)).toBe(1_000);
    expect(Number(issues[0]!.lastSeen)).toBe(3_000);
  });

  it('creates a second issue for a new hash and counts tag values', async () => {
    const other = preparedEvent({
      projectId,
      eventId: '3'.repeat(32),
      hashes: ['b'.repeat(32)],
      title: 'RangeError: x',
    });
    await db.kysely.transaction().execute((trx) => storeEvents(trx, db.dialect, [other]));

    const repository = new IssueRepository(db.kysely);
    const issues = await repository.list({
      projectIds: [projectId],
      query: parseIssueQuery('is:unresolved rangeerror'),
      sort: 'date',
      offset: 0,
      limit: 10,
    });
    expect(issues.map((issue) => issue.title)).toEqual(['RangeError: x']);
    expect(Number(issues[0]!.shortIdNumber)).toBe(2);
  });

  it('filters issues by tag values', async () => {
    const repository = new IssueRepository(db.kysely);
    const search = (query: string) =>
      repository.list({
        projectIds: [projectId],
        query: parseIssueQuery(query),
        sort: 'date',
        offset: 0,
        limit: 10,
      });

    const byUser = await search('user:id:2');
    const byWildcard = await search('user:id:*');
    const withoutUser = await search('!user:id:2');

    expect(byUser.map((issue) => issue.title)).toEqual(['TypeError: boom']);
    expect(byWildcard).toHaveLength(2);
    expect(withoutUser.map((issue) => issue.title)).toEqual(['RangeError: x']);
  });

  it('reopens a resolved issue as regressed on a new event', async () => {
    const repository = new IssueRepository(db.kysely);
    const [issue] = await repository.list({
      projectIds: [projectId],
      query: parseIssueQuery('typeerror'),
      sort: 'date',
      offset: 0,
      limit: 1,
    });
    await repository.updateStatus(issue!.id, 'resolved', null);

    await db.kysely
      .transaction()
      .execute((trx) =>
        storeEvents(trx, db.dialect, [
          preparedEvent({ projectId, eventId: '4'.repeat(32), timestamp: 9_000 }),
        ]),
      );

    const reopened = await repository.findById(issue!.id);
    expect(reopened?.status).toBe('unresolved');
    expect(reopened?.substatus).toBe('regressed');
  });

  it('finds latest and neighbour events of an issue', async () => {
    const events = new EventRepository(db.kysely);
    const first = await events.findByEventId([projectId], '1'.repeat(32));
    const latest = await events.findEdge(first!.issueId, 'latest');
    const neighbors = await events.findNeighbors(first!);

    expect(latest?.eventId).toBe('4'.repeat(32));
    expect(neighbors.previous).toBeNull();
    expect(neighbors.next).toBe('2'.repeat(32));
  });

  it('checks stored event ids through the unique index', async () => {
    if (db.sqlite === undefined) {
      return;
    }
    const plan = db.sqlite
      .prepare(
        'EXPLAIN QUERY PLAN SELECT project_id, event_id FROM events WHERE project_id IN (?) AND event_id IN (?, ?)',
      )
      .all(1, 'a', 'b') as { detail: string }[];
    const details = plan.map((row) => row.detail).join(' ');

    expect(details).toContain('SEARCH events USING COVERING INDEX');
    expect(details).toContain('(project_id=? AND event_id=?)');
  });

  it('serves the latest-event query from the issue index', async () => {
    if (db.sqlite === undefined) {
      return;
    }
    const plan = db.sqlite
      .prepare(
        'EXPLAIN QUERY PLAN SELECT id FROM events WHERE issue_id = ? ORDER BY timestamp DESC, id DESC LIMIT 1',
      )
      .all(1) as { detail: string }[];
    expect(plan.map((row) => row.detail).join(' ')).toContain('events_issue_timestamp');
    expect(plan.map((row) => row.detail).join(' ')).not.toContain('TEMP B-TREE');
  });
});
