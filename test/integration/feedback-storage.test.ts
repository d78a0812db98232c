/**
 * The attachment and feedback processors and repositories on both engines: records run
 * through `processRecords` in a transaction, as the worker runs them, and are read back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { AttachmentRepository } from '../../src/server/features/attachments/index.js';
import { FeedbackRepository } from '../../src/server/features/feedback/index.js';
import { processRecords } from '../../src/server/features/worker/process-records.js';
import type { Db } from '../../src/server/platform/db/index.js';
import { createLogger } from '../../src/server/platform/logger.js';
import type { ClaimedRecord } from '../../src/server/platform/queue/index.js';
import {
  countOutcomes,
  createTestProject,
  explainQuery,
  STORAGE_ENGINES,
} from '../helpers/engines.js';

const RECEIVED_AT = 1_800_000_000_000;
const log = createLogger('silent');

const ERROR_ID = 'a'.repeat(32);
const LATE_ERROR_ID = 'b'.repeat(32);
const FEEDBACK_ID = 'c'.repeat(32);
const EARLY_FEEDBACK_ID = 'd'.repeat(32);

let nextRecordId = 1;

function record(projectId: number, kind: string, body: unknown): ClaimedRecord {
  nextRecordId += 1;
  return {
    id: nextRecordId,
    projectId,
    kind,
    receivedAt: RECEIVED_AT,
    body: JSON.stringify(body),
  };
}

function itemRecord(projectId: number, kind: string, eventId: string | undefined, item: unknown) {
  const meta = {
    eventId,
    sentAt: undefined,
    clientIp: '127.0.0.1',
    client: 'test',
    sdk: undefined,
    trace: undefined,
    itemHeaders: { type: kind },
  };
  return record(projectId, kind, { meta, item });
}

function eventRecord(projectId: number, eventId: string, message: string) {
  const meta = { eventId, sentAt: undefined, clientIp: '127.0.0.1', client: 'test' };
  return record(projectId, 'event', { meta, event: { event_id: eventId, message } });
}

function attachmentItem(eventId: string, name: string) {
  return {
    eventId,
    filename: name,
    contentType: 'image/png',
    attachmentType: 'event.attachment',
    blobKey: `attachments/00/${eventId}${name.length}`,
    size: 123,
    sha1: '0'.repeat(40),
  };
}

describe.each(STORAGE_ENGINES)('feedback storage on $name', ({ open }) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let projectId: number;

  async function run(records: ClaimedRecord[]) {
    await db.kysely.transaction().execute((trx) => processRecords(trx, db.dialect, records, log));
  }

  beforeAll(async () => {
    ({ db, cleanup } = await open());
    ({ projectId } = await createTestProject(db));

    // One batch: the event, its feedback with a screenshot, a user report, a feedback whose
    // event comes later, and bad records of each kind.
    await run([
      eventRecord(projectId, ERROR_ID, 'boom'),
      itemRecord(projectId, 'feedback', FEEDBACK_ID, {
        contexts: { feedback: { message: 'It broke', associated_event_id: ERROR_ID } },
        user: { id: '7', email: 'u@example.com' },
      }),
      itemRecord(projectId, 'attachment', FEEDBACK_ID, attachmentItem(FEEDBACK_ID, 'shot.png')),
      itemRecord(projectId, 'user_report', ERROR_ID, {
        name: 'Old',
        email: 'old@example.com',
        comments: 'Crashed',
      }),
      itemRecord(projectId, 'feedback', EARLY_FEEDBACK_ID, {
        contexts: { feedback: { message: 'Too early', associated_event_id: LATE_ERROR_ID } },
      }),
      itemRecord(projectId, 'feedback', undefined, { contexts: { feedback: { message: '' } } }),
      itemRecord(projectId, 'user_report', undefined, { comments: 'no event id' }),
      itemRecord(projectId, 'attachment', ERROR_ID, { filename: 'broken' }),
    ]);
  });

  afterAll(async () => {
    await cleanup();
  });

  it('stores the feedback linked to the issue of its event', async () => {
    const rows = await new FeedbackRepository(db.kysely).listByProject(
      projectId,
      { offset: 0, limit: 10 },
      false,
    );
    const feedback = rows.find((row) => row.feedbackEventId === FEEDBACK_ID);
    const event = await db.kysely
      .selectFrom('events')
      .select('issueId')
      .where('eventId', '=', ERROR_ID)
      .executeTakeFirstOrThrow();

    expect(feedback).toMatchObject({ kind: 'feedback', eventId: ERROR_ID, comments: 'It broke' });
    expect(Number(feedback!.issueId)).toBe(Number(event.issueId));
  });

  it('stores the user report under its event id', async () => {
    const rows = await new FeedbackRepository(db.kysely).listByProject(
      projectId,
      { offset: 0, limit: 10 },
      false,
    );
    expect(rows.find((row) => row.kind === 'user_report')).toMatchObject({
      feedbackEventId: ERROR_ID,
      name: 'Old',
      comments: 'Crashed',
    });
  });

  it('lists the feedback of one issue', async () => {
    const event = await db.kysely
      .selectFrom('events')
      .select('issueId')
      .where('eventId', '=', ERROR_ID)
      .executeTakeFirstOrThrow();
    const rows = await new FeedbackRepository(db.kysely).listByIssue(
      projectId,
      Number(event.issueId),
      { offset: 0, limit: 10 },
    );
    expect(rows.map((row) => row.kind).sort()).toEqual(['feedback', 'user_report']);
  });

  it('resolves the issue of early feedback once its event is stored', async () => {
    const repository = new FeedbackRepository(db.kysely);
    const before = await repository.listByProject(projectId, { offset: 0, limit: 10 }, false);
    expect(before.find((row) => row.feedbackEventId === EARLY_FEEDBACK_ID)?.issueId).toBeNull();

    await run([eventRecord(projectId, LATE_ERROR_ID, 'late')]);
    const after = await repository.listByProject(projectId, { offset: 0, limit: 10 }, false);

    expect(after.find((row) => row.feedbackEventId === EARLY_FEEDBACK_ID)?.issueId).not.toBeNull();
  });

  it('stores attachment rows found by event id', async () => {
    const rows = await new AttachmentRepository(db.kysely).listByEvents(projectId, [FEEDBACK_ID]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: 'shot.png', size: 123, contentType: 'image/png' });
  });

  it('stores a feedback sent twice once', async () => {
    await run([
      itemRecord(projectId, 'feedback', FEEDBACK_ID, {
        contexts: { feedback: { message: 'It broke' } },
      }),
    ]);
    const count = await db.kysely
      .selectFrom('userFeedback')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('feedbackEventId', '=', FEEDBACK_ID)
      .executeTakeFirstOrThrow();
    expect(Number(count.count)).toBe(1);
  });

  it('counts bad records as invalid with reasons', async () => {
    expect(await countOutcomes(db, { projectId, reason: 'missing_feedback_message' })).toBe(1);
    expect(await countOutcomes(db, { projectId, reason: 'invalid_user_report' })).toBe(1);
    expect(await countOutcomes(db, { projectId, reason: 'invalid_attachment' })).toBe(1);
  });

  it('counts stored feedback and attachments as accepted', async () => {
    const rows = await db.kysely
      .selectFrom('outcomes')
      .select(['category', 'quantity'])
      .where('projectId', '=', projectId)
      .where('outcome', '=', 'accepted')
      .execute();
    const byCategory = Object.fromEntries(rows.map((row) => [row.category, Number(row.quantity)]));
    expect(byCategory.attachment_item).toBe(1);
    expect(byCategory.attachment).toBe(123);
    expect(byCategory.feedback).toBe(3);
    expect(byCategory.default).toBe(1);
  });

  it('serves the feedback list from its project index', async () => {
    const plan = await explainQuery(
      db,
      `SELECT * FROM user_feedback WHERE project_id = ${projectId} ORDER BY created_at DESC, id DESC LIMIT 101`,
    );
    expect(plan).toContain('user_feedback_project_created');
    expect(plan).not.toMatch(/TEMP B-TREE|Sort/);
  });

  it('serves the issue feedback list from its issue index', async () => {
    const plan = await explainQuery(
      db,
      `SELECT * FROM user_feedback WHERE project_id = ${projectId} AND issue_id = 1 ORDER BY created_at DESC, id DESC LIMIT 101`,
    );
    expect(plan).toContain('user_feedback_project_issue_created');
    expect(plan).not.toMatch(/TEMP B-TREE|Sort/);
  });

  it('finds the attachments of an event through their index', async () => {
    const plan = await explainQuery(
      db,
      `SELECT * FROM event_attachments WHERE project_id = ${projectId} AND event_id IN ('${FEEDBACK_ID}') ORDER BY event_id, id`,
    );
    expect(plan).toContain('event_attachments_project_event');
  });
});
