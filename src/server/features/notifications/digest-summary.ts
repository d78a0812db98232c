import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';

/** One issue listed in a digest. */
export interface DigestIssue {
  id: number;
  title: string;
  shortId: string;
  projectSlug: string;
  organizationSlug: string;
  /** The issue's event count: all its events when new or regressed, the period's when frequent. */
  events: number;
}

/** The issue activity of a user's projects in one period. */
export interface DigestSummary {
  newIssueCount: number;
  /** The new issues with the most events, at most `DIGEST_LIST_SIZE`. */
  newIssues: DigestIssue[];
  regressionCount: number;
  regressions: DigestIssue[];
  /** Issues with the most events in the period, from the hourly counts. */
  frequentIssues: DigestIssue[];
}

export const DIGEST_LIST_SIZE = 10;

const HOUR_MS = 3_600_000;

/** Returns whether a summary has nothing to report, in which case no digest is sent. */
export function isEmptyDigest(summary: DigestSummary): boolean {
  return (
    summary.newIssueCount === 0 &&
    summary.regressionCount === 0 &&
    summary.frequentIssues.length === 0
  );
}

function issueColumns(db: Kysely<Database>) {
  return db
    .selectFrom('issues')
    .innerJoin('projects', 'projects.id', 'issues.projectId')
    .innerJoin('organizations', 'organizations.id', 'projects.organizationId')
    .select([
      'issues.id',
      'issues.title',
      'issues.shortIdNumber',
      'issues.timesSeen',
      'projects.slug as projectSlug',
      'organizations.slug as organizationSlug',
    ]);
}

function toDigestIssue(
  row: {
    id: number;
    title: string;
    shortIdNumber: number;
    projectSlug: string;
    organizationSlug: string;
  },
  events: number,
): DigestIssue {
  return {
    id: Number(row.id),
    title: row.title,
    // The same short id as the issue API shows: the project slug and the number in base 36.
    shortId: `${row.projectSlug.toUpperCase()}-${Number(row.shortIdNumber).toString(36).toUpperCase()}`,
    projectSlug: row.projectSlug,
    organizationSlug: row.organizationSlug,
    events,
  };
}

/**
 * Summarizes the period from `since` (inclusive) to `until` (exclusive) in the given projects:
 * the issues first seen in it, the issues that regressed in it, and the issues with the most
 * events in it. Hourly counts are taken for every hour that overlaps the period.
 */
export async function summarizeDigest(
  db: Kysely<Database>,
  projectIds: readonly number[],
  since: number,
  until: number,
): Promise<DigestSummary> {
  if (projectIds.length === 0) {
    return {
      newIssueCount: 0,
      newIssues: [],
      regressionCount: 0,
      regressions: [],
      frequentIssues: [],
    };
  }

  const newCount = await db
    .selectFrom('issues')
    .select((eb) => eb.fn.countAll().as('count'))
    .where('projectId', 'in', projectIds)
    .where('firstSeen', '>=', since)
    .where('firstSeen', '<', until)
    .executeTakeFirst();
  const newRows = await issueColumns(db)
    .where('issues.projectId', 'in', projectIds)
    .where('issues.firstSeen', '>=', since)
    .where('issues.firstSeen', '<', until)
    .orderBy('issues.timesSeen', 'desc')
    .orderBy('issues.id')
    .limit(DIGEST_LIST_SIZE)
    .execute();

  // NOTE: issue_activity has no index on project and time, so this scans the table once per
  // user whose period ended, which hourly runs on small and medium installs can afford.
  const regressed = await db
    .selectFrom('issueActivity')
    .select('issueId')
    .distinct()
    .where('projectId', 'in', projectIds)
    .where('type', '=', 'set_regression')
    .where('createdAt', '>=', since)
    .where('createdAt', '<', until)
    .execute();
  const regressedIds = regressed.map((row) => Number(row.issueId));
  const regressionRows =
    regressedIds.length === 0
      ? []
      : await issueColumns(db)
          .where('issues.id', 'in', regressedIds)
          .orderBy('issues.timesSeen', 'desc')
          .orderBy('issues.id')
          .limit(DIGEST_LIST_SIZE)
          .execute();

  const counts = await db
    .selectFrom('issueHourlyCounts')
    .innerJoin('issues', 'issues.id', 'issueHourlyCounts.issueId')
    .select([
      'issueHourlyCounts.issueId',
      (eb) => eb.fn.sum<number>('issueHourlyCounts.count').as('events'),
    ])
    .where('issues.projectId', 'in', projectIds)
    .where('issueHourlyCounts.hour', '>', since - HOUR_MS)
    .where('issueHourlyCounts.hour', '<', until)
    .groupBy('issueHourlyCounts.issueId')
    .orderBy('events', 'desc')
    .orderBy('issueHourlyCounts.issueId')
    .limit(DIGEST_LIST_SIZE)
    .execute();
  const eventsByIssue = new Map(counts.map((row) => [Number(row.issueId), Number(row.events)]));
  const frequentRows =
    counts.length === 0
      ? []
      : await issueColumns(db)
          .where('issues.id', 'in', [...eventsByIssue.keys()])
          .execute();

  return {
    newIssueCount: Number(newCount?.count ?? 0),
    newIssues: newRows.map((row) => toDigestIssue(row, Number(row.timesSeen))),
    regressionCount: regressedIds.length,
    regressions: regressionRows.map((row) => toDigestIssue(row, Number(row.timesSeen))),
    frequentIssues: frequentRows
      .map((row) => toDigestIssue(row, eventsByIssue.get(Number(row.id)) ?? 0))
      .sort((a, b) => b.events - a.events || a.id - b.id),
  };
}

/**
 * Lists the projects a user can see: every project of organizations with open membership, every
 * project for managers and owners, and otherwise the projects of the user's teams. This is the
 * rule of `loadProjectRecipients`, seen from the user.
 */
export async function loadVisibleProjectIds(
  db: Kysely<Database>,
  userId: number,
): Promise<number[]> {
  const memberships = await db
    .selectFrom('organizationMembers')
    .innerJoin('organizations', 'organizations.id', 'organizationMembers.organizationId')
    .select([
      'organizationMembers.id as memberId',
      'organizationMembers.organizationId',
      'organizationMembers.role',
      'organizations.openMembership',
    ])
    .where('organizationMembers.userId', '=', userId)
    .execute();

  const ids = new Set<number>();
  for (const membership of memberships) {
    const seesAll =
      Number(membership.openMembership) !== 0 ||
      membership.role === 'manager' ||
      membership.role === 'owner';
    const rows = seesAll
      ? await db
          .selectFrom('projects')
          .select('id')
          .where('organizationId', '=', membership.organizationId)
          .execute()
      : await db
          .selectFrom('projectTeams')
          .innerJoin('teamMembers', 'teamMembers.teamId', 'projectTeams.teamId')
          .select('projectTeams.projectId as id')
          .where('teamMembers.memberId', '=', membership.memberId)
          .execute();
    for (const row of rows) {
      ids.add(Number(row.id));
    }
  }
  return [...ids].sort((a, b) => a - b);
}
