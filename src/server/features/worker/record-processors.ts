import type { Kysely } from 'kysely';

import type { Database, Dialect } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logger.js';
import type { ClaimedRecord } from '../../platform/queue/index.js';
import type { ItemRecordBody } from '../ingest/item-kinds.js';
import type { OutcomeCount, OutcomeKind } from '../ingest/outcome-recorder.js';

/** What a record processor gets besides its records: the storing transaction and outcomes. */
export interface RecordProcessorContext {
  trx: Kysely<Database>;
  dialect: Dialect;
  log: Logger;
  /** Counts an outcome for the record's project, in the record's hour. */
  count(
    record: ClaimedRecord,
    outcome: OutcomeKind,
    reason: string,
    category: string,
    quantity?: number,
  ): void;
}

/**
 * Stores the records of one kind, all within the batch's transaction. A record that cannot be
 * used is counted as `invalid` with a reason and skipped; only a storage failure may throw.
 */
export type RecordProcessor = (
  records: ClaimedRecord[],
  context: RecordProcessorContext,
) => Promise<void>;

/** Reads the body of a record written in ingest's item format. */
export function parseItemRecord(record: ClaimedRecord): ItemRecordBody {
  return JSON.parse(record.body) as ItemRecordBody;
}

export function outcomeHour(ms: number): number {
  return Math.floor(ms / 3_600_000) * 3_600_000;
}

/** Builds a context that collects counted outcomes into `outcomes`. */
export function createProcessorContext(
  trx: Kysely<Database>,
  dialect: Dialect,
  log: Logger,
  outcomes: OutcomeCount[],
): RecordProcessorContext {
  return {
    trx,
    dialect,
    log,
    count(record, outcome, reason, category, quantity = 1) {
      outcomes.push({
        projectId: record.projectId,
        hour: outcomeHour(record.receivedAt),
        outcome,
        reason,
        category,
        quantity,
      });
    },
  };
}
