import type { QueueRecord } from '../../platform/queue/index.js';
import type { ItemMeta } from '../ingest/item-kinds.js';
import type { SentryLog } from './log-conversion.js';
import type { SpanV2 } from './span-conversion.js';

/** Spans in one queued span item, Sentry's limit for a span v2 container. */
export const MAX_SPANS_PER_ITEM = 1_000;

/** Logs in one queued log item, the limit of the worker's log processor. */
export const MAX_LOGS_PER_ITEM = 1_000;

export interface RecordContext {
  projectId: number;
  receivedAt: number;
  clientIp: string | undefined;
  /** The request's User-Agent, as the OpenTelemetry exporter names itself there. */
  client: string | undefined;
}

/**
 * Builds `span` queue records in the format ingest writes for envelope items: one item per
 * trace, split into items of at most {@link MAX_SPANS_PER_ITEM} spans.
 */
export function createSpanRecords(spans: SpanV2[], context: RecordContext): QueueRecord[] {
  const byTrace = new Map<string, SpanV2[]>();
  for (const span of spans) {
    const group = byTrace.get(span.trace_id);
    if (group === undefined) {
      byTrace.set(span.trace_id, [span]);
    } else {
      group.push(span);
    }
  }

  return [...byTrace.values()].flatMap((group) =>
    chunk(group, MAX_SPANS_PER_ITEM).map((items) =>
      createRecord('span', 'application/vnd.sentry.items.span.v2+json', items, context),
    ),
  );
}

/** Builds `log` queue records of at most {@link MAX_LOGS_PER_ITEM} logs each. */
export function createLogRecords(logs: SentryLog[], context: RecordContext): QueueRecord[] {
  return chunk(logs, MAX_LOGS_PER_ITEM).map((items) =>
    createRecord('log', 'application/vnd.sentry.items.log+json', items, context),
  );
}

function createRecord(
  type: 'span' | 'log',
  contentType: string,
  items: unknown[],
  context: RecordContext,
): QueueRecord {
  const meta: ItemMeta = {
    eventId: undefined,
    sentAt: undefined,
    clientIp: context.clientIp,
    client: context.client,
    sdk: undefined,
    trace: undefined,
    itemHeaders: { type, content_type: contentType, item_count: items.length },
  };

  return {
    projectId: context.projectId,
    kind: type,
    receivedAt: context.receivedAt,
    body: JSON.stringify({ meta, item: { items } }),
  };
}

function chunk<T>(values: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < values.length; start += size) {
    chunks.push(values.slice(start, start + size));
  }
  return chunks;
}
