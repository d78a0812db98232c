import type { Kysely } from 'kysely';

import type { Database, Dialect } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logger.js';
import type { ClaimedRecord } from '../../platform/queue/index.js';
import type { ItemRecordBody } from '../ingest/item-kinds.js';
import type { OutcomeCount, OutcomeKind } from '../ingest/outcome-recorder.js';

/** Context of a record processor besides its records: the storing transaction and outcomes. */
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

// Data category of each record kind, for outcomes counted before a processor reads the record.
const RECORD_CATEGORIES: Record<string, string> = {
  event: 'error',
  transaction: 'transaction',
  span: 'span',
  session: 'session',
  sessions: 'session',
  check_in: 'monitor',
  feedback: 'feedback',
  user_report: 'default',
  log: 'log_item',
  attachment: 'attachment',
};

/** Returns the outcome data category of a queue record kind. */
export function recordCategory(kind: string): string {
  return RECORD_CATEGORIES[kind] ?? 'default';
}

const parsedBodies = new WeakMap<ClaimedRecord, ItemRecordBody>();

/**
 * Parses the bodies of item records before they reach their processor. Records whose body is
 * not a JSON object with `meta` are counted as `invalid` and left out, so that no processor
 * meets one and fails its whole batch.
 */
export function readItemRecords(
  records: ClaimedRecord[],
  context: RecordProcessorContext,
): ClaimedRecord[] {
  const readable: ClaimedRecord[] = [];
  for (const record of records) {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      body = undefined;
    }
    const meta = (body as { meta?: unknown } | undefined)?.meta;
    if (typeof body !== 'object' || body === null || typeof meta !== 'object' || meta === null) {
      // The body is not logged, because it contains the client's data.
      context.log.error(
        { projectId: record.projectId, queueId: record.id, kind: record.kind },
        'queue record unreadable, counted as invalid',
      );
      context.count(record, 'invalid', 'processing_error', recordCategory(record.kind));
      continue;
    }
    parsedBodies.set(record, body as ItemRecordBody);
    readable.push(record);
  }
  return readable;
}

/** Returns the body of a record written in ingest's item format. */
export function parseItemRecord(record: ClaimedRecord): ItemRecordBody {
  return parsedBodies.get(record) ?? (JSON.parse(record.body) as ItemRecordBody);
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
