import { sql, type Kysely } from 'kysely';

import type { BlobStore } from '../../platform/blobs/index.js';
import type { Database, Dialect } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logger.js';
import type { ClaimedRecord } from '../../platform/queue/index.js';
import { evaluateAlertRules, type AlertOptions } from '../alerts/rule-engine.js';
// The worker imports the modules it runs rather than the features' index modules, which also
// load their HTTP routes and, through them, the account and organization code.
import { loadFilterConfigs } from '../filters/filter-cache.js';
import { shouldFilterEvent } from '../filters/inbound-filters.js';
import { loadGroupingRules } from '../grouping/rules-cache.js';
import type { OutcomeCount } from '../ingest/outcome-recorder.js';
import { partitionDiscardedEvents } from '../issues/issue-tombstone-cache.js';
import type { NormalizedEvent } from '../processing/event-types.js';
import type * as Symbolication from '../sourcemaps/symbolicate.js';
import { describeErrorSafely } from '../scrubbing/safe-error.js';
import { scrubEvent, scrubItemRecords } from '../scrubbing/scrub-records.js';
import { loadScrubbingConfigs } from '../scrubbing/scrubbing-repository.js';
import {
  buildScrubbingConfig,
  ORGANIZATION_DEFAULTS,
  PROJECT_DEFAULTS,
} from '../scrubbing/scrubbing-settings.js';
import {
  normalizeQueuedEvent,
  prepareNormalizedEvent,
  type PreparedEvent,
} from './prepare-event.js';
import { createProcessorContext, outcomeHour, readItemRecords } from './record-processors.js';
import { RECORD_PROCESSORS } from './record-processor-registry.js';
import { storeEvents, type StoreReport } from './store-events.js';

// Symbolication and its source-map and bundle readers load with the first batch of events, so a
// thread that has not yet processed one does not hold them.
let symbolication: Promise<typeof Symbolication> | undefined;

function loadSymbolication(): Promise<typeof Symbolication> {
  symbolication ??= import('../sourcemaps/symbolicate.js');
  return symbolication;
}

// The scrubbing config of a project that no row names, for example one deleted meanwhile.
const DEFAULT_SCRUBBING = buildScrubbingConfig(ORGANIZATION_DEFAULTS, PROJECT_DEFAULTS);

/**
 * Processes claimed queue records inside one transaction. Events are normalized and checked
 * against the project's inbound filters, which count a dropped event as `filtered` with the
 * filter's reason. The remaining events are symbolicated with the artifacts in `blobs` (without
 * it, JavaScript frames stay as sent), scrubbed of PII, grouped and stored. Item records are
 * scrubbed before their processors read them. Other kinds go to their
 * feature's processor, and outcome totals are added up. A record that cannot be prepared is
 * counted as invalid and skipped so that it never blocks the queue.
 */
export async function processRecords(
  trx: Kysely<Database>,
  dialect: Dialect,
  records: ClaimedRecord[],
  log: Logger,
  blobs?: BlobStore,
  alerts?: AlertOptions,
): Promise<number> {
  const prepared: PreparedEvent[] = [];
  const outcomes: OutcomeCount[] = [];
  const hour = outcomeHour;
  const otherKinds = new Map<string, ClaimedRecord[]>();
  const eventProjectIds = records
    .filter((record) => record.kind === 'event')
    .map((record) => record.projectId);
  const filters = await loadFilterConfigs(trx, eventProjectIds);
  const groupingRules = await loadGroupingRules(trx, eventProjectIds);
  const scrubbing = await loadScrubbingConfigs(
    trx,
    records.map((record) => record.projectId),
  );
  const accepted: { record: ClaimedRecord; event: NormalizedEvent }[] = [];
  const countFailedEvent = (record: ClaimedRecord, error: unknown) => {
    // The error's message can quote the unscrubbed event, so it is left out.
    log.error(
      { ...describeErrorSafely(error), projectId: record.projectId, queueId: record.id },
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
  };

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
        accepted.push({ record, event });
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
      countFailedEvent(record, error);
    }
  }

  // Grouping reads the mapped frames, so symbolication comes first. Its artifact reads come
  // before the batch's first write.
  if (accepted.length > 0) {
    const { symbolicateEvents } = await loadSymbolication();
    await symbolicateEvents(
      accepted.map(({ record, event }) => ({ projectId: record.projectId, event })),
      { db: trx, dialect, blobs, log },
    );
  }
  for (const { record, event } of accepted) {
    try {
      scrubEvent(event, scrubbing.get(record.projectId) ?? DEFAULT_SCRUBBING);
      prepared.push(
        prepareNormalizedEvent(
          record.projectId,
          record.receivedAt,
          event,
          groupingRules.get(record.projectId),
        ),
      );
    } catch (error) {
      countFailedEvent(record, error);
    }
  }

  const { kept, discarded } = await partitionDiscardedEvents(trx, prepared);
  for (const event of discarded) {
    outcomes.push({
      projectId: event.projectId,
      hour: hour(event.receivedAt),
      outcome: 'filtered',
      reason: 'discarded-hash',
      category: 'error',
      quantity: 1,
    });
  }
  const report: StoreReport = { issueIds: [], newIssueIds: new Set(), transitions: new Map() };
  const stored = await storeEvents(trx, dialect, kept, report);
  // Alert rules see the batch's issues as stored, in the same transaction, so a firing and its
  // outbox rows commit with the events or not at all. Without `alerts` (tools, old callers)
  // rules are not evaluated.
  if (alerts !== undefined) {
    await evaluateAlertRules(trx, dialect, { events: stored, ...report }, alerts);
  }
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
    scrubItemRecords(readable, scrubbing, DEFAULT_SCRUBBING);
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
