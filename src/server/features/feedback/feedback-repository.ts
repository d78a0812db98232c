import type { Kysely, Selectable } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import type { FeedbackInput } from './feedback-input.js';

export type FeedbackRecord = Selectable<Database['userFeedback']>;

export type SaveOutcome = 'stored' | 'updated' | 'duplicate' | 'conflict';

/** A user report may be replaced for this long after it was stored, as Sentry allows. */
const REPORT_EDIT_WINDOW_MS = 5 * 60_000;

export interface FeedbackPage {
  offset: number;
  limit: number;
}

/**
 * Stores one feedback. Its issue is looked up through the events table; when the event is
 * not stored yet, the issue stays empty until {@link resolvePendingIssues} finds it. A second
 * user report for the same event replaces the first within five minutes, and is a conflict
 * after that. A feedback event stored before is a duplicate.
 */
export async function saveFeedback(
  db: Kysely<Database>,
  projectId: number,
  feedback: FeedbackInput,
  now: number,
): Promise<{ outcome: SaveOutcome; id: number | undefined }> {
  const issueId = feedback.eventId === null ? null : await findIssueId(db, projectId, feedback);
  const existing = await db
    .selectFrom('userFeedback')
    .select(['id', 'kind', 'createdAt'])
    .where('projectId', '=', projectId)
    .where('feedbackEventId', '=', feedback.feedbackEventId)
    .executeTakeFirst();

  if (existing !== undefined) {
    const isEditable =
      feedback.kind === 'user_report' &&
      existing.kind === 'user_report' &&
      now - Number(existing.createdAt) < REPORT_EDIT_WINDOW_MS;
    if (!isEditable) {
      return {
        outcome: feedback.kind === 'user_report' ? 'conflict' : 'duplicate',
        id: existing.id,
      };
    }
    await db
      .updateTable('userFeedback')
      .set({ name: feedback.name, email: feedback.email, comments: feedback.comments, issueId })
      .where('id', '=', existing.id)
      .execute();
    return { outcome: 'updated', id: existing.id };
  }

  const inserted = await db
    .insertInto('userFeedback')
    .values({ projectId, ...feedback, issueId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { outcome: 'stored', id: inserted.id };
}

async function findIssueId(
  db: Kysely<Database>,
  projectId: number,
  feedback: FeedbackInput,
): Promise<number | null> {
  const row = await db
    .selectFrom('events')
    .select('issueId')
    .where('projectId', '=', projectId)
    .where('eventId', '=', feedback.eventId)
    .executeTakeFirst();
  return row === undefined ? null : Number(row.issueId);
}

/**
 * Fills in the issue of feedback whose event was stored after the feedback. The read comes
 * first, so that a web request takes the write lock only when there is something to update.
 */
export async function resolvePendingIssues(db: Kysely<Database>, projectId: number) {
  const resolvable = await db
    .selectFrom('userFeedback')
    .innerJoin('events', (join) =>
      join
        .onRef('events.projectId', '=', 'userFeedback.projectId')
        .onRef('events.eventId', '=', 'userFeedback.eventId'),
    )
    .select(['userFeedback.id', 'events.issueId'])
    .where('userFeedback.projectId', '=', projectId)
    .where('userFeedback.issueId', 'is', null)
    .limit(500)
    .execute();

  for (const row of resolvable) {
    await db
      .updateTable('userFeedback')
      .set({ issueId: row.issueId })
      .where('id', '=', row.id)
      .execute();
  }
}

/** Reads stored feedback, newest first. */
export class FeedbackRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * Lists a project's feedback. With `unresolvedOnly`, feedback whose issue is resolved or
   * ignored is left out; feedback without an issue stays.
   */
  async listByProject(
    projectId: number,
    page: FeedbackPage,
    unresolvedOnly: boolean,
  ): Promise<FeedbackRecord[]> {
    await resolvePendingIssues(this.#db, projectId);

    let query = this.#db
      .selectFrom('userFeedback')
      .leftJoin('issues', 'issues.id', 'userFeedback.issueId')
      .selectAll('userFeedback')
      .where('userFeedback.projectId', '=', projectId);
    if (unresolvedOnly) {
      query = query.where((eb) =>
        eb.or([eb('userFeedback.issueId', 'is', null), eb('issues.status', '=', 'unresolved')]),
      );
    }
    return query
      .orderBy('userFeedback.createdAt', 'desc')
      .orderBy('userFeedback.id', 'desc')
      .offset(page.offset)
      .limit(page.limit + 1)
      .execute();
  }

  async listByIssue(
    projectId: number,
    issueId: number,
    page: FeedbackPage,
  ): Promise<FeedbackRecord[]> {
    await resolvePendingIssues(this.#db, projectId);

    return this.#db
      .selectFrom('userFeedback')
      .selectAll()
      .where('projectId', '=', projectId)
      .where('issueId', '=', issueId)
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .offset(page.offset)
      .limit(page.limit + 1)
      .execute();
  }

  findById(id: number): Promise<FeedbackRecord | undefined> {
    return this.#db.selectFrom('userFeedback').selectAll().where('id', '=', id).executeTakeFirst();
  }

  save(projectId: number, feedback: FeedbackInput) {
    return saveFeedback(this.#db, projectId, feedback, Date.now());
  }
}
