import { randomUUID } from 'node:crypto';

import type { BlobStore } from '../../platform/blobs/index.js';
import { AppError } from '../../platform/errors.js';
import type { QueueRecord, QueueWriter } from '../../platform/queue/index.js';
import {
  checkAttachmentItem,
  createAttachmentRecord,
  deleteUnqueuedBlobs,
  storeAttachmentBytes,
  type AttachmentUpload,
  type StoredAttachment,
} from '../attachments/index.js';
import { buildSecurityEvent } from '../security-reports/index.js';
import { limitForCategory, type RateLimitDecision } from '../rate-limits/index.js';
import { recordClientReport } from '../stats/index.js';
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
  /**
   * `store` when the items came from the store endpoint, which sends one bare event, and
   * `security` for the reports of one security report request, each of which becomes an event.
   */
  source?: 'envelope' | 'store' | 'security';
  /** The request's User-Agent header, which security reports keep as the browser's. */
  userAgent?: string | undefined;
  /**
   * Counts the envelope's items (quantities by data category) against the key's rate limits.
   * Without it nothing is rate limited.
   */
  checkRateLimits?: (quantities: ReadonlyMap<string, number>) => Promise<RateLimitDecision>;
  /**
   * Attachments of the envelope's event whose bytes are already in the blob store, as a
   * minidump upload stores them. They are queued in the same write as the event, and only when
   * the event is queued; otherwise the caller deletes their blobs.
   */
  storedAttachments?: StoredAttachment[];
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
  /** Items dropped by a rate limit. */
  rateLimited: number;
  /** The rate-limit decision, when the context checks rate limits. */
  rateLimits: RateLimitDecision | undefined;
}

/** An attachment item that passed its checks and waits for its bytes to be stored. */
interface PendingAttachment {
  item: EnvelopeItem;
  upload: AttachmentUpload;
}

/**
 * Validates each item of an envelope, queues the ones the worker stores and counts the rest
 * as outcomes. Resolves only after the queued records are durable. Attachment bytes go to
 * `blobs` before their records are queued; without a blob store, attachments are counted as
 * not stored.
 */
export async function ingestEnvelope(
  envelope: ParsedEnvelope,
  context: IngestContext,
  queue: QueueWriter,
  outcomes: OutcomeRecorder,
  blobs?: BlobStore,
): Promise<IngestResult> {
  const headerEventId = normalizeEventId(envelope.headers.event_id);
  const records: QueueRecord[] = [];
  const attachments: PendingAttachment[] = [];
  let eventId: string | undefined;
  let firstRejection: string | undefined;
  let firstRejectionStatus: 400 | 413 = 400;
  let acknowledged = 0;
  let rateLimited = 0;
  const rateLimits = await context.checkRateLimits?.(countItemCategories(envelope));
  const limitCounts = new Map<string, number>();
  // Attachments belong to the envelope's event id, or else to the id of its event item.
  let attachmentEventId = headerEventId;

  // The item being checked: an attachment is counted in bytes and as one file, as Sentry's
  // `attachment` and `attachment_item` categories count it.
  let current: EnvelopeItem | undefined;
  const count = (outcome: 'invalid' | 'rate_limited', reason: string, category: string) => {
    if (category === 'attachment' && current !== undefined) {
      outcomes.record(context.projectId, outcome, reason, 'attachment', current.payload.length);
      outcomes.record(context.projectId, outcome, reason, 'attachment_item');
      return;
    }
    outcomes.record(context.projectId, outcome, reason, category);
  };
  const reject = (category: string, reason: string, message: string) => {
    count('invalid', reason, category);
    if (firstRejection === undefined) {
      firstRejection = message;
      firstRejectionStatus = reason === 'too_large' ? 413 : 400;
    }
  };
  const describe = (item: EnvelopeItem) => {
    if (context.source === 'store') {
      return 'Event';
    }
    return context.source === 'security'
      ? `Security report ${item.index}`
      : `Envelope item ${item.index} (${item.headers.type})`;
  };

  for (const item of envelope.items) {
    current = item;
    const type = item.headers.type;
    const category = dataCategoryOf(type);

    const limit = rateLimits === undefined ? undefined : limitForCategory(rateLimits, category);
    if (limit !== undefined) {
      count('rate_limited', limit.reason, category);
      acknowledged += 1;
      rateLimited += 1;
      continue;
    }

    if (item.payload.length > itemSizeLimit(type)) {
      reject(
        category,
        'too_large',
        `${describe(item)} exceeds its size limit of ${itemSizeLimit(type)} bytes`,
      );
      continue;
    }

    if (type === 'client_report') {
      const report = recordClientReport(item.payload, context.projectId, outcomes);
      if (!report.ok) {
        reject(category, report.reason, `${describe(item)}: ${report.message}`);
        continue;
      }
      acknowledged += 1;
      continue;
    }

    const queued = QUEUED_ITEM_KINDS.get(type);
    if (queued === undefined || (queued.payload === 'binary' && blobs === undefined)) {
      outcomes.record(context.projectId, 'filtered', 'item_type_not_stored', category);
      acknowledged += 1;
      continue;
    }

    const countLimit = queued.envelopeLimit;
    if (countLimit !== undefined) {
      const seen = (limitCounts.get(countLimit.group) ?? 0) + 1;
      limitCounts.set(countLimit.group, seen);
      if (seen > countLimit.max) {
        reject(
          category,
          countLimit.reason,
          `${describe(item)}: more than ${countLimit.max} ${countLimit.group} items`,
        );
        continue;
      }
    }

    if (queued.payload === 'binary') {
      attachmentEventId ??= findEventItemId(envelope);
      const checked = checkAttachmentItem(
        item.headers,
        item.payload,
        attachmentEventId,
        attachments.length,
      );
      if (!checked.ok) {
        reject(category, checked.reason, `${describe(item)}: ${checked.message}`);
        continue;
      }
      attachments.push({ item, upload: checked.upload });
      acknowledged += 1;
      continue;
    }

    if (queued.kind !== 'event') {
      const parsed = parseJsonPayload(item.payload);
      if (!parsed.ok) {
        reject(category, parsed.reason, `${describe(item)}: ${parsed.message}`);
        continue;
      }
      records.push(
        createItemRecord(queued.kind, item, parsed.text, headerEventId, envelope, context),
      );
      acknowledged += 1;
      continue;
    }

    if (eventId !== undefined && context.source !== 'security') {
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

    // The store endpoint also takes transactions, recognized by their `type`.
    if (
      context.source === 'store' &&
      (parsed.value as Record<string, unknown>).type === 'transaction'
    ) {
      records.push(
        createItemRecord('transaction', item, parsed.text, headerEventId, envelope, context),
      );
      eventId = normalizeEventId((parsed.value as Record<string, unknown>).event_id);
      acknowledged += 1;
      continue;
    }

    let payloadText = parsed.text;
    if (type === 'raw_security') {
      const built = buildSecurityEvent(parsed.value as Record<string, unknown>, {
        release: item.headers.sentry_release,
        environment: item.headers.sentry_environment,
        userAgent: context.userAgent,
      });
      if (!built.ok) {
        reject(category, built.reason, `${describe(item)}: ${built.message}`);
        continue;
      }
      payloadText = JSON.stringify(built.event);
    }

    const payloadEventId = normalizeEventId((parsed.value as Record<string, unknown>).event_id);
    const itemEventId = headerEventId ?? payloadEventId ?? randomUUID().replaceAll('-', '');
    eventId = itemEventId;
    records.push(createEventRecord(payloadText, itemEventId, envelope, context));
    acknowledged += 1;
  }

  current = undefined;
  if (envelope.framingError !== undefined) {
    reject('default', 'invalid_envelope', envelope.framingError);
  }

  if (eventId !== undefined && context.storedAttachments !== undefined) {
    records.push(...createStoredAttachmentRecords(context.storedAttachments, eventId, context));
  }

  if (attachments.length > 0 && blobs !== undefined) {
    await queueWithAttachments(records, attachments, blobs, envelope, context, queue);
  } else if (records.length > 0) {
    await queue.enqueue(records);
  }

  // As Relay does, the envelope's own event id is returned even when its items are not events
  // (a transaction or feedback, for example).
  return {
    eventId: eventId ?? headerEventId,
    accepted: records.length + attachments.length,
    acknowledged,
    firstRejection,
    firstRejectionStatus,
    rateLimited,
    rateLimits,
  };
}

/**
 * Stores the attachments' bytes in the blob store, then queues their records together with
 * `records`. When any step fails, the blobs written so far are deleted again.
 */
async function queueWithAttachments(
  records: QueueRecord[],
  attachments: PendingAttachment[],
  blobs: BlobStore,
  envelope: ParsedEnvelope,
  context: IngestContext,
  queue: QueueWriter,
): Promise<void> {
  const results = await Promise.allSettled(
    attachments.map(async ({ upload, item }) => ({
      item,
      stored: await storeAttachmentBytes(blobs, upload, item.payload),
    })),
  );
  const blobKeys = results.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value.stored.blobKey] : [],
  );

  try {
    const attachmentRecords = results.map((result) => {
      if (result.status === 'rejected') {
        throw result.reason;
      }
      const { item, stored } = result.value;
      const meta = createItemMeta(item, stored.eventId, envelope, context);
      return createAttachmentRecord(context.projectId, context.receivedAt, meta, stored);
    });
    await queue.enqueue([...records, ...attachmentRecords]);
  } catch (error) {
    await deleteUnqueuedBlobs(blobs, blobKeys);
    throw error;
  }
}

/** Counts an envelope's items by data category, one per item, for the rate limits. */
export function countItemCategories(envelope: ParsedEnvelope): Map<string, number> {
  const quantities = new Map<string, number>();
  for (const item of envelope.items) {
    const category = dataCategoryOf(item.headers.type);
    quantities.set(category, (quantities.get(category) ?? 0) + 1);
  }
  return quantities;
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
 * Builds the queue record of a JSON item other than an error event. `payloadText` was
 * validated as one JSON object, so it is embedded as it came.
 */
function createItemRecord(
  kind: string,
  item: EnvelopeItem,
  payloadText: string,
  eventId: string | undefined,
  envelope: ParsedEnvelope,
  context: IngestContext,
): QueueRecord {
  const meta = createItemMeta(item, eventId, envelope, context);

  return {
    projectId: context.projectId,
    kind,
    receivedAt: context.receivedAt,
    body: `{"meta":${JSON.stringify(meta)},"item":${payloadText}}`,
  };
}

function createItemMeta(
  item: EnvelopeItem,
  eventId: string | undefined,
  envelope: ParsedEnvelope,
  context: IngestContext,
): ItemMeta {
  const { sent_at: sentAt, sdk, trace } = envelope.headers;
  return {
    eventId,
    sentAt: typeof sentAt === 'string' ? sentAt : undefined,
    clientIp: context.clientIp,
    client: context.client,
    sdk: isObject(sdk) ? sdk : undefined,
    trace: isObject(trace) ? trace : undefined,
    itemHeaders: item.headers,
  };
}

function createStoredAttachmentRecords(
  attachments: StoredAttachment[],
  eventId: string,
  context: IngestContext,
): QueueRecord[] {
  const meta: ItemMeta = {
    eventId,
    sentAt: undefined,
    clientIp: context.clientIp,
    client: context.client,
    sdk: undefined,
    trace: undefined,
    itemHeaders: { type: 'attachment' },
  };
  return attachments.map((attachment) =>
    createAttachmentRecord(context.projectId, context.receivedAt, meta, {
      ...attachment,
      eventId,
    }),
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns the `event_id` of the envelope's event, transaction or feedback item, if any. */
function findEventItemId(envelope: ParsedEnvelope): string | undefined {
  const item = envelope.items.find((candidate) =>
    ['event', 'transaction', 'feedback'].includes(candidate.headers.type),
  );
  if (item === undefined) {
    return undefined;
  }
  const parsed = parseJsonPayload(item.payload);
  return parsed.ok
    ? normalizeEventId((parsed.value as Record<string, unknown>).event_id)
    : undefined;
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
