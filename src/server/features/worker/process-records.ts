import { sql, type Kysely } from 'kysely';

import type { Database, Dialect } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logger.js';
import type { ClaimedRecord } from '../../platform/queue/index.js';
import type { OutcomeCount } from '../ingest/outcome-recorder.js';
import { prepareEvent, type PreparedEvent } from './prepare-event.js';
import { storeEvents } from './store-events.js';

/**
 * Processes claimed queue records inside one transaction: events are prepared and stored,
 * outcome totals are added up. A record that cannot be prepared is counted as invalid and
 * skipped so that it never blocks the queue.
 */
export async function processRecords(
  trx: Kysely<Database>,
  dialect: Dialect,
  records: ClaimedRecord[],
  log: Logger,
): Promise<number> {
  const prepared: PreparedEvent[] = [];
  const outcomes: OutcomeCount[] = [];
  const hour = (ms: number) => Math.floor(ms / 3_600_000) * 3_600_000;

  for (const record of records) {
    if (record.kind === 'outcomes') {
      outcomes.push(...(JSON.parse(record.body) as OutcomeCount[]));
      continue;
    }

    try {
      prepared.push(prepareEvent(record.projectId, record.receivedAt, record.body));
    } catch (error) {
      log.error(
        { err: error, projectId: record.projectId, queueId: record.id },
        'event processing failed',
      );
      outcomes.push({
        projectId: record.projectId,
        hour: hour(record.receivedAt),
        outcome: 'invalid',
        reason: 'processing_error',
        category: 'error',
        quantity: 1,
      });
    }
  }

  const stored = await storeEvents(trx, dialect, prepared);
  for (const event of stored) {
    outcomes.push({
      projectId: event.projectId,
      hour: hour(event.receivedAt),
      outcome: 'accepted',
      reason: '',
      category: 'error',
      quantity: 1,
    });
  }
  await addOutcomes(trx, outcomes);

  return stored.length;
}

export async function addOutcomes(trx: Kysely<Database>, outcomes: OutcomeCount[]): Promise<void> {
  const totals = new Map<string, OutcomeCount>();
  for (const outcome of outcomes) {
    const key = `${outcome.projectId}|${outcome.hour}|${outcome.outcome}|${outcome.reason}|${outcome.category}`;
    const existing = totals.get(key);
    if (existing === undefined) {
      totals.set(key, { ...outcome });
    } else {
      existing.quantity += outcome.quantity;
    }
  }

  if (totals.size === 0) {
    return;
  }

  await trx
    .insertInto('outcomes')
    .values([...totals.values()])
    .onConflict((conflict) =>
      conflict
        .columns(['projectId', 'hour', 'outcome', 'reason', 'category'])
        .doUpdateSet({ quantity: sql`outcomes.quantity + excluded.quantity` }),
    )
    .execute();
}
