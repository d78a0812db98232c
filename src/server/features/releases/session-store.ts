import { sql, type Kysely } from 'kysely';

import type { Database, Dialect } from '../../platform/db/index.js';
import { findReleaseIds, releaseKey, upsertReleases } from './release-upsert.js';
import type { SessionContribution } from './session-parser.js';

const ROWS_PER_INSERT = 100;

/** A contribution with the project and receive time of the item it came from. */
export interface ProjectContribution {
  projectId: number;
  receivedAt: number;
  contribution: SessionContribution;
}

type HourRow = Database['releaseSessionHours'];
type UserRow = Database['releaseUsers'];

/**
 * Stores the session contributions of a batch in the caller's transaction: creates missing
 * releases, counts each errored session once, adds the hourly counts and records the users.
 * Every write is one statement per 100 rows of distinct keys.
 */
export async function storeSessionContributions(
  trx: Kysely<Database>,
  dialect: Dialect,
  items: ProjectContribution[],
): Promise<void> {
  if (items.length === 0) {
    return;
  }

  await upsertReleases(
    trx,
    dialect,
    items.map(({ projectId, receivedAt, contribution }) => ({
      projectId,
      version: contribution.release,
      seenAt: receivedAt,
      firstEvent: null,
      lastEvent: null,
    })),
  );
  const releaseIds = await findReleaseIds(
    trx,
    items.map(({ projectId, contribution }) => ({ projectId, version: contribution.release })),
  );

  const resolved = items.flatMap((item) => {
    const releaseId = releaseIds.get(releaseKey(item.projectId, item.contribution.release));
    return releaseId === undefined ? [] : [{ ...item, releaseId }];
  });

  const hours = new Map<string, HourRow>();
  for (const { releaseId, projectId, contribution } of resolved) {
    const row = hourRow(hours, releaseId, projectId, contribution.environment, contribution.hour);
    row.sessions += contribution.sessions;
    row.errored += contribution.erroredCount;
    row.crashed += contribution.crashed;
    row.abnormal += contribution.abnormal;
    row.unhandled += contribution.unhandled;
    row.exited += contribution.exited;
  }

  for (const errored of await insertErroredSessions(trx, resolved)) {
    hourRow(
      hours,
      errored.releaseId,
      errored.projectId,
      errored.environment,
      errored.hour,
    ).errored += 1;
  }

  await upsertHours(trx, [...hours.values()]);
  await upsertUsers(trx, dialect, collectUsers(resolved));
}

function hourRow(
  rows: Map<string, HourRow>,
  releaseId: number,
  projectId: number,
  environment: string,
  hour: number,
): HourRow {
  const key = `${releaseId}|${projectId}|${environment}|${hour}`;
  let row = rows.get(key);
  if (row === undefined) {
    row = {
      releaseId,
      projectId,
      environment,
      hour,
      sessions: 0,
      errored: 0,
      crashed: 0,
      abnormal: 0,
      unhandled: 0,
      exited: 0,
    };
    rows.set(key, row);
  }
  return row;
}

/**
 * Records the ids of errored sessions and returns those never recorded before, with the
 * environment and hour of the update that first reported them.
 */
async function insertErroredSessions(
  trx: Kysely<Database>,
  items: (ProjectContribution & { releaseId: number })[],
) {
  const firstReports = new Map<
    string,
    { releaseId: number; projectId: number; sessionId: string; environment: string; hour: number }
  >();
  for (const { releaseId, projectId, contribution } of items) {
    const sessionId = contribution.erroredSessionId;
    const key = `${releaseId}|${projectId}|${sessionId}`;
    if (sessionId !== undefined && !firstReports.has(key)) {
      const { environment, hour } = contribution;
      firstReports.set(key, { releaseId, projectId, sessionId, environment, hour });
    }
  }

  const reports = [...firstReports.values()];
  const inserted: typeof reports = [];
  for (let start = 0; start < reports.length; start += ROWS_PER_INSERT) {
    const chunk = reports.slice(start, start + ROWS_PER_INSERT);
    const rows = await trx
      .insertInto('releaseSessionErrors')
      .values(
        chunk.map(({ releaseId, projectId, sessionId, hour }) => ({
          releaseId,
          projectId,
          sessionId,
          hour,
        })),
      )
      .onConflict((conflict) =>
        conflict.columns(['releaseId', 'projectId', 'sessionId']).doNothing(),
      )
      .returning(['releaseId', 'projectId', 'sessionId'])
      .execute();

    for (const row of rows) {
      const report = firstReports.get(
        `${Number(row.releaseId)}|${Number(row.projectId)}|${row.sessionId}`,
      );
      if (report !== undefined) {
        inserted.push(report);
      }
    }
  }
  return inserted;
}

async function upsertHours(trx: Kysely<Database>, rows: HourRow[]) {
  const add = (column: string) =>
    sql<number>`${sql.ref(`release_session_hours.${column}`)} + ${sql.ref(`excluded.${column}`)}`;

  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    await trx
      .insertInto('releaseSessionHours')
      .values(rows.slice(start, start + ROWS_PER_INSERT))
      .onConflict((conflict) =>
        conflict.columns(['releaseId', 'projectId', 'environment', 'hour']).doUpdateSet({
          sessions: add('sessions'),
          errored: add('errored'),
          crashed: add('crashed'),
          abnormal: add('abnormal'),
          unhandled: add('unhandled'),
          exited: add('exited'),
        }),
      )
      .execute();
  }
}

function collectUsers(items: (ProjectContribution & { releaseId: number })[]): UserRow[] {
  const users = new Map<string, UserRow>();

  for (const { releaseId, projectId, contribution } of items) {
    const user = contribution.user;
    if (user === undefined) {
      continue;
    }

    const key = `${releaseId}|${projectId}|${contribution.environment}|${user.distinctId}`;
    const existing = users.get(key);
    const seenAt = contribution.seenAt;
    if (existing === undefined) {
      users.set(key, {
        releaseId,
        projectId,
        environment: contribution.environment,
        distinctId: user.distinctId,
        firstSeen: seenAt,
        lastSeen: seenAt,
        errored: user.errored ? 1 : 0,
        crashed: user.crashed ? 1 : 0,
        abnormal: user.abnormal ? 1 : 0,
      });
      continue;
    }

    existing.firstSeen = Math.min(existing.firstSeen, seenAt);
    existing.lastSeen = Math.max(existing.lastSeen, seenAt);
    existing.errored = Math.max(existing.errored, user.errored ? 1 : 0);
    existing.crashed = Math.max(existing.crashed, user.crashed ? 1 : 0);
    existing.abnormal = Math.max(existing.abnormal, user.abnormal ? 1 : 0);
  }
  return [...users.values()];
}

async function upsertUsers(trx: Kysely<Database>, dialect: Dialect, rows: UserRow[]) {
  const least = sql.raw(dialect === 'postgres' ? 'LEAST' : 'MIN');
  const greatest = sql.raw(dialect === 'postgres' ? 'GREATEST' : 'MAX');
  const combine = (fn: typeof least, column: string) =>
    sql<number>`${fn}(${sql.ref(`release_users.${column}`)}, ${sql.ref(`excluded.${column}`)})`;

  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    await trx
      .insertInto('releaseUsers')
      .values(rows.slice(start, start + ROWS_PER_INSERT))
      .onConflict((conflict) =>
        conflict.columns(['releaseId', 'projectId', 'environment', 'distinctId']).doUpdateSet({
          firstSeen: combine(least, 'first_seen'),
          lastSeen: combine(greatest, 'last_seen'),
          errored: combine(greatest, 'errored'),
          crashed: combine(greatest, 'crashed'),
          abnormal: combine(greatest, 'abnormal'),
        }),
      )
      .execute();
  }
}
