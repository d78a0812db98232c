import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createEventPartitions,
  runRetention,
  type RetentionRun,
} from '../../src/server/features/retention/index.js';
import { readProjectStorage } from '../../src/server/features/retention/storage-figures.js';
import type { PreparedEvent } from '../../src/server/features/worker/prepare-event.js';
import { storeEvents } from '../../src/server/features/worker/store-events.js';
import { LocalBlobStore } from '../../src/server/platform/blobs/index.js';
import type { Db } from '../../src/server/platform/db/index.js';
import { createLogger } from '../../src/server/platform/logger.js';
import {
  addTestProject,
  createTestProject,
  explainQuery,
  STORAGE_ENGINES,
  type TestProjectRows,
} from '../helpers/engines.js';

const DAY_MS = 86_400_000;
const NOW = Date.now();
const RETENTION_DAYS = 30;
const OLD = NOW - 60 * DAY_MS;
const CUTOFF = NOW - RETENTION_DAYS * DAY_MS;
const RECENT = NOW - DAY_MS;

let eventCount = 0;

function preparedEvent(projectId: number, receivedAt: number, hash = 'a'): PreparedEvent {
  eventCount += 1;
  const eventId = eventCount.toString(16).padStart(32, '0');
  const json = JSON.stringify({ event_id: eventId, title: 'TypeError: boom' });
  return {
    projectId,
    eventId,
    receivedAt,
    timestamp: receivedAt,
    type: 'error',
    level: 'error',
    platform: 'node',
    title: 'TypeError: boom',
    culprit: 'app in main',
    metadata: { type: 'TypeError', value: 'boom' },
    hashes: [hash.repeat(32)],
    tags: [['level', 'error']],
    release: null,
    environment: 'production',
    traceId: null,
    userTag: null,
    json: Buffer.from(json),
    size: json.length,
  };
}

async function store(db: Db, events: PreparedEvent[]) {
  return db.kysely.transaction().execute((trx) => storeEvents(trx, db.dialect, events));
}

async function countEvents(db: Db, projectId: number): Promise<number> {
  const row = await db.kysely
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('projectId', '=', projectId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

describe.each(STORAGE_ENGINES)('retention on $name', ({ name, open }) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let rows: TestProjectRows;
  let cappedProjectId: number;
  let neighbourProjectId: number;
  let blobDir: string;
  let blobs: LocalBlobStore;
  let firstRun: RetentionRun | undefined;
  const log = createLogger('silent');

  beforeAll(async () => {
    ({ db, cleanup } = await open());
    rows = await createTestProject(db);
    cappedProjectId = await addTestProject(rows, 'capped');
    neighbourProjectId = await addTestProject(rows, 'neighbour');
    blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-retention-blobs-'));
    blobs = new LocalBlobStore(blobDir);
    if (name === 'postgres') {
      // Partitions for the old weeks, as if the job had run back then.
      await createEventPartitions(db.kysely, OLD, 10);
    }

    await store(db, [
      preparedEvent(rows.projectId, OLD, 'a'),
      preparedEvent(rows.projectId, OLD + 1, 'a'),
      preparedEvent(rows.projectId, RECENT, 'b'),
    ]);
    await store(
      db,
      [1, 2, 3, 4, 5].map((day) => preparedEvent(cappedProjectId, NOW - day * DAY_MS, 'c')),
    );
    // Events of another project at the same times, which the cap must not touch.
    await store(
      db,
      [1, 2, 3, 4, 5].map((day) => preparedEvent(neighbourProjectId, NOW - day * DAY_MS, 'n')),
    );
    // Issue "a" was last seen long ago; all its events are old.
    await db.kysely
      .updateTable('issues')
      .set({ lastSeen: OLD })
      .where('projectId', '=', rows.projectId)
      .where('timesSeen', '=', 2)
      .execute();

    for (const [key, createdAt] of [
      ['attachments/aa/old', OLD],
      ['attachments/bb/new', RECENT],
    ] as const) {
      await blobs.put(key, Buffer.from('attachment bytes'));
      await db.kysely
        .insertInto('eventAttachments')
        .values({
          projectId: rows.projectId,
          eventId: 'f'.repeat(32),
          name: 'log.txt',
          contentType: 'text/plain',
          attachmentType: 'event.attachment',
          size: 16,
          sha1: '0'.repeat(40),
          blobKey: key,
          createdAt,
        })
        .execute();
    }
    await db.kysely
      .insertInto('outcomes')
      .values([
        {
          projectId: rows.projectId,
          hour: OLD,
          outcome: 'accepted',
          reason: '',
          category: 'error',
          quantity: 1,
        },
        {
          projectId: rows.projectId,
          hour: RECENT,
          outcome: 'accepted',
          reason: '',
          category: 'error',
          quantity: 1,
        },
      ])
      .execute();
    await db.kysely
      .updateTable('projects')
      .set({ maxEvents: 3 })
      .where('id', '=', cappedProjectId)
      .execute();
  });

  afterAll(async () => {
    await cleanup();
    fs.rmSync(blobDir, { recursive: true, force: true });
  });

  it('reports storage figures before the run', async () => {
    const storage = await readProjectStorage(
      db.kysely,
      { id: rows.projectId, maxEvents: null },
      30,
    );

    expect(storage.eventsKept).toBe(3);
    expect(storage.attachmentsKept).toBe(2);
    expect(storage.attachmentBytes).toBe(32);
    expect(storage.bytesKept).toBe(storage.eventBytes + 32);
    expect(storage.oldestEvent).toBe(new Date(OLD).toISOString());
  });

  it('uses the partition-local indexes for the latest event and the event list', async () => {
    const issue = await db.kysely.selectFrom('issues').select('id').executeTakeFirstOrThrow();
    const latest = await explainQuery(
      db,
      `SELECT id FROM events WHERE issue_id = ${issue.id} ORDER BY timestamp DESC, id DESC LIMIT 1`,
      ['sort', 'bitmapscan'],
    );
    const byEventId = await explainQuery(
      db,
      `SELECT id FROM events WHERE project_id = ${rows.projectId} AND event_id = '${'0'.repeat(32)}'`,
      ['bitmapscan'],
    );

    expect(latest).toMatch(/events_issue_timestamp|issue_id/);
    expect(latest).not.toMatch(/Seq Scan|SCAN events\b(?! USING)/);
    expect(byEventId).not.toMatch(/Seq Scan|SCAN events\b(?! USING)/);
  });

  it('removes old rows and blobs and keeps new ones', async () => {
    firstRun = await runRetention({ db, blobs, log, retentionDays: RETENTION_DAYS }, NOW);

    expect(firstRun?.complete).toBe(true);
    expect(await countEvents(db, rows.projectId)).toBe(1);
    expect(await blobs.size('attachments/aa/old')).toBeUndefined();
    expect(await blobs.size('attachments/bb/new')).toBe(16);
    const outcomes = await db.kysely.selectFrom('outcomes').select('hour').execute();
    expect(outcomes.map((row) => Number(row.hour))).toEqual([RECENT]);
  });

  it('deletes issues whose events are all gone', async () => {
    const issues = await db.kysely
      .selectFrom('issues')
      .select('timesSeen')
      .where('projectId', '=', rows.projectId)
      .execute();

    expect(issues.map((issue) => Number(issue.timesSeen))).toEqual([1]);
  });

  it('keeps the newest events up to the cap', async () => {
    const kept = await db.kysely
      .selectFrom('events')
      .select('receivedAt')
      .where('projectId', '=', cappedProjectId)
      .orderBy('receivedAt', 'desc')
      .execute();

    expect(kept.map((row) => Number(row.receivedAt))).toEqual([
      NOW - DAY_MS,
      NOW - 2 * DAY_MS,
      NOW - 3 * DAY_MS,
    ]);
  });

  it("leaves another project's events alone", async () => {
    expect(await countEvents(db, neighbourProjectId)).toBe(5);
  });

  it('removes nothing on a second run', async () => {
    const run = await runRetention({ db, blobs, log, retentionDays: RETENTION_DAYS }, NOW);

    expect(Object.values(run?.removed ?? {}).every((count) => count === 0)).toBe(true);
  });

  it.runIf(name === 'postgres')('drops weekly partitions past the cutoff', async () => {
    const partitions = await sql<{ name: string }>`
      SELECT child.relname AS name FROM pg_inherits
      JOIN pg_class child ON child.oid = inhrelid
      JOIN pg_class parent ON parent.oid = inhparent
      WHERE parent.relname = 'events'
        AND parent.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())`.execute(
      db.kysely,
    );
    const names = partitions.rows.map((row) => row.name);
    const starts = names
      .filter((partition) => partition !== 'events_default')
      .map((partition) =>
        Date.parse(partition.replace(/^events_p(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3')),
      );

    expect(firstRun?.partitionsDropped.length).toBeGreaterThan(0);
    expect(names).toContain('events_default');
    expect(starts.filter((start) => start + 7 * DAY_MS <= CUTOFF)).toEqual([]);
  });

  it.runIf(name === 'postgres')('stores a duplicate event id once', async () => {
    const event = preparedEvent(rows.projectId, RECENT);
    const [first, second] = await Promise.all([store(db, [event]), store(db, [event])]);

    expect(first.length + second.length).toBe(1);
    expect(
      await db.kysely
        .selectFrom('events')
        .select('id')
        .where('eventId', '=', event.eventId)
        .execute(),
    ).toHaveLength(1);
  });
});
