import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

import type { Insertable } from 'kysely';

import type { SpansTable, TransactionsTable } from '../../platform/db/tables/performance.js';
import type { JsonValue } from '../processing/event-types.js';
import type { PreparedSpan } from './normalize-span.js';
import type { PreparedTransaction } from './normalize-transaction.js';
import {
  secondsToMs,
  toColumnText,
  toColumnTextOrNull,
  UNLABELED_TRANSACTION,
} from './trace-values.js';

export type TransactionInsert = Insertable<TransactionsTable>;
export type SpanInsert = Insertable<SpansTable>;

/** Origin of a row: its project, receive time and the SDK that sent it. */
export interface RowOrigin {
  projectId: number;
  receivedAt: number;
  sdkName: string | undefined;
  sdkVersion: string | undefined;
}

/**
 * Derives the event id of a segment span's transaction row: 32 hex digits from its trace and
 * span ids, so that a resent segment maps to the same row.
 */
export function segmentEventId(traceId: string, spanId: string): string {
  return createHash('sha256').update(`${traceId}:${spanId}`).digest('hex').slice(0, 32);
}

export function toTransactionRow(
  transaction: PreparedTransaction,
  origin: RowOrigin,
): TransactionInsert {
  const json = JSON.stringify(transaction.payload);

  return {
    projectId: origin.projectId,
    eventId: transaction.eventId,
    traceId: transaction.traceId,
    spanId: transaction.spanId,
    parentSpanId: transaction.parentSpanId,
    name: toColumnText(transaction.name),
    op: toColumnTextOrNull(transaction.op),
    status: toColumnTextOrNull(transaction.status),
    startMs: secondsToMs(transaction.start),
    endMs: secondsToMs(transaction.end),
    durationMs: secondsToMs(transaction.end - transaction.start),
    receivedAt: origin.receivedAt,
    release: toColumnTextOrNull(transaction.release),
    environment: toColumnTextOrNull(transaction.environment),
    platform: transaction.platform,
    userTag: toColumnTextOrNull(transaction.userTag),
    payload: deflateSync(json, { level: 1 }),
    size: Buffer.byteLength(json),
  };
}

export function toSpanRow(
  span: PreparedSpan,
  origin: RowOrigin,
  transactionEventId: string | null,
): SpanInsert {
  return {
    projectId: origin.projectId,
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    segmentId: span.segmentId,
    transactionEventId,
    isSegment: span.isSegment ? 1 : 0,
    name: toColumnTextOrNull(span.name),
    op: toColumnTextOrNull(span.op),
    status: toColumnTextOrNull(span.status),
    kind: toColumnTextOrNull(span.kind),
    origin: toColumnTextOrNull(span.origin),
    startMs: secondsToMs(span.start),
    endMs: secondsToMs(span.end),
    durationMs: secondsToMs(span.end - span.start),
    receivedAt: origin.receivedAt,
    release: toColumnTextOrNull(span.release),
    environment: toColumnTextOrNull(span.environment),
    data: JSON.stringify(span.data),
    tags: span.tags === null ? null : JSON.stringify(span.tags),
  };
}

/**
 * Builds the transaction row of a segment span, the root span of a service's work in span
 * streaming, which Sentry lists as a transaction. Its payload is the segment in the layout of a
 * transaction event without `spans`; the event endpoint reads those from the spans table.
 */
/**
 * Returns the transaction name of a streamed segment span. When the SDK marks the name as coming
 * from the URL (`sentry.segment.name.source: url`), it sends a placeholder such as `GET` or
 * `Pageload`, and the name is built from the route or path instead, as a static transaction
 * of the same request would be named: `GET /users/42`, or `/` for a page load.
 */
export function segmentTransactionName(span: PreparedSpan): string {
  const name = span.segmentName ?? span.name ?? UNLABELED_TRANSACTION;
  const source =
    readString(span.data, 'sentry.segment.name.source') ?? readString(span.data, 'sentry.source');
  const path =
    readString(span.data, 'http.route') ??
    readString(span.data, 'url.template') ??
    readString(span.data, 'url.path');
  if (source !== 'url' || path === undefined || name.includes('/')) {
    return name;
  }

  const method =
    readString(span.data, 'http.request.method') ?? readString(span.data, 'http.method');
  return method === undefined ? path : `${method.toUpperCase()} ${path}`;
}

export function toSegmentTransactionRow(span: PreparedSpan, origin: RowOrigin): TransactionInsert {
  const eventId = segmentEventId(span.traceId, span.spanId);
  const name = segmentTransactionName(span);
  const platform = platformOfSdk(origin.sdkName ?? readString(span.data, 'sentry.sdk.name'));
  const userTag = readUserTag(span.data);
  const payload = {
    event_id: eventId,
    type: 'transaction',
    platform,
    transaction: name,
    title: name,
    timestamp: span.end,
    start_timestamp: span.start,
    release: span.release ?? undefined,
    environment: span.environment ?? undefined,
    tags: segmentTags(span, name, userTag),
    contexts: { trace: segmentTraceContext(span) },
    sdk: readSdk(span.data, origin),
  };
  const json = JSON.stringify(payload);

  return {
    projectId: origin.projectId,
    eventId,
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: toColumnText(name),
    op: toColumnTextOrNull(span.op),
    status: toColumnTextOrNull(span.status),
    startMs: secondsToMs(span.start),
    endMs: secondsToMs(span.end),
    durationMs: secondsToMs(span.end - span.start),
    receivedAt: origin.receivedAt,
    release: toColumnTextOrNull(span.release),
    environment: toColumnTextOrNull(span.environment),
    platform,
    userTag: toColumnTextOrNull(userTag),
    payload: deflateSync(json, { level: 1 }),
    size: Buffer.byteLength(json),
  };
}

function segmentTraceContext(span: PreparedSpan): Record<string, JsonValue> {
  const trace: Record<string, JsonValue> = {
    type: 'trace',
    trace_id: span.traceId,
    span_id: span.spanId,
    data: span.data,
  };
  if (span.parentSpanId !== null) {
    trace.parent_span_id = span.parentSpanId;
  }
  if (span.op !== null) {
    trace.op = span.op;
  }
  if (span.status !== null) {
    trace.status = span.status;
  }
  if (span.origin !== null) {
    trace.origin = span.origin;
  }
  return trace;
}

function segmentTags(span: PreparedSpan, name: string, userTag: string | null): [string, string][] {
  const tags: [string, string][] = [['transaction', name]];
  if (span.release !== null) {
    tags.push(['release', span.release]);
  }
  if (span.environment !== null) {
    tags.push(['environment', span.environment]);
  }
  if (userTag !== null) {
    tags.push(['user', userTag]);
  }
  return tags.filter(([, value]) => value.length <= 200);
}

const SDK_PLATFORMS: [prefix: string, platform: string][] = [
  ['sentry.javascript.node', 'node'],
  ['sentry.javascript.bun', 'node'],
  ['sentry.javascript.deno', 'node'],
  ['sentry.javascript', 'javascript'],
  ['sentry.python', 'python'],
  ['sentry.ruby', 'ruby'],
  ['sentry.go', 'go'],
  ['sentry.java', 'java'],
  ['sentry.php', 'php'],
  ['sentry.dotnet', 'csharp'],
  ['sentry.cocoa', 'cocoa'],
  ['sentry.dart', 'dart'],
  ['sentry.elixir', 'elixir'],
  ['sentry.native', 'native'],
];

/** Maps an SDK name such as `sentry.javascript.node` to the event platform it reports. */
export function platformOfSdk(sdkName: string | undefined): string {
  if (sdkName === undefined) {
    return 'other';
  }

  return SDK_PLATFORMS.find(([prefix]) => sdkName.startsWith(prefix))?.[1] ?? 'other';
}

function readString(data: Record<string, JsonValue>, key: string): string | undefined {
  const value = Object.hasOwn(data, key) ? data[key] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Sentry's user tag from the `user.*` attributes of span streaming. */
function readUserTag(data: Record<string, JsonValue>): string | null {
  const candidates: [string, string][] = [
    ['user.id', 'id'],
    ['user.email', 'email'],
    ['user.name', 'username'],
    ['user.ip_address', 'ip'],
  ];
  for (const [key, prefix] of candidates) {
    const value = readString(data, key);
    if (value !== undefined) {
      return `${prefix}:${value}`;
    }
  }
  return null;
}

function readSdk(
  data: Record<string, JsonValue>,
  origin: RowOrigin,
): { name: string; version: string } | undefined {
  const name = origin.sdkName ?? readString(data, 'sentry.sdk.name');
  const version = origin.sdkVersion ?? readString(data, 'sentry.sdk.version');
  return name === undefined || version === undefined ? undefined : { name, version };
}
