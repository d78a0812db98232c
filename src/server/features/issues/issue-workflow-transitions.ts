import { sql, type Kysely, type RawBuilder } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import { recordActivity } from './issue-activity.js';
import { isReleaseNewer } from './issue-release-order.js';
import { readStoredDetails, type StoredStatusDetails } from './issue-workflow-status.js';

const HOUR_MS = 3_600_000;

/** How far behind the receive time an event's own timestamp may be and still count. */
const TIMESTAMP_SLACK_MS = HOUR_MS;

/**
 * An issue archived until escalating escalates when the last hour contains more than this many
 * events received after it was archived. Sentry forecasts a limit per issue from its history;
 * Picket uses this fixed one.
 */
export const ESCALATION_EVENTS_PER_HOUR = 10;

/** The stored events of one issue in the batch, with their releases. */
export interface IssueBatchEvents {
  issueId: number;
  releases: (string | null)[];
}

interface IssueState {
  id: number;
  projectId: number;
  organizationId: number;
  status: string;
  statusDetails: string | null;
  timesSeen: number;
  userCount: number;
}

/**
 * Reopens resolved and archived issues after the worker stored new events for them (inside the
 * worker's transaction, after the counters were updated). A resolved issue regresses unless
 * every new event belongs to a release the resolution covers. An archived issue returns to
 * unresolved when its condition is met: `escalating` for count, user and until-escalating
 * conditions, `ongoing` when its time ran out.
 */
export async function applyIssueTransitions(
  trx: Kysely<Database>,
  batch: IssueBatchEvents[],
  now = Date.now(),
): Promise<Map<number, string>> {
  // The issues reopened, with their new substatus, for the alert rules' conditions.
  const reopened = new Map<number, string>();
  if (batch.length === 0) {
    return reopened;
  }
  const states = await trx
    .selectFrom('issues')
    .innerJoin('projects', 'projects.id', 'issues.projectId')
    .select([
      'issues.id',
      'issues.projectId',
      'projects.organizationId',
      'issues.status',
      'issues.statusDetails',
      'issues.timesSeen',
      'issues.userCount',
    ])
    .where(
      'issues.id',
      'in',
      batch.map((entry) => entry.issueId),
    )
    .where('issues.status', 'in', ['resolved', 'ignored'])
    .execute();

  for (const state of states) {
    const releases = batch.find((entry) => entry.issueId === Number(state.id))?.releases ?? [];
    const issue: IssueState = {
      ...state,
      id: Number(state.id),
      projectId: Number(state.projectId),
      organizationId: Number(state.organizationId),
      timesSeen: Number(state.timesSeen),
      userCount: Number(state.userCount),
    };
    if (issue.status === 'resolved') {
      const release = await findRegressingRelease(trx, issue, releases);
      if (
        release !== undefined &&
        (await reopen(
          trx,
          issue,
          'regressed',
          'set_regression',
          release === null ? {} : { version: release },
          now,
        ))
      ) {
        reopened.set(issue.id, 'regressed');
      }
    } else {
      const substatus = await unarchiveIfDue(trx, issue, now);
      if (substatus !== undefined) {
        reopened.set(issue.id, substatus);
      }
    }
  }
  return reopened;
}

/**
 * Returns the release of the first event that regresses a resolved issue (null for an event
 * without release), or undefined when none does.
 */
async function findRegressingRelease(
  trx: Kysely<Database>,
  issue: IssueState,
  releases: (string | null)[],
): Promise<string | null | undefined> {
  const details = readStoredDetails(issue.statusDetails);
  for (const release of releases) {
    if (details.inNextRelease === true) {
      // Events without a release, or of the release that was latest when resolved or an older
      // one, run code without the fix. With no release then, any release is newer.
      const after = details.resolvedAfterRelease;
      if (
        release !== null &&
        (after === undefined ||
          after === null ||
          (await isReleaseNewer(trx, issue.organizationId, release, after)))
      ) {
        return release;
      }
    } else if (details.inRelease !== undefined) {
      // The fix ships in `inRelease`: its own events and those of newer releases regress.
      if (
        release !== null &&
        (release === details.inRelease ||
          (await isReleaseNewer(trx, issue.organizationId, release, details.inRelease)))
      ) {
        return release;
      }
    } else {
      return release;
    }
  }
  return undefined;
}

/** Reopens an archived issue whose condition is met; returns its new substatus, if reopened. */
async function unarchiveIfDue(
  trx: Kysely<Database>,
  issue: IssueState,
  now: number,
): Promise<string | undefined> {
  const details = readStoredDetails(issue.statusDetails);
  if (details.ignoreUntil !== undefined) {
    if (
      now >= details.ignoreUntil &&
      (await reopen(trx, issue, 'ongoing', 'set_unresolved', {}, now))
    ) {
      return 'ongoing';
    }
    return undefined;
  }
  if (
    (await isConditionMet(trx, issue, details, now)) &&
    (await reopen(trx, issue, 'escalating', 'set_escalating', {}, now))
  ) {
    return 'escalating';
  }
  return undefined;
}

async function isConditionMet(
  trx: Kysely<Database>,
  issue: IssueState,
  details: StoredStatusDetails,
  now: number,
): Promise<boolean> {
  const archivedAt = details.archivedAt ?? 0;

  if (details.ignoreCount !== undefined) {
    if (details.ignoreWindow === undefined) {
      return issue.timesSeen - (details.baseCount ?? 0) >= details.ignoreCount;
    }
    const since = Math.max(archivedAt, now - details.ignoreWindow * 60_000);
    const count = await countEventsReceivedSince(trx, issue.id, since, sql`count(*)`);
    return count >= details.ignoreCount;
  }

  if (details.ignoreUserCount !== undefined) {
    if (details.ignoreUserWindow === undefined) {
      return issue.userCount - (details.baseUserCount ?? 0) >= details.ignoreUserCount;
    }
    const since = Math.max(archivedAt, now - details.ignoreUserWindow * 60_000);
    const users = await countEventsReceivedSince(
      trx,
      issue.id,
      since,
      sql`count(DISTINCT user_tag)`,
    );
    return users >= details.ignoreUserCount;
  }

  if (details.ignoreUntilEscalating === true) {
    const since = Math.max(archivedAt, now - HOUR_MS);
    const count = await countEventsReceivedSince(trx, issue.id, since, sql`count(*)`);
    return count > ESCALATION_EVENTS_PER_HOUR;
  }
  return false;
}

/**
 * Counts an issue's events received since `since` with the given aggregate. Events whose own
 * timestamp is more than `TIMESTAMP_SLACK_MS` older than `since` are left out, so the query
 * reads only recent rows of the `(issue_id, timestamp)` index instead of the whole issue.
 */
async function countEventsReceivedSince(
  trx: Kysely<Database>,
  issueId: number,
  since: number,
  aggregate: RawBuilder<unknown>,
): Promise<number> {
  const row = await trx
    .selectFrom('events')
    .select(aggregate.as('count'))
    .where('issueId', '=', issueId)
    .where('timestamp', '>=', since - TIMESTAMP_SLACK_MS)
    .where('receivedAt', '>=', since)
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

async function reopen(
  trx: Kysely<Database>,
  issue: IssueState,
  substatus: string,
  activityType: string,
  data: Record<string, unknown>,
  now: number,
): Promise<boolean> {
  // The status condition keeps a concurrent change made through the API from being overwritten.
  const result = await trx
    .updateTable('issues')
    .set({ status: 'unresolved', substatus, statusDetails: null, resolvedAt: null })
    .where('id', '=', issue.id)
    .where('status', '=', issue.status)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) {
    return false;
  }
  await recordActivity(
    trx,
    { issueId: issue.id, projectId: issue.projectId, userId: null, type: activityType, data },
    now,
  );
  return true;
}

/**
 * Unarchives the issues archived for a time that has run out, for the worker's periodic sweep.
 * Returns how many issues it reopened. `issues_status_substatus` finds the candidates.
 */
export async function unarchiveExpiredIssues(
  db: Kysely<Database>,
  now = Date.now(),
): Promise<number> {
  const rows = await db
    .selectFrom('issues')
    .select(['id', 'projectId', 'statusDetails'])
    .where('status', '=', 'ignored')
    .where('substatus', '=', 'archived_until_condition_met')
    .where('statusDetails', 'like', '%"ignoreUntil"%')
    .execute();
  let reopened = 0;
  for (const row of rows) {
    const details = readStoredDetails(row.statusDetails);
    if (details.ignoreUntil === undefined || now < details.ignoreUntil) {
      continue;
    }
    await db.transaction().execute(async (trx) => {
      const state: IssueState = {
        id: Number(row.id),
        projectId: Number(row.projectId),
        organizationId: 0,
        status: 'ignored',
        statusDetails: row.statusDetails,
        timesSeen: 0,
        userCount: 0,
      };
      await reopen(trx, state, 'ongoing', 'set_unresolved', {}, now);
    });
    reopened += 1;
  }
  return reopened;
}
