import type { QueueRecord } from '../../platform/queue/index.js';
import type { ItemMeta } from '../ingest/item-kinds.js';
import type { SentryLog } from './log-conversion.js';
import type { SpanV2 } from './span-conversion.js';

/** Spans in one queued span item, Sentry's limit for a span v2 container. */
export const MAX_SPANS_PER_ITEM = 1_000;

/** Logs in one queued log item, the limit of the worker's log processor. */
export const MAX_LOGS_PER_ITEM = 1_000;

/**
 * Queue bytes one request may turn into, as a multiple of its decompressed body. Spans and logs
 * legitimately grow: each carries a copy of its resource's attributes, and Sentry's typed
 * attributes take more room than OTLP's encoding.
 */
const QUEUE_BYTES_PER_REQUEST_BYTE = 16;
/** Queue bytes any request may use, however small its body. */
const MIN_QUEUE_BYTES = 4 * 1024 * 1024;
/** Queue bytes no request may pass, however large its body. */
const MAX_QUEUE_BYTES = 64 * 1024 * 1024;

export interface RecordContext {
  projectId: number;
  receivedAt: number;
  clientIp: string | undefined;
  /** The request's User-Agent, as the OpenTelemetry exporter names itself there. */
  client: string | undefined;
}

/** Queue records built from a request, and the spans or logs that did not fit its budget. */
export interface QueueBatch {
  records: QueueRecord[];
  overBudget: number;
}

/** Returns the queue bytes that a request body of `requestBytes` may expand to. */
export function queueBudgetBytes(requestBytes: number): number {
  return Math.min(
    MAX_QUEUE_BYTES,
    Math.max(MIN_QUEUE_BYTES, requestBytes * QUEUE_BYTES_PER_REQUEST_BYTE),
  );
}

/**
 * Builds `span` queue records in the format ingest writes for envelope items: one item per
 * trace, split into items of at most {@link MAX_SPANS_PER_ITEM} spans. Spans are serialized one
 * at a time, and those that would take the records past `budgetBytes` are left out.
 */
export function createSpanRecords(
  spans: SpanV2[],
  context: RecordContext,
  budgetBytes: number,
): QueueBatch {
  const byTrace = new Map<string, SpanV2[]>();
  for (const span of spans) {
    const group = byTrace.get(span.trace_id);
    if (group === undefined) {
      byTrace.set(span.trace_id, [span]);
    } else {
      group.push(span);
    }
  }

  const writer = new RecordWriter('span', context, budgetBytes);
  for (const group of byTrace.values()) {
    for (const items of chunk(group, MAX_SPANS_PER_ITEM)) {
      writer.write(items);
    }
  }
  return writer.finish();
}

/**
 * Builds `log` queue records of at most {@link MAX_LOGS_PER_ITEM} logs each. Logs that would
 * take the records past `budgetBytes` are left out.
 */
export function createLogRecords(
  logs: SentryLog[],
  context: RecordContext,
  budgetBytes: number,
): QueueBatch {
  const writer = new RecordWriter('log', context, budgetBytes);
  for (const items of chunk(logs, MAX_LOGS_PER_ITEM)) {
    writer.write(items);
  }
  return writer.finish();
}

const CONTENT_TYPES = {
  span: 'application/vnd.sentry.items.span.v2+json',
  log: 'application/vnd.sentry.items.log+json',
} as const;

/**
 * Serializes items into queue records while their bodies stay within a byte budget. The first
 * item that does not fit closes the writer, so at most the budget plus that one item is ever
 * serialized. That item and every later one count as over budget.
 */
class RecordWriter {
  readonly #type: 'span' | 'log';
  readonly #context: RecordContext;
  readonly #records: QueueRecord[] = [];
  #remainingBytes: number;
  #overBudget = 0;

  constructor(type: 'span' | 'log', context: RecordContext, budgetBytes: number) {
    this.#type = type;
    this.#context = context;
    this.#remainingBytes = budgetBytes;
  }

  /** Adds one record of the items that fit. */
  write(items: unknown[]): void {
    // The frame around the items: the meta, and `{"meta":...,"item":{"items":[...]}}`.
    const frameBytes = Buffer.byteLength(this.#serializeMeta(items.length)) + 32;
    if (this.#overBudget > 0 || frameBytes > this.#remainingBytes) {
      this.#overBudget += items.length;
      return;
    }
    this.#remainingBytes -= frameBytes;

    const serialized: string[] = [];
    for (const item of items) {
      const json = JSON.stringify(item);
      const bytes = Buffer.byteLength(json) + 1;
      if (bytes > this.#remainingBytes) {
        this.#overBudget += items.length - serialized.length;
        break;
      }
      this.#remainingBytes -= bytes;
      serialized.push(json);
    }

    if (serialized.length > 0) {
      this.#records.push({
        projectId: this.#context.projectId,
        kind: this.#type,
        receivedAt: this.#context.receivedAt,
        body: `{"meta":${this.#serializeMeta(serialized.length)},"item":{"items":[${serialized.join(',')}]}}`,
      });
    }
  }

  finish(): QueueBatch {
    return { records: this.#records, overBudget: this.#overBudget };
  }

  #serializeMeta(itemCount: number): string {
    const meta: ItemMeta = {
      eventId: undefined,
      sentAt: undefined,
      clientIp: this.#context.clientIp,
      client: this.#context.client,
      sdk: undefined,
      trace: undefined,
      itemHeaders: {
        type: this.#type,
        content_type: CONTENT_TYPES[this.#type],
        item_count: itemCount,
      },
    };
    return JSON.stringify(meta);
  }
}

function chunk<T>(values: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < values.length; start += size) {
    chunks.push(values.slice(start, start + size));
  }
  return chunks;
}
