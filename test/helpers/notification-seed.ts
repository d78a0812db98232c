/**
 * Rows that the notification job tests start from: an organization with closed membership, its
 * members with their notification settings, issues, activity and subscriptions, and reads of
 * the outbox.
 */
import type { Db } from '../../src/server/platform/db/index.js';
import { createTestProject } from './engines.js';

export interface NotificationUsers {
  /** The organization's owner, who sees every project. */
  owner: number;
  /** A member of the project's team with workflow `always`. */
  alice: number;
  /** A member of the project's team with the default settings. */
  bob: number;
  /** A member of the project's team with workflow `never`. */
  carol: number;
  /** A member of no team with workflow `always`, who cannot see the project. */
  dave: number;
}

export interface NotificationSeed {
  organizationId: number;
  projectId: number;
  users: NotificationUsers;
}

let userCount = 0;

async function addMember(
  db: Db,
  organizationId: number,
  name: string,
  teamId: number | null,
): Promise<number> {
  userCount += 1;
  const user = await db.kysely
    .insertInto('users')
    .values({
      email: `${name}${userCount}@example.com`,
      name: `${name[0]?.toUpperCase() ?? ''}${name.slice(1)}`,
      passwordHash: 'x',
      isSuperuser: 0,
      createdAt: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const member = await db.kysely
    .insertInto('organizationMembers')
    .values({ organizationId, userId: user.id, role: 'member', createdAt: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (teamId !== null) {
    await db.kysely.insertInto('teamMembers').values({ teamId, memberId: member.id }).execute();
  }
  return Number(user.id);
}

/**
 * Migrates the database and creates an organization with closed membership, its project `web`
 * in the organization's team, and the users of `NotificationUsers` with their settings.
 */
export async function seedNotificationOrg(db: Db): Promise<NotificationSeed> {
  const created = await createTestProject(db);
  await db.kysely
    .updateTable('organizations')
    .set({ openMembership: 0 })
    .where('id', '=', created.organizationId)
    .execute();

  const users: NotificationUsers = {
    owner: Number(created.userId),
    alice: await addMember(db, created.organizationId, 'alice', created.teamId),
    bob: await addMember(db, created.organizationId, 'bob', created.teamId),
    carol: await addMember(db, created.organizationId, 'carol', created.teamId),
    dave: await addMember(db, created.organizationId, 'dave', null),
  };
  await setSetting(db, users.alice, 'workflow', 'always');
  await setSetting(db, users.carol, 'workflow', 'never');
  await setSetting(db, users.dave, 'workflow', 'always');
  return { organizationId: created.organizationId, projectId: created.projectId, users };
}

/** Stores one notification setting of a user, replacing an earlier value. */
export async function setSetting(db: Db, userId: number, key: string, value: string) {
  await db.kysely
    .insertInto('notificationSettings')
    .values({ userId, key, value })
    .onConflict((conflict) => conflict.columns(['userId', 'key']).doUpdateSet({ value }))
    .execute();
}

let shortIdNumber = 0;

/** Inserts an unresolved issue and returns its id. */
export async function insertIssue(
  db: Db,
  projectId: number,
  title: string,
  fields: { firstSeen?: number; timesSeen?: number } = {},
): Promise<number> {
  shortIdNumber += 1;
  const firstSeen = fields.firstSeen ?? Date.now();
  const row = await db.kysely
    .insertInto('issues')
    .values({
      projectId,
      shortIdNumber,
      title,
      culprit: 'app.js',
      type: 'error',
      level: 'error',
      status: 'unresolved',
      substatus: 'new',
      platform: 'javascript',
      metadata: '{}',
      firstSeen,
      lastSeen: firstSeen,
      timesSeen: fields.timesSeen ?? 1,
      userCount: 0,
      resolvedAt: null,
      firstRelease: null,
      lastRelease: null,
      statusDetails: null,
      assigneeUserId: null,
      assigneeTeamId: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Inserts one entry of an issue's timeline and returns its id. */
export async function insertActivity(
  db: Db,
  activity: {
    issueId: number;
    projectId: number;
    userId: number | null;
    type: string;
    data?: Record<string, unknown>;
    createdAt?: number;
  },
): Promise<number> {
  const row = await db.kysely
    .insertInto('issueActivity')
    .values({
      issueId: activity.issueId,
      projectId: activity.projectId,
      userId: activity.userId,
      type: activity.type,
      data: JSON.stringify(activity.data ?? {}),
      createdAt: activity.createdAt ?? Date.now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Stores a user's subscription to an issue: 1 for subscribed, 0 for unsubscribed. */
export async function subscribe(db: Db, issueId: number, userId: number, subscribed = true) {
  const isSubscribed = subscribed ? 1 : 0;
  await db.kysely
    .insertInto('issueSubscriptions')
    .values({ issueId, userId, isSubscribed, reason: 'unknown', createdAt: Date.now() })
    .onConflict((conflict) => conflict.columns(['issueId', 'userId']).doUpdateSet({ isSubscribed }))
    .execute();
}

export interface OutboxMail {
  id: number;
  source: string;
  userId: number | null;
  issueId: number | null;
  projectId: number | null;
  organizationId: number | null;
  target: string;
  subject: string;
  text: string;
  html: string;
}

/** Reads the outbox rows with an id above `afterId`, oldest first. */
export async function readOutbox(db: Db, afterId = 0): Promise<OutboxMail[]> {
  const rows = await db.kysely
    .selectFrom('notificationDeliveries')
    .selectAll()
    .where('id', '>', afterId)
    .orderBy('id')
    .execute();
  return rows.map((row) => {
    const payload = JSON.parse(row.payload) as { subject: string; text: string; html: string };
    return {
      id: Number(row.id),
      source: row.source,
      userId: row.userId === null ? null : Number(row.userId),
      issueId: row.issueId === null ? null : Number(row.issueId),
      projectId: row.projectId === null ? null : Number(row.projectId),
      organizationId: row.organizationId === null ? null : Number(row.organizationId),
      target: row.target,
      ...payload,
    };
  });
}

/** Returns the id of the newest outbox row, or 0. */
export async function lastOutboxId(db: Db): Promise<number> {
  const row = await db.kysely
    .selectFrom('notificationDeliveries')
    .select((eb) => eb.fn.max('id').as('maxId'))
    .executeTakeFirst();
  return Number(row?.maxId ?? 0);
}
