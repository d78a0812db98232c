import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';

/** A member as shown beside an activity entry, an assignee or a status actor. */
export interface UserSummary {
  id: string;
  name: string;
  email: string;
}

export interface NewActivity {
  issueId: number;
  projectId: number;
  /** Null when Picket itself acted (a regression or an unarchive). */
  userId: number | null;
  type: string;
  data: Record<string, unknown>;
}

/** Inserts one timeline entry and returns its id. */
export async function recordActivity(
  db: Kysely<Database>,
  activity: NewActivity,
  now = Date.now(),
): Promise<number> {
  const row = await db
    .insertInto('issueActivity')
    .values({
      issueId: activity.issueId,
      projectId: activity.projectId,
      userId: activity.userId,
      type: activity.type,
      data: JSON.stringify(activity.data),
      createdAt: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Loads the name and e-mail of users by id. */
export async function loadUserSummaries(
  db: Kysely<Database>,
  userIds: Iterable<number>,
): Promise<Map<number, UserSummary>> {
  const ids = [...new Set(userIds)];
  const users = new Map<number, UserSummary>();
  if (ids.length === 0) {
    return users;
  }
  const rows = await db
    .selectFrom('users')
    .select(['id', 'name', 'email'])
    .where('id', 'in', ids)
    .execute();
  for (const row of rows) {
    users.set(Number(row.id), {
      id: String(row.id),
      name: row.name || row.email,
      email: row.email,
    });
  }
  return users;
}

/** Lists an issue's timeline, newest first, in Sentry's activity shape. */
export async function listActivity(db: Kysely<Database>, issueId: number, limit = 100) {
  const rows = await db
    .selectFrom('issueActivity')
    .select(['id', 'userId', 'type', 'data', 'createdAt'])
    .where('issueId', '=', issueId)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  const users = await loadUserSummaries(
    db,
    rows.flatMap((row) => (row.userId === null ? [] : [Number(row.userId)])),
  );
  return rows.map((row) => ({
    id: String(row.id),
    type: row.type,
    data: JSON.parse(row.data) as Record<string, unknown>,
    dateCreated: new Date(Number(row.createdAt)).toISOString(),
    user: row.userId === null ? null : (users.get(Number(row.userId)) ?? null),
  }));
}
