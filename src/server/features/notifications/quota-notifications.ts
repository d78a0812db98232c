import { sql, type Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import { enqueueDeliveries } from './deliveries.js';
import { claimMark, readMarks } from './notification-marks.js';
import { renderQuotaEmail, type QuotaWarning, type QuotaWarningReason } from './quota-message.js';
import { loadOrganizationOwners } from './recipients.js';

const HOUR_MS = 3_600_000;

/** Rejections this long after the last ones start a new spike protection episode. */
export const SPIKE_EPISODE_GAP_MS = 15 * 60_000;

const REASONS: readonly QuotaWarningReason[] = ['key_quota', 'project_quota', 'spike_protection'];

// Project ids per outcome query, each read through the primary key (project, hour, outcome).
const PROJECTS_PER_QUERY = 500;

/** Options of one run of the quota and spike protection warning job. */
export interface QuotaNotificationOptions {
  /** The address links start with, from `notificationBaseUrl(config)`. */
  baseUrl: string;
  now: number;
}

interface ProjectRow {
  projectId: number;
  projectSlug: string;
  organizationId: number;
  organizationSlug: string;
}

/** The spike mark `spike:<projectId>`: the rejections seen so far this hour, and when they grew. */
interface SpikeMark {
  hour: number;
  rejected: number;
  lastRejectedAt: number;
}

/**
 * Warns organization owners (with the `quota` setting `always`) when a project's events are
 * rejected by a rate limit or by spike protection, read from this hour's `rate_limited`
 * outcomes. A key or project rate limit is notified at most once per project, reason and hour.
 * Spike protection is notified once per episode: rejections after a pause of at least
 * {@link SPIKE_EPISODE_GAP_MS} start a new one. Returns the number of warnings sent.
 */
export async function notifyQuotaWarnings(
  db: Kysely<Database>,
  options: QuotaNotificationOptions,
): Promise<number> {
  const hour = Math.floor(options.now / HOUR_MS) * HOUR_MS;
  const projects = await db
    .selectFrom('projects')
    .innerJoin('organizations', 'organizations.id', 'projects.organizationId')
    .select([
      'projects.id as projectId',
      'projects.slug as projectSlug',
      'projects.organizationId',
      'organizations.slug as organizationSlug',
    ])
    .execute();
  const rejections = await loadRejections(
    db,
    projects.map((project) => Number(project.projectId)),
    hour,
  );
  if (rejections.length === 0) {
    return 0;
  }

  const byId = new Map(projects.map((project) => [Number(project.projectId), project]));
  const marks = new Map([...(await readMarks(db, 'quota:')), ...(await readMarks(db, 'spike:'))]);
  let sent = 0;
  for (const { projectId, reason, rejected } of rejections) {
    const project = byId.get(projectId);
    if (project === undefined) {
      continue;
    }
    const warning: QuotaWarning = {
      reason,
      organizationSlug: project.organizationSlug,
      projectSlug: project.projectSlug,
      rejected,
      hour,
    };
    const isSent =
      reason === 'spike_protection'
        ? await handleSpike(db, marks, project, warning, options)
        : await handleQuota(db, marks, project, warning, options);
    sent += isSent ? 1 : 0;
  }
  return sent;
}

async function loadRejections(
  db: Kysely<Database>,
  projectIds: readonly number[],
  hour: number,
): Promise<{ projectId: number; reason: QuotaWarningReason; rejected: number }[]> {
  const totals = [];
  for (let start = 0; start < projectIds.length; start += PROJECTS_PER_QUERY) {
    const rows = await db
      .selectFrom('outcomes')
      .select(['projectId', 'reason', sql<number | string>`sum(quantity)`.as('rejected')])
      .where('projectId', 'in', projectIds.slice(start, start + PROJECTS_PER_QUERY))
      .where('hour', '=', hour)
      .where('outcome', '=', 'rate_limited')
      .where('reason', 'in', REASONS)
      .groupBy(['projectId', 'reason'])
      .execute();
    totals.push(
      ...rows.map((row) => ({
        projectId: Number(row.projectId),
        reason: row.reason as QuotaWarningReason,
        rejected: Number(row.rejected),
      })),
    );
  }
  return totals.filter((total) => total.rejected > 0);
}

async function handleQuota(
  db: Kysely<Database>,
  marks: Map<string, string>,
  project: ProjectRow,
  warning: QuotaWarning,
  options: QuotaNotificationOptions,
): Promise<boolean> {
  const key = `quota:${project.projectId}:${warning.reason}`;
  const stored = marks.get(key);
  if (stored === String(warning.hour)) {
    return false;
  }
  return notifyOwners(db, { key, stored, next: String(warning.hour) }, project, warning, options);
}

async function handleSpike(
  db: Kysely<Database>,
  marks: Map<string, string>,
  project: ProjectRow,
  warning: QuotaWarning,
  options: QuotaNotificationOptions,
): Promise<boolean> {
  const key = `spike:${project.projectId}`;
  const stored = marks.get(key);
  const mark = parseSpikeMark(stored);
  const hasNewRejections =
    mark === undefined || mark.hour !== warning.hour || warning.rejected > mark.rejected;
  if (!hasNewRejections) {
    return false;
  }

  const next = JSON.stringify({
    hour: warning.hour,
    rejected: warning.rejected,
    lastRejectedAt: options.now,
  } satisfies SpikeMark);
  const isNewEpisode =
    mark === undefined || options.now - mark.lastRejectedAt >= SPIKE_EPISODE_GAP_MS;
  if (!isNewEpisode) {
    // The episode goes on: only move the mark, so its pause is measured from these rejections.
    await claimMark(db, key, stored, next, options.now);
    return false;
  }
  return notifyOwners(db, { key, stored, next }, project, warning, options);
}

function parseSpikeMark(value: string | undefined): SpikeMark | undefined {
  if (value === undefined) {
    return undefined;
  }
  try {
    const parsed = JSON.parse(value) as Partial<SpikeMark>;
    return typeof parsed.hour === 'number' &&
      typeof parsed.rejected === 'number' &&
      typeof parsed.lastRejectedAt === 'number'
      ? { hour: parsed.hour, rejected: parsed.rejected, lastRejectedAt: parsed.lastRejectedAt }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Claims the mark and enqueues the warning to the owners in one transaction. */
async function notifyOwners(
  db: Kysely<Database>,
  claim: { key: string; stored: string | undefined; next: string },
  project: ProjectRow,
  warning: QuotaWarning,
  options: QuotaNotificationOptions,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (!(await claimMark(trx, claim.key, claim.stored, claim.next, options.now))) {
      return false;
    }
    const owners = await loadOrganizationOwners(trx, Number(project.organizationId));
    const payload = renderQuotaEmail(warning, options.baseUrl);
    await enqueueDeliveries(
      trx,
      owners
        .filter((owner) => owner.settings.quota === 'always')
        .map((owner) => ({
          source: warning.reason === 'spike_protection' ? 'spike' : 'quota',
          channel: 'email',
          target: owner.email,
          payload,
          organizationId: Number(project.organizationId),
          projectId: Number(project.projectId),
          userId: owner.userId,
        })),
      options.now,
    );
    return true;
  });
}
