import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';

const ROWS_PER_BATCH = 1_000;
// A run stops after this many batches and goes on at the next interval, so one run stays short.
const MAX_BATCHES = 100;

/**
 * Deletes finished deliveries (`sent` or `failed`) and rule firings older than `cutoff` (epoch
 * milliseconds), a batch at a time. Pending rows stay whatever their age. Returns the rows
 * deleted from each table.
 */
export async function pruneNotificationHistory(
  db: Kysely<Database>,
  cutoff: number,
): Promise<{ deliveries: number; firings: number }> {
  const deliveries = await deleteInBatches(() =>
    db
      .deleteFrom('notificationDeliveries')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('notificationDeliveries')
          .select('id')
          .where('status', 'in', ['sent', 'failed'])
          // A finished row's next_attempt_at is at most its last claim's end, so this narrows the
          // scan to the (status, next_attempt_at) index before the exact test on finished_at.
          .where('nextAttemptAt', '<', cutoff + 24 * 3_600_000)
          .where('finishedAt', '<', cutoff)
          .limit(ROWS_PER_BATCH),
      )
      .executeTakeFirst(),
  );
  const firings = await deleteInBatches(() =>
    db
      .deleteFrom('alertFirings')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('alertFirings')
          .select('id')
          .where('firedAt', '<', cutoff)
          .limit(ROWS_PER_BATCH),
      )
      .executeTakeFirst(),
  );
  return { deliveries, firings };
}

async function deleteInBatches(
  deleteBatch: () => Promise<{ numDeletedRows: bigint }>,
): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
    const deleted = Number((await deleteBatch()).numDeletedRows);
    total += deleted;
    if (deleted < ROWS_PER_BATCH) {
      break;
    }
  }
  return total;
}
