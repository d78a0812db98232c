import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  type NotificationSettings,
} from '../../../shared/api/alerts.js';

/** A user who may receive a notification, with their choices. */
export interface Recipient {
  userId: number;
  email: string;
  name: string;
  /** The organization role: `member`, `admin`, `manager` or `owner`. */
  role: string;
  settings: NotificationSettings;
}

const CHOICES: { [K in keyof NotificationSettings]: readonly NotificationSettings[K][] } = {
  alerts: ['always', 'never'],
  workflow: ['always', 'subscribe_only', 'never'],
  digest: ['never', 'daily', 'weekly'],
  crons: ['always', 'never'],
  quota: ['always', 'never'],
  selfNotifications: [true, false],
};

/** Reads stored rows over the defaults; a value that is not one of the choices is ignored. */
export function settingsFromRows(
  rows: readonly { key: string; value: string }[],
): NotificationSettings {
  const settings: Record<string, unknown> = { ...DEFAULT_NOTIFICATION_SETTINGS };
  for (const { key, value } of rows) {
    if (!Object.hasOwn(CHOICES, key)) {
      continue;
    }
    const choices = CHOICES[key as keyof NotificationSettings] as readonly unknown[];
    const parsed = key === 'selfNotifications' ? value === 'true' : value;
    if (choices.includes(parsed)) {
      settings[key] = parsed;
    }
  }
  return settings as unknown as NotificationSettings;
}

/** Loads the notification choices of users, with the defaults for what they never set. */
export async function loadNotificationSettings(
  db: Kysely<Database>,
  userIds: readonly number[],
): Promise<Map<number, NotificationSettings>> {
  const ids = [...new Set(userIds)];
  const rows =
    ids.length === 0
      ? []
      : await db
          .selectFrom('notificationSettings')
          .select(['userId', 'key', 'value'])
          .where('userId', 'in', ids)
          .execute();
  const byUser = new Map<number, { key: string; value: string }[]>();
  for (const row of rows) {
    const list = byUser.get(Number(row.userId)) ?? [];
    list.push(row);
    byUser.set(Number(row.userId), list);
  }
  return new Map(ids.map((id) => [id, settingsFromRows(byUser.get(id) ?? [])]));
}

async function withSettings(
  db: Kysely<Database>,
  rows: { userId: number; email: string; name: string; role: string }[],
): Promise<Recipient[]> {
  const settings = await loadNotificationSettings(
    db,
    rows.map((row) => Number(row.userId)),
  );
  return rows.map((row) => ({
    userId: Number(row.userId),
    email: row.email,
    name: row.name || row.email,
    role: row.role,
    settings: settings.get(Number(row.userId)) ?? DEFAULT_NOTIFICATION_SETTINGS,
  }));
}

/**
 * Lists the active users who can see a project: every member when the organization has open
 * membership, managers and owners always, and otherwise the members of the project's teams.
 * The same rule decides what the API shows them, so nobody hears about a project they cannot open.
 */
export async function loadProjectRecipients(
  db: Kysely<Database>,
  projectId: number,
): Promise<Recipient[]> {
  const project = await db
    .selectFrom('projects')
    .innerJoin('organizations', 'organizations.id', 'projects.organizationId')
    .select(['projects.organizationId', 'organizations.openMembership'])
    .where('projects.id', '=', projectId)
    .executeTakeFirst();
  if (project === undefined) {
    return [];
  }
  const members = await db
    .selectFrom('organizationMembers')
    .innerJoin('users', 'users.id', 'organizationMembers.userId')
    .select([
      'organizationMembers.id as memberId',
      'users.id as userId',
      'users.email',
      'users.name',
      'organizationMembers.role',
    ])
    .where('organizationMembers.organizationId', '=', project.organizationId)
    .where('users.isActive', '=', 1)
    .orderBy('users.id')
    .execute();

  let teamMemberIds = new Set<number>();
  if (Number(project.openMembership) === 0) {
    const rows = await db
      .selectFrom('teamMembers')
      .innerJoin('projectTeams', 'projectTeams.teamId', 'teamMembers.teamId')
      .select('teamMembers.memberId')
      .where('projectTeams.projectId', '=', projectId)
      .execute();
    teamMemberIds = new Set(rows.map((row) => Number(row.memberId)));
  }
  const visible = members.filter(
    (member) =>
      Number(project.openMembership) !== 0 ||
      member.role === 'manager' ||
      member.role === 'owner' ||
      teamMemberIds.has(Number(member.memberId)),
  );
  return withSettings(db, visible);
}

/** Lists the active owners of an organization. */
export async function loadOrganizationOwners(
  db: Kysely<Database>,
  organizationId: number,
): Promise<Recipient[]> {
  const rows = await db
    .selectFrom('organizationMembers')
    .innerJoin('users', 'users.id', 'organizationMembers.userId')
    .select(['users.id as userId', 'users.email', 'users.name', 'organizationMembers.role'])
    .where('organizationMembers.organizationId', '=', organizationId)
    .where('organizationMembers.role', '=', 'owner')
    .where('users.isActive', '=', 1)
    .orderBy('users.id')
    .execute();
  return withSettings(db, rows);
}
