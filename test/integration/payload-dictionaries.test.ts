/**
 * Event payloads compressed against per-issue dictionaries, on both engines: reading old and
 * new rows, merges, issue and project deletion, and the sweep of unused dictionaries.
 */
import { deflateSync, inflateSync } from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  deleteUnusedPayloadDictionaries,
  EventRepository,
  readPayload,
} from '../../src/server/features/events/index.js';
import { deleteIssues, mergeIssues } from '../../src/server/features/issues/issue-merge.js';
import type { PreparedEvent } from '../../src/server/features/worker/prepare-event.js';
import { storeEvents } from '../../src/server/features/worker/store-events.js';
import type { Db } from '../../src/server/platform/db/index.js';
import {
  addTestProject,
  createTestProject,
  STORAGE_ENGINES,
  type TestProjectRows,
} from '../helpers/engines.js';

const HOUR_MS = 3_600_000;
const STACK_FRAMES = Array.from({ length: 12 }, (_, index) => ({
  filename: `src/module-${index}.ts`,
  function: `handler${index}`,
  lineno: 10 + index,
  context_line: `  return step${index}(request, response);`,
  vars: { secretOf: `frame-${index}` },
}));

let eventCounter = 0;

/** Builds the stored JSON of an event of the issue `hash`, with its own user and message. */
function eventJson(eventId: string, hash: string): Record<string, unknown> {
  return {
    event_id: eventId,
    timestamp: 1_700_000_000 + eventCounter,
    level: 'error',
    platform: 'node',
    user: { id: `user-${eventCounter}`, email: `person${eventCounter}@example.com` },
    request: { url: `https://example.com/orders/${eventCounter}`, method: 'GET' },
    tags: [
      ['level', 'error'],
      ['user', `id:user-${eventCounter}`],
    ],
    contexts: { os: { name: 'Linux' }, custom: { account: `account-${eventCounter}` } },
    exception: {
      values: [
        {
          type: `Error${hash.slice(0, 4)}`,
          value: `Order ${eventCounter} failed`,
          stacktrace: { frames: STACK_FRAMES },
        },
      ],
    },
    hashes: [hash],
  };
}

function preparedEvent(projectId: number, hash: string): PreparedEvent {
  eventCounter += 1;
  const eventId = eventCounter.toString(16).padStart(32, '0');
  const json = JSON.stringify(eventJson(eventId, hash));
  return {
    projectId,
    eventId,
    receivedAt: 1_700_000_000_000 + eventCounter,
    timestamp: 1_700_000_000_000 + eventCounter,
    type: 'error',
    level: 'error',
    platform: 'node',
    title: `Error${hash.slice(0, 4)}: Order failed`,
    culprit: 'handler0',
    metadata: { type: 'Error', value: 'Order failed' },
    hashes: [hash],
    tags: [['level', 'error']],
    release: null,
    environment: null,
    traceId: null,
    userTag: null,
    json: Buffer.from(json),
    size: json.length,
  };
}

describe.each(STORAGE_ENGINES)('payload dictionaries on $name', ({ open }) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let project: TestProjectRows;

  beforeAll(async () => {
    ({ db, cleanup } = await open());
    project = await createTestProject(db);
  });

  afterAll(async () => {
    await cleanup();
  });

  async function store(events: PreparedEvent[]) {
    await db.kysely.transaction().execute((trx) => storeEvents(trx, db.dialect, events));
  }

  async function issueOf(eventId: string): Promise<number> {
    const row = await db.kysely
      .selectFrom('events')
      .select('issueId')
      .where('eventId', '=', eventId)
      .executeTakeFirstOrThrow();
    return Number(row.issueId);
  }

  async function readIssueEvents(issueId: number) {
    const rows = await new EventRepository(db.kysely).listByIssue(issueId, 0, 1_000);
    return new Map(rows.map((row) => [row.eventId, readPayload(row)]));
  }

  async function dictionaryIds(projectId: number): Promise<number[]> {
    const rows = await db.kysely
      .selectFrom('payloadDictionaries')
      .select('id')
      .where('projectId', '=', projectId)
      .orderBy('id')
      .execute();
    return rows.map((row) => Number(row.id));
  }

  it('reads back every payload stored with a dictionary', async () => {
    const events = Array.from({ length: 5 }, () =>
      preparedEvent(project.projectId, 'a'.repeat(32)),
    );

    await store(events.slice(0, 2));
    await store(events.slice(2));
    const read = await readIssueEvents(await issueOf(events[0]!.eventId));

    expect(read.size).toBe(5);
    for (const event of events) {
      expect(read.get(event.eventId)).toEqual(JSON.parse(event.json.toString('utf8')));
    }
  });

  it('compresses the events of one issue against one dictionary', async () => {
    const events = [preparedEvent(project.projectId, 'b'.repeat(32))];
    events.push(preparedEvent(project.projectId, 'b'.repeat(32)));

    await store(events);
    const rows = await db.kysely
      .selectFrom('events')
      .select(['payloadDictionaryId', 'payload', 'size'])
      .where(
        'eventId',
        'in',
        events.map((event) => event.eventId),
      )
      .execute();

    expect(rows).toHaveLength(2);
    expect(rows[0]!.payloadDictionaryId).not.toBeNull();
    expect(rows[1]!.payloadDictionaryId).toBe(rows[0]!.payloadDictionaryId);
    expect(rows[1]!.payload.length).toBeLessThan(rows[1]!.size / 4);
  });

  it('keeps personal fields and frame variables out of the dictionary', async () => {
    const event = preparedEvent(project.projectId, 'c'.repeat(32));

    await store([event]);
    const row = await db.kysely
      .selectFrom('payloadDictionaries')
      .select('content')
      .where('issueId', '=', await issueOf(event.eventId))
      .executeTakeFirstOrThrow();
    const dictionary = inflateSync(row.content).toString('utf8');

    expect(dictionary).toContain('handler11');
    expect(dictionary).not.toContain('@example.com');
    expect(dictionary).not.toContain('/orders/');
    expect(dictionary).not.toContain('account-');
    expect(dictionary).not.toContain('frame-');
  });

  it('reads a payload stored before dictionaries existed', async () => {
    const stored = preparedEvent(project.projectId, 'a'.repeat(32));
    await store([stored]);
    const issueId = await issueOf(stored.eventId);
    const event = preparedEvent(project.projectId, 'a'.repeat(32));
    await db.kysely
      .insertInto('events')
      .values({
        projectId: project.projectId,
        issueId,
        eventId: event.eventId,
        timestamp: event.timestamp,
        receivedAt: event.receivedAt,
        type: 'error',
        level: 'error',
        platform: 'node',
        title: event.title,
        payload: deflateSync(event.json, { level: 1 }),
        size: event.size,
      })
      .execute();

    const row = await new EventRepository(db.kysely).findByEventId(
      [project.projectId],
      event.eventId,
    );

    expect(row?.payloadDictionaryId).toBeNull();
    expect(readPayload(row!)).toEqual(JSON.parse(event.json.toString('utf8')));
  });

  it('reads every event after a merge, including those of the deleted issue', async () => {
    const first = [1, 2, 3].map(() => preparedEvent(project.projectId, 'd'.repeat(32)));
    const second = [1, 2].map(() => preparedEvent(project.projectId, 'e'.repeat(32)));
    await store([...first, ...second]);
    const issues = await db.kysely
      .selectFrom('issues')
      .select(['id', 'projectId', 'shortIdNumber', 'timesSeen'])
      .where('id', 'in', [await issueOf(first[0]!.eventId), await issueOf(second[0]!.eventId)])
      .execute();

    const { parent } = await db.kysely.transaction().execute((trx) =>
      mergeIssues(
        trx,
        issues.map((issue) => ({
          id: Number(issue.id),
          projectId: Number(issue.projectId),
          shortIdNumber: Number(issue.shortIdNumber),
          projectSlug: 'web',
          timesSeen: Number(issue.timesSeen),
        })),
        project.userId,
      ),
    );
    const swept = await deleteUnusedPayloadDictionaries(db.kysely, Date.now() + 2 * HOUR_MS);
    const read = await readIssueEvents(parent);

    expect(read.size).toBe(5);
    for (const event of [...first, ...second]) {
      expect(read.get(event.eventId)).toEqual(JSON.parse(event.json.toString('utf8')));
    }
    expect(swept).toBe(0);
  });

  it('sweeps a dictionary only when unused and older than an hour', async () => {
    const projectId = await addTestProject(project, 'sweep', null);
    const kept = preparedEvent(projectId, 'f'.repeat(32));
    const dropped = preparedEvent(projectId, '9'.repeat(32));
    await store([kept, dropped]);
    const [keptDictionary, droppedDictionary] = await dictionaryIds(projectId);
    const droppedIssue = await issueOf(dropped.eventId);
    await db.kysely.deleteFrom('events').where('issueId', '=', droppedIssue).execute();

    const young = await deleteUnusedPayloadDictionaries(db.kysely, Date.now() + HOUR_MS / 2);
    const afterYoung = await dictionaryIds(projectId);
    const old = await deleteUnusedPayloadDictionaries(db.kysely, Date.now() + 2 * HOUR_MS);
    const afterOld = await dictionaryIds(projectId);

    expect(young).toBe(0);
    expect(afterYoung).toEqual([keptDictionary, droppedDictionary]);
    expect(old).toBe(1);
    expect(afterOld).toEqual([keptDictionary]);
  });

  it('gives an issue a new dictionary after its old one was swept', async () => {
    const projectId = await addTestProject(project, 'resweep', null);
    const before = preparedEvent(projectId, '8'.repeat(32));
    await store([before]);
    const issueId = await issueOf(before.eventId);
    await db.kysely.deleteFrom('events').where('issueId', '=', issueId).execute();
    await deleteUnusedPayloadDictionaries(db.kysely, Date.now() + 2 * HOUR_MS);

    const after = preparedEvent(projectId, '8'.repeat(32));
    await store([after]);
    const read = await readIssueEvents(issueId);

    expect(await issueOf(after.eventId)).toBe(issueId);
    expect(await dictionaryIds(projectId)).toHaveLength(1);
    expect(read.get(after.eventId)).toEqual(JSON.parse(after.json.toString('utf8')));
  });

  it('reads moved events through the merged issue, then sweeps after its deletion', async () => {
    const projectId = await addTestProject(project, 'merged', null);
    const parentEvents = [1, 2].map(() => preparedEvent(projectId, '7'.repeat(32)));
    const childEvent = preparedEvent(projectId, '6'.repeat(32));
    await store([...parentEvents, childEvent]);
    const issues = await db.kysely
      .selectFrom('issues')
      .select(['id', 'shortIdNumber', 'timesSeen'])
      .where('projectId', '=', projectId)
      .execute();
    const { parent, children } = await db.kysely.transaction().execute((trx) =>
      mergeIssues(
        trx,
        issues.map((issue) => ({
          id: Number(issue.id),
          projectId,
          shortIdNumber: Number(issue.shortIdNumber),
          projectSlug: 'merged',
          timesSeen: Number(issue.timesSeen),
        })),
        project.userId,
      ),
    );
    // The child's hash now points to the parent, so this event uses the parent's dictionary.
    const later = preparedEvent(projectId, '6'.repeat(32));
    await store([later]);
    const dictionaryOf = async (eventId: string) =>
      (
        await db.kysely
          .selectFrom('events')
          .select('payloadDictionaryId')
          .where('eventId', '=', eventId)
          .executeTakeFirstOrThrow()
      ).payloadDictionaryId;

    const read = await readIssueEvents(parent);
    const childIssueRows = await db.kysely
      .selectFrom('issues')
      .select('id')
      .where('id', 'in', children)
      .execute();

    expect(childIssueRows).toEqual([]);
    expect(read.size).toBe(4);
    for (const event of [...parentEvents, childEvent, later]) {
      expect(read.get(event.eventId)).toEqual(JSON.parse(event.json.toString('utf8')));
    }
    expect(await dictionaryOf(later.eventId)).toBe(await dictionaryOf(parentEvents[0]!.eventId));
    expect(await dictionaryOf(childEvent.eventId)).not.toBe(
      await dictionaryOf(parentEvents[0]!.eventId),
    );

    await db.kysely.transaction().execute((trx) =>
      deleteIssues(trx, [{ id: parent, projectId, title: '' }], {
        discard: false,
        actorId: project.userId,
      }),
    );
    const swept = await deleteUnusedPayloadDictionaries(db.kysely, Date.now() + 2 * HOUR_MS);

    expect(swept).toBe(2);
    expect(await dictionaryIds(projectId)).toEqual([]);
  });

  it('deletes the dictionaries with their project', async () => {
    const projectId = await addTestProject(project, 'gone', null);
    await store([
      preparedEvent(projectId, '4'.repeat(32)),
      preparedEvent(projectId, '4'.repeat(32)),
    ]);

    await db.kysely.deleteFrom('projects').where('id', '=', projectId).execute();

    expect(await dictionaryIds(projectId)).toEqual([]);
  });
});
