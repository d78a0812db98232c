import { randomUUID } from 'node:crypto';

import { AppError } from '../../platform/errors.js';
import type { QueueRecord, QueueWriter } from '../../platform/queue/index.js';
import type { EnvelopeItem, ParsedEnvelope } from './envelope-parser.js';
import { QUEUED_ITEM_KINDS, type ItemMeta } from './item-kinds.js';
import { dataCategoryOf, itemSizeLimit } from './item-types.js';
import { normalizeEventId, parseJsonPayload } from './json-payload.js';
import type { OutcomeRecorder } from './outcome-recorder.js';

/** Context of a queued event, besides its payload. */
export interface EventMeta {
  eventId: string;
  sentAt: string | undefined;
  clientIp: string | undefined;
  client: string | undefined;
}

export interface IngestContext {
  projectId: number;
  receivedAt: number;
  clientIp: string | undefined;
  client: string | undefined;
  /** `store` when the items came from the store endpoint, which sends one bare event. */
  source?: 'envelope' | 'store';
}

export interface IngestResult {
  /** The event id to return to the client, when the envelope carried an event. */
  eventId: string | undefined;
  accepted: number;
  /** Items that were valid, whether queued or only counted. */
  acknowledged: number;
  /** Message of the first rejected item, returned as the error when nothing was accepted. */
  firstRejection: string | undefined;
  /** 413 when the first rejected item was over its size limit, else 400. */
  firstRejectionStatus: 400 | 413;
}

/**
 * Validates each item of an envelope, queues the ones the worker stores and counts the rest
 * as outcomes. Resolves only after the queued records are durable.
 */
export async function ingestEnvelope(
  envelope: ParsedEnvelope,
  context: IngestContext,
  queue: QueueWriter,
  outcomes: OutcomeRecorder,
): Promise<IngestResult> {
  const headerEventId = normalizeEventId(envelope.headers.event_id);
  const records: QueueRecord[] = [];
  let eventId: string | undefined;
  let firstRejection: string | undefined;
  let firstRejectionStatus: 400 | 413 = 400;
  let acknowledged = 0;
  const limitCounts = new Map<string, number>();

  const reject = (category: string, reason: string, message: string) => {
    outcomes.record(context.projectId, 'invalid', reason, category);
    if (firstRejection === undefined) {
      firstRejection = message;
      firstRejectionStatus = reason === 'too_large' ? 413 : 400;
    }
  };
  const describe = (item: EnvelopeItem) =>
    context.source === 'store' ? 'Event' : `Envelope item ${item.index} (${item.headers.type})`;

  for (const item of envelope.items) {
    const type = item.headers.type;
    const category = dataCategoryOf(type);

    if (item.payload.length > itemSizeLimit(type)) {
      reject(
        category,
        'too_large',
        `${describe(item)} exceeds its size limit of ${itemSizeLimit(type)} bytes`,
      );
      continue;
    }

    const queued = QUEUED_ITEM_KINDS.get(type);
    if (queued === undefined) {
      outcomes.record(context.projectId, 'filtered', 'item_type_not_stored', category);
      acknowledged += 1;
      continue;
    }

    const limit = queued.envelopeLimit;
    if (limit !== undefined) {
      const seen = (limitCounts.get(limit.group) ?? 0) + 1;
      limitCounts.set(limit.group, seen);
      if (seen > limit.max) {
        reject(
          category,
          limit.reason,
          `${describe(item)}: more than ${limit.max} ${limit.group} items`,
        );
        continue;
      }
    }

    if (queued.kind !== 'event') {
      const parsed = parseJsonPayload(item.payload);
      if (!parsed.ok) {
        reject(category, parsed.reason, `${describe(item)}: ${parsed.message}`);
        continue;
      }
      records.push(createItemRecord(queued.kind, item, headerEventId, envelope, context));
      acknowledged += 1;
      continue;
    }

    if (eventId !== undefined) {
      reject(
        category,
        'duplicate_item',
        `Envelope item ${item.index}: only one event per envelope`,
      );
      continue;
    }

    const parsed = parseJsonPayload(item.payload);
    if (!parsed.ok) {
      reject(category, parsed.reason, `${describe(item)}: ${parsed.message}`);
      continue;
    }

    const payloadEventId = normalizeEventId((parsed.value as Record<string, unknown>).event_id);
    const itemEventId = headerEventId ?? payloadEventId ?? randomUUID().replaceAll('-', '');
    eventId = itemEventId;
    records.push(createEventRecord(item.payload.toString('utf8'), itemEventId, envelope, context));
    acknowledged += 1;
  }

  if (envelope.framingError !== undefined) {
    reject('default', 'invalid_envelope', envelope.framingError);
  }

  if (records.length > 0) {
    await queue.enqueue(records);
  }

  // As Relay does, the envelope's own event id is returned even when its items are not events
  // (a transaction or feedback, for example).
  return {
    eventId: eventId ?? headerEventId,
    accepted: records.length,
    acknowledged,
    firstRejection,
    firstRejectionStatus,
  };
}

function createEventRecord(
  payloadText: string,
  eventId: string,
  envelope: ParsedEnvelope,
  context: IngestContext,
): QueueRecord {
  const sentAt =
    typeof envelope.headers.sent_at === 'string' ? envelope.headers.sent_at : undefined;
  const meta: EventMeta = { eventId, sentAt, clientIp: context.clientIp, client: context.client };

  // The payload was validated as a JSON object, so it is embedded as it came, without a
  // second stringify.
  return {
    projectId: context.projectId,
    kind: 'event',
    receivedAt: context.receivedAt,
    body: `{"meta":${JSON.stringify(meta)},"event":${payloadText}}`,
  };
}

/**
 * Builds the queue record of a JSON item other than an error event. The payload was validated
 * as one JSON object, so it is embedded as it came.
 */
function createItemRecord(
  kind: string,
  item: EnvelopeItem,
  eventId: string | undefined,
  envelope: ParsedEnvelope,
  context: IngestContext,
): QueueRecord {
  const { sent_at: sentAt, sdk, trace } = envelope.headers;
  const meta: ItemMeta = {
    eventId,
    sentAt: typeof sentAt === 'string' ? sentAt : undefined,
    clientIp: context.clientIp,
    client: context.client,
    sdk: isObject(sdk) ? sdk : undefined,
    trace: isObject(trace) ? trace : undefined,
    itemHeaders: item.headers,
  };

  return {
    projectId: context.projectId,
    kind,
    receivedAt: context.receivedAt,
    body: `{"meta":${JSON.stringify(meta)},"item":${item.payload.toString('utf8')}}`,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Raises the 400 for an envelope of which nothing could be used.
 * @throws AppError 400 with the first rejection's message.
 */
export function rejectUnusable(result: IngestResult): void {
  if (result.acknowledged === 0 && result.firstRejection !== undefined) {
    const code = result.firstRejectionStatus === 413 ? 'payload_too_large' : 'invalid_envelope';
    throw new AppError(result.firstRejectionStatus, code, result.firstRejection);
  }
}
