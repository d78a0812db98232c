import type { ClaimedRecord } from '../../platform/queue/index.js';
import {
  loadFilterConfigs,
  shouldFilterTransaction,
  type FilterReason,
  type InboundFilterConfig,
} from '../filters/index.js';
import type { ItemRecordBody } from '../ingest/item-kinds.js';
import { computeClockDrift } from '../processing/normalize-timestamp.js';
import { isRecord } from '../processing/normalize-values.js';
import {
  parseItemRecord,
  type RecordProcessor,
  type RecordProcessorContext,
} from '../worker/record-processors.js';
import type { PreparedSpan } from './normalize-span.js';
import { normalizeTransaction, type PreparedTransaction } from './normalize-transaction.js';
import {
  segmentEventId,
  segmentTransactionName,
  toSegmentTransactionRow,
  toSpanRow,
  toTransactionRow,
  type RowOrigin,
  type SpanInsert,
  type TransactionInsert,
} from './performance-rows.js';
import { insertSpans, insertTransactions, transactionKey } from './performance-store.js';
import { readSpanItem, type SpanItemResult } from './read-span-item.js';
import {
  MAX_ENUM_CHARS,
  MAX_NAME_CHARS,
  readText,
  readTraceId,
  resolveTimeShift,
} from './trace-values.js';

interface TransactionEntry {
  record: ClaimedRecord;
  transaction: PreparedTransaction;
  origin: RowOrigin;
  clientIp: string | undefined;
}

function readOrigin(record: ClaimedRecord, body: ItemRecordBody): RowOrigin {
  const sdk = isRecord(body.meta.sdk) ? body.meta.sdk : {};
  return {
    projectId: record.projectId,
    receivedAt: record.receivedAt,
    sdkName: typeof sdk.name === 'string' ? sdk.name : undefined,
    sdkVersion: typeof sdk.version === 'string' ? sdk.version : undefined,
  };
}

/** Reads one transaction record; returns undefined after counting it when it is unusable. */
function prepareTransactionRecord(
  record: ClaimedRecord,
  context: RecordProcessorContext,
): TransactionEntry | undefined {
  let body: ItemRecordBody;
  try {
    body = parseItemRecord(record);
  } catch (error) {
    context.log.error({ err: error, projectId: record.projectId }, 'transaction record unreadable');
    context.count(record, 'invalid', 'processing_error', 'transaction');
    return undefined;
  }

  const item = isRecord(body.item) ? body.item : {};
  let result: ReturnType<typeof normalizeTransaction>;
  try {
    result = normalizeTransaction(item, {
      eventId: body.meta.eventId,
      receivedAt: record.receivedAt,
      sentAt: body.meta.sentAt,
      clientIp: body.meta.clientIp,
      client: body.meta.client,
    });
  } catch (error) {
    // normalizeTransaction rejects bad data without throwing, so this is a bug it ran into.
    context.log.error({ err: error, projectId: record.projectId }, 'transaction processing failed');
    context.count(record, 'invalid', 'processing_error', 'transaction');
    return undefined;
  }

  if (!result.ok) {
    context.log.info(
      { projectId: record.projectId, reason: result.reason, detail: result.detail },
      'transaction rejected',
    );
    context.count(record, 'invalid', result.reason, 'transaction');
    return undefined;
  }

  return {
    record,
    transaction: result.transaction,
    origin: readOrigin(record, body),
    clientIp: body.meta.clientIp,
  };
}

/**
 * Stores `transaction` records: the transaction in `transactions`, its child spans in `spans`.
 * A transaction whose project and event id are stored already is skipped. Counts `accepted`
 * outcomes in the `transaction` category and, as Relay does, its spans plus the root span in
 * the `span` category.
 */
export const processTransactionRecords: RecordProcessor = async (records, context) => {
  const filters = await loadFilterConfigs(
    context.trx,
    records.map((record) => record.projectId),
  );
  const entries: TransactionEntry[] = [];
  for (const record of records) {
    const entry = prepareTransactionRecord(record, context);
    if (entry === undefined) {
      continue;
    }
    const config = filters.get(record.projectId);
    const filteredBy =
      config === undefined
        ? undefined
        : shouldFilterTransaction(entry.transaction.payload, config, entry.clientIp);
    if (filteredBy === undefined) {
      entries.push(entry);
    } else {
      context.count(record, 'filtered', filteredBy, 'transaction');
    }
  }

  const inserted = await insertTransactions(
    context.trx,
    entries.map((entry) => toTransactionRow(entry.transaction, entry.origin)),
  );

  const spanRows: SpanInsert[] = [];
  for (const { record, transaction, origin } of entries) {
    const key = transactionKey(record.projectId, transaction.eventId);
    if (!inserted.delete(key)) {
      continue;
    }
    for (const span of transaction.spans) {
      spanRows.push(toSpanRow(span, origin, transaction.eventId));
    }
    context.count(record, 'accepted', '', 'transaction');
    context.count(record, 'accepted', '', 'span', transaction.spans.length + 1);
  }

  await insertSpans(context.trx, spanRows);
};

interface SpanEntry {
  record: ClaimedRecord;
  spans: PreparedSpan[];
  origin: RowOrigin;
  clientIp: string | undefined;
}

/** Reads one span record, counts its rejected spans and returns the valid ones, shifted. */
function prepareSpanRecord(
  record: ClaimedRecord,
  context: RecordProcessorContext,
): SpanEntry | undefined {
  let body: ItemRecordBody;
  let result: SpanItemResult;
  try {
    body = parseItemRecord(record);
    const dsc = isRecord(body.meta.trace) ? body.meta.trace : {};
    result = readSpanItem(body.item, body.meta.itemHeaders, readTraceId(dsc.trace_id));
  } catch (error) {
    // readSpanItem rejects bad spans without throwing, so this is an unreadable record or a bug.
    context.log.error({ err: error, projectId: record.projectId }, 'span processing failed');
    context.count(record, 'invalid', 'processing_error', 'span');
    return undefined;
  }

  for (const [reason, quantity] of result.rejected) {
    context.count(record, 'invalid', reason, 'span', quantity);
  }
  if (result.rejected.size > 0) {
    context.log.info(
      { projectId: record.projectId, reasons: Object.fromEntries(result.rejected) },
      'spans rejected',
    );
  }
  if (result.spans.length === 0) {
    return undefined;
  }

  const dsc = isRecord(body.meta.trace) ? body.meta.trace : {};
  const receivedSeconds = record.receivedAt / 1000;
  const drift = computeClockDrift(body.meta.sentAt, receivedSeconds);
  const latestEnd = Math.max(...result.spans.map((span) => span.end));
  const shift = resolveTimeShift(latestEnd, receivedSeconds, drift);
  const release = readText(dsc.release, MAX_NAME_CHARS) ?? null;
  const environment = readText(dsc.environment, MAX_ENUM_CHARS) ?? null;

  for (const span of result.spans) {
    span.start += shift.seconds;
    span.end += shift.seconds;
    span.release ??= release;
    span.environment ??= environment;
  }

  return {
    record,
    spans: result.spans,
    origin: readOrigin(record, body),
    clientIp: body.meta.clientIp,
  };
}

/**
 * Runs the inbound filters for transactions (health checks, releases, ...) on the segment spans
 * of a span item, as on the transaction each one stands for. Returns the filter that drops each
 * filtered segment, keyed by its span id; the spans of that segment in the item are dropped
 * with it.
 */
function filterSegments(entry: SpanEntry, config: InboundFilterConfig): Map<string, FilterReason> {
  const filtered = new Map<string, FilterReason>();
  for (const span of entry.spans) {
    if (!span.isSegment) {
      continue;
    }
    const reason = shouldFilterTransaction(
      {
        type: 'transaction',
        transaction: segmentTransactionName(span),
        release: span.release ?? undefined,
        environment: span.environment ?? undefined,
      },
      config,
      entry.clientIp,
    );
    if (reason !== undefined) {
      filtered.set(span.spanId, reason);
    }
  }
  return filtered;
}

/**
 * Stores `span` records (a v1 span, or a v2 container of span streaming or OTLP traces) in
 * `spans`. A segment span also gets a row in `transactions`, so that the transaction list shows
 * the work of SDKs that stream spans. Counts `accepted` outcomes in the `span` category.
 */
export const processSpanRecords: RecordProcessor = async (records, context) => {
  const spanRows: SpanInsert[] = [];
  const segmentRows: TransactionInsert[] = [];
  const filters = await loadFilterConfigs(
    context.trx,
    records.map((record) => record.projectId),
  );

  for (const record of records) {
    const entry = prepareSpanRecord(record, context);
    if (entry === undefined) {
      continue;
    }

    const config = filters.get(record.projectId);
    const filtered =
      config === undefined ? new Map<string, FilterReason>() : filterSegments(entry, config);
    let accepted = 0;
    for (const span of entry.spans) {
      const reason = span.segmentId === null ? undefined : filtered.get(span.segmentId);
      if (reason !== undefined) {
        context.count(record, 'filtered', reason, 'span');
        continue;
      }
      const eventId = span.segmentId === null ? null : segmentEventId(span.traceId, span.segmentId);
      spanRows.push(toSpanRow(span, entry.origin, eventId));
      if (span.isSegment) {
        segmentRows.push(toSegmentTransactionRow(span, entry.origin));
      }
      accepted += 1;
    }
    if (accepted > 0) {
      context.count(record, 'accepted', '', 'span', accepted);
    }
  }

  await insertTransactions(context.trx, segmentRows);
  await insertSpans(context.trx, spanRows);
};
