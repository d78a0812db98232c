import { sql, type Kysely } from 'kysely';

import type { Database, Dialect } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logger.js';
import type { ClaimedRecord } from '../../platform/queue/index.js';
import { loadFilterConfigs, shouldFilterEvent } from '../filters/index.js';
import type { OutcomeCount } from '../ingest/outcome-recorder.js';
import {
  normalizeQueuedEvent,
  prepareNormalizedEvent,
  type PreparedEvent,
} from './prepare-event.js';
import { createProcessorContext, outcomeHour, readItemRecords } from './record-processors.js';
import { RECORD_PROCESSORS } from './record-processor-registry.js';
import { storeEvents } from './store-events.js';

/**
 * Processes claimed queue records inside one transaction. Events are normalized and checked
 * against the project's inbound filters, which count a dropped event as `filtered` with the
 * filter's reason. The remaining events are grouped and stored. Other kinds go to their
 * feature's processor, and outcome totals are added up. A record that cannot be prepared is
 * counted as invalid and skipped so that it never blocks the queue.
 */
export async function processRecords(
  trx: Kysely<Database>,
  dialect: Dialect,
  records: ClaimedRecord[],
  log: Logger,
): Promise<number> {
  const prepared: PreparedEvent[] = [];
  const outcomes: OutcomeCount[] = [];
  const hour = outcomeHour;
  const otherKinds = new Map<string, ClaimedRecord[]>();
  const filters = await loadFilterConfigs(
    trx,
    records.filter((record) => record.kind === 'event').map((record) => record.projectId),
  );

  for (const record of records) {
    if (record.kind === 'outcomes') {
      outcomes.push(...(JSON.parse(record.body) as OutcomeCount[]));
      continue;
    }
    if (record.kind !== 'event') {
      const group = otherKinds.get(record.kind);
      if (group === undefined) {
        otherKinds.set(record.kind, [record]);
      } else {
        group.push(record);
      }
      continue;
    }

    try {
      const { meta, event } = normalizeQueuedEvent(record.receivedAt, record.body);
      const config = filters.get(record.projectId);
      const filteredBy =
        config === undefined ? undefined : shouldFilterEvent(event, config, meta.clientIp);
      if (filteredBy === undefined) {
        prepared.push(prepareNormalizedEvent(record.projectId, record.receivedAt, event));
      } else {
        outcomes.push({
          projectId: record.projectId,
          hour: hour(record.receivedAt),
          outcome: 'filtered',
          reason: filteredBy,
          category: 'error',
          quantity: 1,
        });
      }
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

  const context = createProcessorContext(trx, dialect, log, outcomes);
  for (const [kind, group] of otherKinds) {
    const processor = RECORD_PROCESSORS.get(kind);
    if (processor === undefined) {
      log.error({ kind, records: group.length }, 'no processor for queue record kind');
      for (const record of group) {
        context.count(record, 'invalid', 'unknown_record_kind', 'default');
      }
      continue;
    }
    const readable = readItemRecords(group, context);
    if (readable.length > 0) {
      await processor(readable, context);
    }
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
