import type { Selectable } from 'kysely';

import type { TraceSpan, TransactionSummary } from '../../../shared/api/performance.js';
import type { TransactionsTable } from '../../platform/db/tables/performance.js';
import { readPayload, serializeEvent } from '../events/index.js';
import type { SpanRow, TransactionRow } from './transaction-repository.js';

type Json = Record<string, unknown>;

const msToSeconds = (ms: number) => ms / 1000;

function parseObject(text: string | null): Record<string, unknown> | null {
  if (text === null) {
    return null;
  }
  const value: unknown = JSON.parse(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** Builds an entry of the transaction list. */
export function serializeTransactionSummary(
  row: TransactionRow,
  projectSlug: string,
): TransactionSummary {
  return {
    eventID: row.eventId,
    projectID: String(row.projectId),
    projectSlug,
    traceID: row.traceId,
    spanID: row.spanId,
    parentSpanID: row.parentSpanId,
    transaction: row.name,
    op: row.op,
    status: row.status,
    startTimestamp: msToSeconds(row.startMs),
    endTimestamp: msToSeconds(row.endMs),
    duration: row.durationMs,
    release: row.release,
    environment: row.environment,
    platform: row.platform,
    user: row.userTag,
    dateCreated: new Date(row.endMs).toISOString(),
  };
}

export function serializeTraceSpan(row: SpanRow, projectSlug: string): TraceSpan {
  return {
    spanID: row.spanId,
    parentSpanID: row.parentSpanId,
    traceID: row.traceId,
    projectID: String(row.projectId),
    projectSlug,
    op: row.op,
    description: row.name,
    status: row.status,
    kind: row.kind,
    origin: row.origin,
    startTimestamp: msToSeconds(row.startMs),
    endTimestamp: msToSeconds(row.endMs),
    duration: row.durationMs,
    transactionID: row.transactionEventId,
    isTransaction: row.isSegment === 1,
    data: parseObject(row.data) ?? {},
    tags: parseObject(row.tags) as Record<string, string> | null,
  };
}

/** Builds the tree node of a transaction's root span, which the spans table does not hold. */
export function transactionRootSpan(row: TransactionRow, projectSlug: string): TraceSpan {
  return {
    spanID: row.spanId,
    parentSpanID: row.parentSpanId,
    traceID: row.traceId,
    projectID: String(row.projectId),
    projectSlug,
    op: row.op,
    description: row.name,
    status: row.status,
    kind: null,
    origin: null,
    startTimestamp: msToSeconds(row.startMs),
    endTimestamp: msToSeconds(row.endMs),
    duration: row.durationMs,
    transactionID: row.eventId,
    isTransaction: true,
    data: {},
    tags: null,
  };
}

/** Writes a stored span in the v1 layout of Sentry's `spans` event entry. */
export function spanRowToEntry(row: SpanRow): Json {
  return {
    trace_id: row.traceId,
    span_id: row.spanId,
    parent_span_id: row.parentSpanId,
    op: row.op,
    description: row.name,
    status: row.status,
    origin: row.origin,
    kind: row.kind,
    start_timestamp: msToSeconds(row.startMs),
    timestamp: msToSeconds(row.endMs),
    data: parseObject(row.data) ?? {},
    tags: parseObject(row.tags),
  };
}

/**
 * Builds Sentry's event object of a transaction: `type: "transaction"`, start and end
 * timestamps, and a `spans` entry before the other entries. A transaction event carries its
 * spans in its payload; a streamed segment carries none, so its spans are passed in.
 */
export function serializeTransactionEvent(
  row: Selectable<TransactionsTable>,
  segmentSpans: SpanRow[],
): Json {
  const eventRow = {
    id: row.id,
    projectId: row.projectId,
    issueId: 0,
    eventId: row.eventId,
    timestamp: Math.round(row.endMs),
    receivedAt: row.receivedAt,
    payload: row.payload,
    size: row.size,
    // Transactions are compressed without a dictionary.
    payloadDictionaryId: null,
    dictionary: null,
  };
  const payload = readPayload(eventRow);
  const event = serializeEvent(eventRow);
  const entries = Array.isArray(event.entries) ? (event.entries as Json[]) : [];
  const spans = Array.isArray(payload.spans) ? payload.spans : segmentSpans.map(spanRowToEntry);

  return {
    ...event,
    groupID: null,
    type: 'transaction',
    title: row.name,
    culprit: row.name,
    location: row.name,
    transaction: row.name,
    startTimestamp: msToSeconds(row.startMs),
    endTimestamp: msToSeconds(row.endMs),
    measurements: payload.measurements ?? {},
    entries: [{ type: 'spans', data: spans }, ...entries],
  };
}
