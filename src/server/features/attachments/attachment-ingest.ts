import { AppError } from '../../platform/errors.js';
import { createBlobKey, type BlobStore } from '../../platform/blobs/index.js';
import type { QueueRecord } from '../../platform/queue/index.js';
import type { ItemMeta } from '../ingest/item-kinds.js';
import {
  MAX_ATTACHMENTS_PER_ENVELOPE,
  normalizeAttachmentType,
  normalizeContentType,
  normalizeFileName,
} from './attachment-types.js';

/** Metadata of an attachment, read before its bytes are stored. */
export interface AttachmentUpload {
  eventId: string;
  filename: string;
  contentType: string;
  attachmentType: string;
}

/** The `item` of an `attachment` queue record: the upload and where its bytes are. */
export interface StoredAttachment extends AttachmentUpload {
  blobKey: string;
  size: number;
  sha1: string;
}

export type AttachmentCheck =
  { ok: true; upload: AttachmentUpload } | { ok: false; reason: string; message: string };

/**
 * Checks an envelope `attachment` item. `eventId` is the envelope's event id and
 * `previousCount` the number of attachments of the envelope accepted before this one. A
 * minidump must start with its signature, plain or gzip-compressed.
 */
export function checkAttachmentItem(
  headers: Record<string, unknown>,
  payload: Buffer,
  eventId: string | undefined,
  previousCount: number,
): AttachmentCheck {
  if (eventId === undefined) {
    return {
      ok: false,
      reason: 'missing_event_id',
      message: 'an attachment needs the envelope header "event_id" of its event',
    };
  }

  const filename = normalizeFileName(headers.filename);
  if (filename === undefined) {
    return {
      ok: false,
      reason: 'missing_filename',
      message: 'an attachment needs a "filename" header',
    };
  }

  if (previousCount >= MAX_ATTACHMENTS_PER_ENVELOPE) {
    return {
      ok: false,
      reason: 'too_many_attachments',
      message: `an envelope may carry at most ${MAX_ATTACHMENTS_PER_ENVELOPE} attachments`,
    };
  }

  const attachmentType = normalizeAttachmentType(headers.attachment_type);
  if (attachmentType === 'event.minidump' && !startsLikeMinidump(payload)) {
    return {
      ok: false,
      reason: 'invalid_minidump',
      message: 'an event.minidump attachment must start with the MDMP signature',
    };
  }

  return {
    ok: true,
    upload: {
      eventId,
      filename,
      contentType: normalizeContentType(headers.content_type),
      attachmentType,
    },
  };
}

// NOTE: a gzip-compressed minidump item is stored compressed; only the minidump upload
// endpoint unwraps gzip.
function startsLikeMinidump(payload: Buffer): boolean {
  const signature = payload.subarray(0, 4).toString('latin1');
  const isGzip = payload[0] === 0x1f && payload[1] === 0x8b;
  return signature === 'MDMP' || signature === 'PMDM' || isGzip;
}

/**
 * Writes attachment bytes to the blob store under a new key. Resolves once they are durable.
 * @throws AppError 503 `unavailable` when the blob store fails; a 413 or 400 from the content
 *   stream is passed on as it is.
 */
export async function storeAttachmentBytes(
  blobs: BlobStore,
  upload: AttachmentUpload,
  content: Buffer | AsyncIterable<Buffer>,
): Promise<StoredAttachment> {
  const blobKey = createBlobKey('attachments');

  try {
    const info = await blobs.put(blobKey, content);
    return { ...upload, blobKey, size: info.size, sha1: info.sha1 };
  } catch (error) {
    if (error instanceof AppError) {
      throw error;
    }
    throw new AppError(503, 'unavailable', 'Attachment storage failed: retry later', {
      cause: error,
      headers: { 'retry-after': '60' },
    });
  }
}

/** Builds the queue record of a stored attachment in ingest's item format. */
export function createAttachmentRecord(
  projectId: number,
  receivedAt: number,
  meta: ItemMeta,
  attachment: StoredAttachment,
): QueueRecord {
  return {
    projectId,
    kind: 'attachment',
    receivedAt,
    body: JSON.stringify({ meta, item: attachment }),
  };
}

/**
 * Deletes blobs whose queue records were never written, so that a failed request leaves no
 * unreferenced files. Failures are ignored: the blobs are then only wasted space.
 */
export async function deleteUnqueuedBlobs(blobs: BlobStore, keys: string[]): Promise<void> {
  await Promise.allSettled(keys.map((key) => blobs.delete(key)));
}
