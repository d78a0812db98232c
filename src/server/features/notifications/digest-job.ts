import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import { enqueueDeliveries } from './deliveries.js';
import { renderDigestEmail, type DigestPeriod } from './digest-email.js';
import { isEmptyDigest, loadVisibleProjectIds, summarizeDigest } from './digest-summary.js';
import { notificationSettingsUrl } from './links.js';
import { claimMark, readMark } from './notification-marks.js';

const PERIOD_MS: Record<DigestPeriod, number> = {
  daily: 86_400_000,
  weekly: 7 * 86_400_000,
};

export interface DigestRunOptions {
  /** The start of links in messages: `notificationBaseUrl(config)`. */
  baseUrl: string;
  /** The clock, for tests. */
  now?: () => number;
}

export interface DigestRunResult {
  /** Users whose period ended in this run. */
  due: number;
  /** Digests put into the outbox; a period without activity sends none. */
  enqueued: number;
}

/** Returns the `notification_marks` key that stores when a user's last digest period ended. */
export function digestMarkKey(userId: number): string {
  return `digest:${userId}`;
}

/**
 * Enqueues the digest of every user whose daily or weekly period has ended. A user seen for the
 * first time gets the current time as the start of their first period. Each period's digest
 * covers the user's visible projects from the end of the previous period (at most one period
 * ago) to now, and the end
 * is written in the transaction that enqueues, so of two processes only one sends it.
 */
export async function runDigests(
  db: Kysely<Database>,
  options: DigestRunOptions,
): Promise<DigestRunResult> {
  const now = (options.now ?? Date.now)();
  const result: DigestRunResult = { due: 0, enqueued: 0 };
  const users = await db
    .selectFrom('notificationSettings')
    .innerJoin('users', 'users.id', 'notificationSettings.userId')
    .select(['users.id', 'users.email', 'notificationSettings.value'])
    .where('notificationSettings.key', '=', 'digest')
    .where('notificationSettings.value', 'in', ['daily', 'weekly'])
    .where('users.isActive', '=', 1)
    .orderBy('users.id')
    .execute();

  for (const user of users) {
    const userId = Number(user.id);
    const period = user.value as DigestPeriod;
    const key = digestMarkKey(userId);
    const mark = await readMark(db, key);
    if (mark === undefined) {
      await claimMark(db, key, undefined, String(now), now);
      continue;
    }
    const since = Number(mark.value);
    if (now - since < PERIOD_MS[period]) {
      continue;
    }

    result.due += 1;
    // A digest covers one period at most, also after the setting was off or the worker stopped.
    const start = Math.max(since, now - PERIOD_MS[period]);
    const projectIds = await loadVisibleProjectIds(db, userId);
    const summary = await summarizeDigest(db, projectIds, start, now);
    const sent = await db.transaction().execute(async (trx) => {
      if (!(await claimMark(trx, key, mark.value, String(now), now))) {
        return false;
      }
      if (isEmptyDigest(summary)) {
        return false;
      }
      const payload = renderDigestEmail(
        summary,
        period,
        { since: start, until: now },
        { baseUrl: options.baseUrl, settingsUrl: notificationSettingsUrl(options.baseUrl) },
      );
      await enqueueDeliveries(
        trx,
        [{ source: 'digest', channel: 'email', target: user.email, payload, userId }],
        now,
      );
      return true;
    });
    if (sent) {
      result.enqueued += 1;
    }
  }
  return result;
}
