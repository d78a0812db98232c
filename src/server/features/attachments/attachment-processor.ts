import type { ClaimedRecord } from '../../platform/queue/index.js';
import { parseItemRecord, type RecordProcessor } from '../worker/record-processors.js';
import type { StoredAttachment } from './attachment-ingest.js';

const ROWS_PER_INSERT = 100;

/**
 * Stores the rows of `attachment` records. The bytes are already in the blob store, so a
 * record whose item lacks a field cannot be repaired and is counted invalid.
 */
export const processAttachmentRecords: RecordProcessor = async (records, context) => {
  const rows = [];

  for (const record of records) {
    const attachment = readAttachment(record);
    if (attachment === undefined) {
      context.log.warn({ projectId: record.projectId, queueId: record.id }, 'invalid attachment');
      context.count(record, 'invalid', 'invalid_attachment', 'attachment');
      continue;
    }

    rows.push({
      projectId: record.projectId,
      eventId: attachment.eventId,
      name: attachment.filename,
      contentType: attachment.contentType,
      attachmentType: attachment.attachmentType,
      size: attachment.size,
      sha1: attachment.sha1,
      blobKey: attachment.blobKey,
      createdAt: record.receivedAt,
    });
    // As in Sentry, the `attachment` category counts bytes and `attachment_item` counts files.
    context.count(record, 'accepted', '', 'attachment', attachment.size);
    context.count(record, 'accepted', '', 'attachment_item');
  }

  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    await context.trx
      .insertInto('eventAttachments')
      .values(rows.slice(start, start + ROWS_PER_INSERT))
      .onConflict((conflict) => conflict.column('blobKey').doNothing())
      .execute();
  }
};

function readAttachment(record: ClaimedRecord): StoredAttachment | undefined {
  const item = parseItemRecord(record).item as Partial<StoredAttachment> | null;
  if (
    item === null ||
    typeof item !== 'object' ||
    typeof item.eventId !== 'string' ||
    typeof item.filename !== 'string' ||
    typeof item.contentType !== 'string' ||
    typeof item.attachmentType !== 'string' ||
    typeof item.blobKey !== 'string' ||
    typeof item.sha1 !== 'string' ||
    typeof item.size !== 'number'
  ) {
    return undefined;
  }
  return item as StoredAttachment;
}
