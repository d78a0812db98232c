import type { Kysely } from 'kysely';
import { z } from 'zod';

import type { Database } from '../../platform/db/index.js';
import { ValidationError } from '../../platform/errors.js';
import { recordActivity, type UserSummary } from './issue-activity.js';
import { findLatestRelease } from './issue-release-order.js';

const MINUTES_PER_WEEK = 7 * 24 * 60;
const MINUTES_PER_YEAR = 365 * 24 * 60;

const count = z.number().int().positive().max(1_000_000_000);
const windowMinutes = z.number().int().positive().max(MINUTES_PER_WEEK);

/** Sentry's `statusDetails` as a request may send them; unknown keys are ignored. */
export const statusDetailsSchema = z.object({
  inNextRelease: z.boolean().optional(),
  inRelease: z.string().trim().min(1).max(250).optional(),
  ignoreCount: count.optional(),
  ignoreWindow: windowMinutes.optional(),
  ignoreUserCount: count.optional(),
  ignoreUserWindow: windowMinutes.optional(),
  ignoreDuration: z.number().int().positive().max(MINUTES_PER_YEAR).optional(),
  ignoreUntilEscalating: z.boolean().optional(),
});

export type RequestedStatusDetails = z.infer<typeof statusDetailsSchema>;

/**
 * Contents of `issues.status_details`: the wire fields of the current status, plus the release
 * and counters the worker decides regressions and unarchives by. Times are epoch milliseconds.
 */
export interface StoredStatusDetails {
  inNextRelease?: boolean;
  /** The project's latest release when the issue was resolved in the next release. */
  resolvedAfterRelease?: string | null;
  inRelease?: string;
  ignoreCount?: number;
  ignoreWindow?: number;
  ignoreUserCount?: number;
  ignoreUserWindow?: number;
  ignoreUntil?: number;
  ignoreUntilEscalating?: boolean;
  archivedAt?: number;
  /** `times_seen` and `user_count` when archived, which count and user conditions start from. */
  baseCount?: number;
  baseUserCount?: number;
  actorId?: number | null;
}

export function readStoredDetails(text: string | null): StoredStatusDetails {
  if (text === null || text === '') {
    return {};
  }
  return JSON.parse(text) as StoredStatusDetails;
}

/** Turns stored details into Sentry's `statusDetails`. */
export function presentStatusDetails(
  status: string,
  details: StoredStatusDetails,
  actor: UserSummary | null,
): Record<string, unknown> {
  const wire: Record<string, unknown> = {};
  if (status === 'resolved') {
    if (details.inNextRelease === true) {
      wire.inNextRelease = true;
    }
    if (details.inRelease !== undefined) {
      wire.inRelease = details.inRelease;
    }
  }
  if (status === 'ignored') {
    for (const key of [
      'ignoreCount',
      'ignoreWindow',
      'ignoreUserCount',
      'ignoreUserWindow',
      'ignoreUntilEscalating',
    ] as const) {
      if (details[key] !== undefined) {
        wire[key] = details[key];
      }
    }
    if (details.ignoreUntil !== undefined) {
      wire.ignoreUntil = new Date(details.ignoreUntil).toISOString();
    }
  }
  if (Object.keys(wire).length > 0 && actor !== null) {
    wire.actor = actor;
  }
  return wire;
}

/** A status change ready to store: the new columns and the activity entry to write. */
export interface StatusChange {
  status: 'resolved' | 'unresolved' | 'ignored';
  substatus: string | null;
  details: StoredStatusDetails;
  activity: { type: string; data: Record<string, unknown> };
}

interface IssueCounters {
  id: number;
  projectId: number;
  organizationId: number;
  timesSeen: number;
  userCount: number;
}

/**
 * Validates a requested status and builds the change for one issue. Resolving in the next
 * release stores the project's latest release at this moment. Resolving in a named release
 * requires that release to exist in the organization.
 * @throws ValidationError when the details contradict each other or name an unknown release.
 */
export async function planStatusChange(
  db: Kysely<Database>,
  issue: IssueCounters,
  request: { status: string; substatus?: string | null; statusDetails?: RequestedStatusDetails },
  actorId: number,
  now = Date.now(),
): Promise<StatusChange> {
  const details = request.statusDetails ?? {};

  if (request.status === 'unresolved') {
    return {
      status: 'unresolved',
      substatus: 'ongoing',
      details: {},
      activity: { type: 'set_unresolved', data: {} },
    };
  }

  if (request.status === 'resolvedInNextRelease' || request.status === 'resolved') {
    if (request.status === 'resolvedInNextRelease' || details.inNextRelease === true) {
      const latest = await findLatestRelease(db, issue.projectId);
      return {
        status: 'resolved',
        substatus: null,
        details: { inNextRelease: true, resolvedAfterRelease: latest, actorId },
        activity: { type: 'set_resolved_in_release', data: { inNextRelease: true, version: '' } },
      };
    }
    if (details.inRelease !== undefined) {
      const release = await db
        .selectFrom('releases')
        .select('id')
        .where('organizationId', '=', issue.organizationId)
        .where('version', '=', details.inRelease)
        .executeTakeFirst();
      if (release === undefined) {
        throw new ValidationError(
          `Release ${JSON.stringify(details.inRelease)} not found: resolve in a release that exists in the organization`,
        );
      }
      return {
        status: 'resolved',
        substatus: null,
        details: { inRelease: details.inRelease, actorId },
        activity: { type: 'set_resolved_in_release', data: { version: details.inRelease } },
      };
    }
    return {
      status: 'resolved',
      substatus: null,
      details: { actorId },
      activity: { type: 'set_resolved', data: {} },
    };
  }

  return planArchive(issue, request.substatus ?? null, details, actorId, now);
}

function planArchive(
  issue: IssueCounters,
  substatus: string | null,
  details: RequestedStatusDetails,
  actorId: number,
  now: number,
): StatusChange {
  const untilEscalating =
    details.ignoreUntilEscalating === true || substatus === 'archived_until_escalating';
  const conditions = [
    details.ignoreCount !== undefined,
    details.ignoreUserCount !== undefined,
    details.ignoreDuration !== undefined,
    untilEscalating,
  ].filter(Boolean).length;
  if (conditions > 1) {
    throw new ValidationError(
      'Invalid statusDetails: give at most one of ignoreCount, ignoreUserCount, ignoreDuration and ignoreUntilEscalating',
    );
  }
  if (details.ignoreWindow !== undefined && details.ignoreCount === undefined) {
    throw new ValidationError('Invalid statusDetails: ignoreWindow needs ignoreCount');
  }
  if (details.ignoreUserWindow !== undefined && details.ignoreUserCount === undefined) {
    throw new ValidationError('Invalid statusDetails: ignoreUserWindow needs ignoreUserCount');
  }

  const stored: StoredStatusDetails = { archivedAt: now, actorId };
  let newSubstatus = 'archived_forever';
  if (untilEscalating) {
    stored.ignoreUntilEscalating = true;
    newSubstatus = 'archived_until_escalating';
  } else if (details.ignoreCount !== undefined) {
    stored.ignoreCount = details.ignoreCount;
    stored.ignoreWindow = details.ignoreWindow;
    stored.baseCount = issue.timesSeen;
    newSubstatus = 'archived_until_condition_met';
  } else if (details.ignoreUserCount !== undefined) {
    stored.ignoreUserCount = details.ignoreUserCount;
    stored.ignoreUserWindow = details.ignoreUserWindow;
    stored.baseUserCount = issue.userCount;
    newSubstatus = 'archived_until_condition_met';
  } else if (details.ignoreDuration !== undefined) {
    stored.ignoreUntil = now + details.ignoreDuration * 60_000;
    newSubstatus = 'archived_until_condition_met';
  }

  return {
    status: 'ignored',
    substatus: newSubstatus,
    details: stored,
    activity: { type: 'set_ignored', data: presentStatusDetails('ignored', stored, null) },
  };
}

/** Stores a status change and writes its activity entry. */
export async function applyStatusChange(
  db: Kysely<Database>,
  issue: { id: number; projectId: number },
  change: StatusChange,
  actorId: number | null,
  now = Date.now(),
): Promise<void> {
  await db
    .updateTable('issues')
    .set({
      status: change.status,
      substatus: change.substatus,
      statusDetails:
        Object.keys(change.details).length === 0 ? null : JSON.stringify(change.details),
      resolvedAt: change.status === 'resolved' ? now : null,
    })
    .where('id', '=', issue.id)
    .execute();
  await recordActivity(
    db,
    {
      issueId: issue.id,
      projectId: issue.projectId,
      userId: actorId,
      type: change.activity.type,
      data: change.activity.data,
    },
    now,
  );
}
