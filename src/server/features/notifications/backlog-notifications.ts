import type { Kysely } from 'kysely';

import type { QueueStatus } from '../../../shared/api/status.js';
import type { Database } from '../../platform/db/index.js';
import { isProcessingBehind } from '../operations/queue-status.js';
import { enqueueDeliveries } from './deliveries.js';
import { renderEmail } from './email-layout.js';
import { notificationSettingsUrl } from './links.js';
import { claimMark } from './notification-marks.js';
import { loadNotificationSettings, type Recipient } from './recipients.js';

const MARK_KEY = 'backlog';

/** A backlog episode that starts within this time of the last warning is not warned about. */
export const BACKLOG_COOL_DOWN_MS = 3_600_000;

/** Options of one run of the processing backlog warning. */
export interface BacklogNotificationOptions {
  /** The queue's backlog and lag now, or undefined when they could not be measured. */
  status: QueueStatus | undefined;
  /** `PICKET_QUEUE_MAX_BACKLOG`. */
  maxBacklog: number;
  /** The address links start with, from `notificationBaseUrl(config)`. */
  baseUrl: string;
  now: number;
}

/** The mark `backlog`: whether processing was behind at the last run and the last warning. */
interface BacklogMark {
  behind: boolean;
  /** Whether the current episode was warned about. */
  warned: boolean;
  warnedAt: number | null;
}

/**
 * Warns when processing falls behind, by the rule of the web app's banner: the oldest waiting
 * record is a minute old, or the backlog reached a tenth of `PICKET_QUEUE_MAX_BACKLOG`. The
 * backlog is the whole server's, so the warning goes to its superusers, or to the owners of every
 * organization when it has none, each with the `quota` setting `always`. One warning per episode
 * of being behind, and none within {@link BACKLOG_COOL_DOWN_MS} of the last. Returns whether a
 * warning was sent.
 */
export async function notifyProcessingBacklog(
  db: Kysely<Database>,
  options: BacklogNotificationOptions,
): Promise<boolean> {
  if (options.status === undefined) {
    return false;
  }
  const behind = isProcessingBehind(options.status, options.maxBacklog);
  const stored = await db
    .selectFrom('notificationMarks')
    .select('value')
    .where('key', '=', MARK_KEY)
    .executeTakeFirst();
  const mark = parseBacklogMark(stored?.value);
  const next = nextMark(mark, behind, options.now);
  if (next === undefined) {
    return false;
  }

  return db.transaction().execute(async (trx) => {
    const claimed = await claimMark(
      trx,
      MARK_KEY,
      stored?.value,
      JSON.stringify(next),
      options.now,
    );
    const isWarning = claimed && next.warned && next.warnedAt === options.now;
    if (isWarning && options.status !== undefined) {
      const recipients = await loadBacklogRecipients(trx);
      const payload = renderBacklogEmail(options.status, options.maxBacklog, options.baseUrl);
      await enqueueDeliveries(
        trx,
        recipients.map((recipient) => ({
          source: 'backlog',
          channel: 'email',
          target: recipient.email,
          payload,
          userId: recipient.userId,
        })),
        options.now,
      );
    }
    return isWarning;
  });
}

/** Returns the mark after this run, or undefined when it stays as it is. */
function nextMark(mark: BacklogMark, behind: boolean, now: number): BacklogMark | undefined {
  if (!behind) {
    return mark.behind ? { ...mark, behind: false, warned: false } : undefined;
  }
  if (mark.behind && mark.warned) {
    return undefined;
  }
  const isCoolingDown = mark.warnedAt !== null && now - mark.warnedAt < BACKLOG_COOL_DOWN_MS;
  if (isCoolingDown) {
    return mark.behind ? undefined : { ...mark, behind: true };
  }
  return { behind: true, warned: true, warnedAt: now };
}

function parseBacklogMark(value: string | undefined): BacklogMark {
  const empty: BacklogMark = { behind: false, warned: false, warnedAt: null };
  if (value === undefined) {
    return empty;
  }
  try {
    const parsed = JSON.parse(value) as Partial<BacklogMark>;
    return {
      behind: parsed.behind === true,
      warned: parsed.warned === true,
      warnedAt: typeof parsed.warnedAt === 'number' ? parsed.warnedAt : null,
    };
  } catch {
    return empty;
  }
}

/** Lists the active superusers, or else the owners of every organization, who want warnings. */
async function loadBacklogRecipients(db: Kysely<Database>): Promise<Recipient[]> {
  const superusers = await db
    .selectFrom('users')
    .select(['id as userId', 'email', 'name'])
    .where('isSuperuser', '=', 1)
    .where('isActive', '=', 1)
    .orderBy('id')
    .execute();
  const users =
    superusers.length > 0
      ? superusers
      : await db
          .selectFrom('organizationMembers')
          .innerJoin('users', 'users.id', 'organizationMembers.userId')
          .select(['users.id as userId', 'users.email', 'users.name'])
          .where('organizationMembers.role', '=', 'owner')
          .where('users.isActive', '=', 1)
          .distinct()
          .orderBy('users.id')
          .execute();

  const settings = await loadNotificationSettings(
    db,
    users.map((user) => Number(user.userId)),
  );
  return users
    .map((user) => ({
      userId: Number(user.userId),
      email: user.email,
      name: user.name || user.email,
      role: superusers.length > 0 ? 'superuser' : 'owner',
      settings: settings.get(Number(user.userId)),
    }))
    .filter((user): user is Recipient => user.settings?.quota === 'always');
}

function renderBacklogEmail(status: QueueStatus, maxBacklog: number, baseUrl: string) {
  return renderEmail({
    subject: '[Picket] Event processing is behind',
    heading: 'Event processing is behind',
    paragraphs: [
      'Picket receives events faster than its workers store them, so new events show up late.',
      maxBacklog > 0
        ? `Ingest starts to reject events with 429 once ${maxBacklog} records wait (PICKET_QUEUE_MAX_BACKLOG). Check that the workers run and what their logs say, or add workers.`
        : 'Check that the workers run and what their logs say, or add workers.',
    ],
    facts: [
      ['Records waiting', status.depth === null ? 'unknown' : String(status.depth)],
      [
        'Oldest waiting record',
        status.lagSeconds === null ? 'unknown' : `${status.lagSeconds} s old`,
      ],
      ['Backlog limit', maxBacklog > 0 ? String(maxBacklog) : 'off'],
    ],
    link: { label: 'Open Picket', url: `${baseUrl}/` },
    footer: `You receive this because you administer this Picket server and quota notifications are on. Change it at ${notificationSettingsUrl(baseUrl)}`,
  });
}
