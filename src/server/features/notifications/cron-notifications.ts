import type { Kysely } from 'kysely';

import type { MonitorConfig } from '../../../shared/api/crons.js';
import type { Database } from '../../platform/db/index.js';
import type { CheckInRow, EnvironmentRow } from '../crons/check-in-store.js';
import { readStoredConfig } from '../crons/monitor-config.js';
import { renderCronEmail, type CronSubject } from './cron-message.js';
import { decideCronTransition, parseCronMark, type CronTransition } from './cron-state.js';
import { enqueueDeliveries, type NewDelivery } from './deliveries.js';
import { claimMark, readMarks } from './notification-marks.js';
import { loadProjectRecipients } from './recipients.js';

const MARK_PREFIX = 'cron:';

/** Options of one run of the cron monitor notification job. */
export interface CronNotificationOptions {
  /** The address links start with, from `notificationBaseUrl(config)`. */
  baseUrl: string;
  now: number;
}

interface Candidate extends CronSubject {
  organizationId: number;
  projectId: number;
  environmentRow: EnvironmentRow;
}

/**
 * Notifies the changes of cron monitors since the last run: a missed check-in (once per missed
 * slot), a failed or timed-out check-in, and the first ok check-in after either. Each change
 * becomes one e-mail to every user who can see the monitor's project and has the `crons`
 * setting `always`. Disabled and muted monitors are skipped. Returns the number of changes
 * notified.
 */
export async function notifyCronMonitors(
  db: Kysely<Database>,
  options: CronNotificationOptions,
): Promise<number> {
  const candidates = await loadCandidates(db);
  if (candidates.length === 0) {
    return 0;
  }
  const marks = await readMarks(db, MARK_PREFIX);

  let notified = 0;
  for (const candidate of candidates) {
    const key = `${MARK_PREFIX}${candidate.environmentRow.id}`;
    const stored = marks.get(key);
    const decision = decideCronTransition({
      environment: candidate.environmentRow,
      latest: candidate.latest,
      config: candidate.config,
      mark: parseCronMark(stored),
      now: options.now,
    });
    if (decision === undefined) {
      continue;
    }

    const claimed = await db.transaction().execute(async (trx) => {
      if (!(await claimMark(trx, key, stored, JSON.stringify(decision.mark), options.now))) {
        return false;
      }
      await enqueueDeliveries(
        trx,
        await buildDeliveries(trx, candidate, decision.transition, options.baseUrl),
        options.now,
      );
      return true;
    });
    notified += claimed ? 1 : 0;
  }
  return notified;
}

async function buildDeliveries(
  trx: Kysely<Database>,
  candidate: Candidate,
  transition: CronTransition,
  baseUrl: string,
): Promise<NewDelivery[]> {
  const recipients = await loadProjectRecipients(trx, candidate.projectId);
  const payload = renderCronEmail(transition, candidate, baseUrl);
  return recipients
    .filter((recipient) => recipient.settings.crons === 'always')
    .map((recipient) => ({
      source: 'cron',
      channel: 'email',
      target: recipient.email,
      payload,
      organizationId: candidate.organizationId,
      projectId: candidate.projectId,
      userId: recipient.userId,
    }));
}

/**
 * Loads the environments of enabled, unmuted monitors that have had a check-in, each with its
 * latest check-in. The latest check-in is found through the index on (environment, date).
 */
async function loadCandidates(db: Kysely<Database>): Promise<Candidate[]> {
  const rows = await db
    .selectFrom('monitorEnvironments')
    .innerJoin('monitors', 'monitors.id', 'monitorEnvironments.monitorId')
    .innerJoin('projects', 'projects.id', 'monitors.projectId')
    .innerJoin('organizations', 'organizations.id', 'monitors.organizationId')
    .selectAll('monitorEnvironments')
    .select((eb) => [
      'monitors.organizationId',
      'monitors.projectId',
      'monitors.slug as monitorSlug',
      'monitors.name as monitorName',
      'monitors.config',
      'projects.slug as projectSlug',
      'organizations.slug as organizationSlug',
      eb
        .selectFrom('monitorCheckIns')
        .select('monitorCheckIns.id')
        .whereRef('monitorCheckIns.monitorEnvironmentId', '=', 'monitorEnvironments.id')
        .orderBy('monitorCheckIns.dateCreated', 'desc')
        .orderBy('monitorCheckIns.id', 'desc')
        .limit(1)
        .as('latestCheckInId'),
    ])
    .where('monitors.status', '!=', 'disabled')
    .where('monitors.isMuted', '=', 0)
    .where('monitorEnvironments.lastCheckIn', 'is not', null)
    .execute();

  const latestIds = rows
    .map((row) => row.latestCheckInId)
    .filter((id): id is number => id !== null)
    .map(Number);
  const latest = new Map<number, CheckInRow>();
  for (let start = 0; start < latestIds.length; start += 500) {
    const checkIns = await db
      .selectFrom('monitorCheckIns')
      .selectAll()
      .where('id', 'in', latestIds.slice(start, start + 500))
      .execute();
    for (const checkIn of checkIns) {
      latest.set(Number(checkIn.id), checkIn);
    }
  }

  return rows.flatMap((row) => {
    const config = readConfig(row.config);
    return config === undefined ? [] : [toCandidate(row, config, latest)];
  });
}

type CandidateRow = EnvironmentRow & {
  organizationId: number;
  projectId: number;
  organizationSlug: string;
  projectSlug: string;
  monitorSlug: string;
  monitorName: string;
  latestCheckInId: number | null;
};

// A stored config that is not valid JSON skips that monitor rather than the whole run.
function readConfig(json: string): MonitorConfig | undefined {
  try {
    return readStoredConfig(json);
  } catch {
    return undefined;
  }
}

function toCandidate(
  row: CandidateRow,
  config: MonitorConfig,
  latest: Map<number, CheckInRow>,
): Candidate {
  return {
    organizationId: Number(row.organizationId),
    projectId: Number(row.projectId),
    organizationSlug: row.organizationSlug,
    projectSlug: row.projectSlug,
    monitorSlug: row.monitorSlug,
    monitorName: row.monitorName,
    environment: row.environment,
    config,
    latest: row.latestCheckInId === null ? undefined : latest.get(Number(row.latestCheckInId)),
    environmentRow: {
      id: row.id,
      monitorId: row.monitorId,
      environment: row.environment,
      status: row.status,
      dateCreated: row.dateCreated,
      lastCheckIn: row.lastCheckIn,
      nextCheckIn: row.nextCheckIn,
      nextCheckInLatest: row.nextCheckInLatest,
    },
  };
}
