import type { Db } from '../../platform/db/index.js';

/** A delivery that this process claimed and now sends. */
export interface ClaimedDelivery {
  id: number;
  projectId: number | null;
  channel: string;
  target: string;
  payload: string;
  signingSecret: string | null;
  /** Attempts so far, this one included; it also identifies the claim. */
  attempts: number;
}

/** The result of one attempt to send a delivery. */
export type DeliveryOutcome =
  | { result: 'sent'; responseStatus: number | null }
  | { result: 'retry'; error: string; responseStatus: number | null; retryAfterMs?: number }
  | { result: 'failed'; error: string; responseStatus: number | null }
  /** Shutdown stopped the attempt, so it does not count and the row is due again at once. */
  | { result: 'interrupted' };

export interface ClaimOptions {
  now: number;
  /** How long the claim lasts; after it, another loop may take the row again. */
  claimMs: number;
  limit: number;
}

/**
 * Claims due deliveries: `pending` rows whose time has come, and `sending` rows whose claim ran
 * out because their sender died. Each claimed row becomes `sending` with one more attempt. On
 * PostgreSQL, `FOR UPDATE SKIP LOCKED` lets several workers claim at once without taking the
 * same row. SQLite runs one writer at a time, so the single statement is enough there.
 */
export async function claimDueDeliveries(
  db: Db,
  options: ClaimOptions,
): Promise<ClaimedDelivery[]> {
  const { now, claimMs, limit } = options;
  let due = db.kysely
    .selectFrom('notificationDeliveries')
    .select('id')
    .where('status', 'in', ['pending', 'sending'])
    .where('nextAttemptAt', '<=', now)
    .orderBy('nextAttemptAt')
    .limit(limit);

  // The loop polls every second, and an UPDATE would take SQLite's write lock even when it
  // changes nothing, so a plain read checks first whether anything is due.
  if ((await due.limit(1).executeTakeFirst()) === undefined) {
    return [];
  }
  if (db.dialect === 'postgres') {
    due = due.forUpdate().skipLocked();
  }

  const rows = await db.kysely
    .updateTable('notificationDeliveries')
    .set((eb) => ({
      status: 'sending',
      nextAttemptAt: now + claimMs,
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', 'in', due)
    .returning(['id', 'projectId', 'channel', 'target', 'payload', 'signingSecret', 'attempts'])
    .execute();
  return rows.map((row) => ({
    ...row,
    id: Number(row.id),
    projectId: row.projectId === null ? null : Number(row.projectId),
    attempts: Number(row.attempts),
  }));
}

export interface RecordOptions {
  now: number;
  /** Attempts in all before a retryable failure becomes final. */
  maxAttempts: number;
  /** Delay before attempt 2, 3 and so on; the last entry repeats. */
  backoffMs: readonly number[];
}

/**
 * Stores the outcome of an attempt. The update applies only while the row is still under this
 * claim (same status and attempt count), so a sender whose claim ran out cannot overwrite the
 * result of the loop that took the row over. Returns the status the row ended in, or undefined
 * when the claim was lost.
 */
export async function recordOutcome(
  db: Db,
  delivery: ClaimedDelivery,
  outcome: DeliveryOutcome,
  options: RecordOptions,
): Promise<'sent' | 'pending' | 'failed' | undefined> {
  const { status, values } = outcomeValues(delivery, outcome, options);
  const result = await db.kysely
    .updateTable('notificationDeliveries')
    .set({ status, ...values })
    .where('id', '=', delivery.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', delivery.attempts)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n ? status : undefined;
}

function outcomeValues(
  delivery: ClaimedDelivery,
  outcome: DeliveryOutcome,
  options: RecordOptions,
): {
  status: 'sent' | 'pending' | 'failed';
  values: {
    attempts?: number;
    nextAttemptAt?: number;
    lastError?: string;
    responseStatus?: number | null;
    finishedAt?: number;
  };
} {
  const { now } = options;
  switch (outcome.result) {
    case 'interrupted':
      return { status: 'pending', values: { attempts: delivery.attempts - 1, nextAttemptAt: now } };
    case 'sent':
      return {
        status: 'sent',
        values: { finishedAt: now, responseStatus: outcome.responseStatus },
      };
    case 'retry':
      if (delivery.attempts < options.maxAttempts) {
        const backoff =
          options.backoffMs[Math.min(delivery.attempts, options.backoffMs.length) - 1] ?? 0;
        return {
          status: 'pending',
          values: {
            nextAttemptAt: now + (outcome.retryAfterMs ?? backoff),
            lastError: outcome.error,
            responseStatus: outcome.responseStatus,
          },
        };
      }
      break;
    case 'failed':
      break;
  }
  return {
    status: 'failed',
    values: { finishedAt: now, lastError: outcome.error, responseStatus: outcome.responseStatus },
  };
}
