import type { FastifyInstance } from 'fastify';

import type { BlobStore } from '../../platform/blobs/index.js';
import { AppError } from '../../platform/errors.js';
import type { QueueWriter } from '../../platform/queue/index.js';
import { announceRateLimits, sendRateLimited, type IngestGate } from '../ingest/ingest-gate.js';
import { headerValue, parseProjectId, readAuth } from '../ingest/ingest-kit.js';
import type { ItemMeta } from '../ingest/item-kinds.js';
import { normalizeEventId } from '../ingest/json-payload.js';
import {
  createAttachmentRecord,
  deleteUnqueuedBlobs,
  storeAttachmentBytes,
  type StoredAttachment,
} from './attachment-ingest.js';
import {
  DEFAULT_ATTACHMENT_TYPE,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS_PER_ENVELOPE,
  normalizeContentType,
  normalizeFileName,
} from './attachment-types.js';
import { parseMultipart } from './multipart.js';
import { openRequestStream } from './request-stream.js';

export interface AttachmentUploadOptions {
  gate: IngestGate;
  queue: QueueWriter;
  blobs: BlobStore;
}

type UploadParams = { projectId: string; eventId: string };

/**
 * Registers `POST /api/{project_id}/events/{event_id}/attachments/`: files of a
 * `multipart/form-data` body are stored as attachments of an event sent before. Text fields
 * are ignored. Responds 201 with an empty body, as Relay does.
 */
export function registerAttachmentUploadRoute(
  app: FastifyInstance,
  options: AttachmentUploadOptions,
): void {
  const path = '/api/:projectId/events/:eventId/attachments/';

  app.options(path, (_request, reply) => reply.status(200).send());

  app.post<{ Params: UploadParams }>(path, async (request, reply) => {
    const pathProjectId = parseProjectId(request.params.projectId);
    const eventId = normalizeEventId(request.params.eventId);
    if (eventId === undefined) {
      throw new AppError(
        400,
        'bad_request',
        `Invalid event id ${JSON.stringify(request.params.eventId.slice(0, 40))}: use 32 hex digits`,
      );
    }
    // Load and origin are checked before any byte is written. The files of a rejected upload
    // are counted as one attachment, because its body is never read.
    const admission = await options.gate.admit(request, {
      pathProjectId,
      auth: readAuth(request),
      quantities: new Map([['attachment', 1]]),
    });
    const { projectId } = admission;
    const receivedAt = Date.now();
    const stored: StoredAttachment[] = [];

    try {
      const body = openRequestStream(request, reply, MAX_ATTACHMENT_BYTES + 1024 * 1024);
      await parseMultipart(
        body,
        request.headers,
        {
          maxFileBytes: MAX_ATTACHMENT_BYTES,
          maxFiles: MAX_ATTACHMENTS_PER_ENVELOPE,
          maxFieldBytes: 64 * 1024,
          maxFields: 100,
          maxTotalFieldBytes: 1024 * 1024,
        },
        async (file) => {
          const attachment = await storeAttachmentBytes(
            options.blobs,
            {
              eventId,
              filename: normalizeFileName(file.filename) ?? file.fieldName,
              contentType: normalizeContentType(file.contentType),
              attachmentType: DEFAULT_ATTACHMENT_TYPE,
            },
            file.stream,
          );
          stored.push(attachment);
          return attachment;
        },
      );

      // Attachments follow their event: they are dropped while a limit covers its category.
      const { decision, limit } = await admission.limitCategory('attachment', stored.length);
      announceRateLimits(reply, decision, limit === undefined ? [] : [limit]);
      if (limit !== undefined) {
        await deleteUnqueuedBlobs(
          options.blobs,
          stored.map((attachment) => attachment.blobKey),
        );
        return await sendRateLimited(reply);
      }

      const meta: ItemMeta = {
        eventId,
        sentAt: undefined,
        clientIp: request.ip,
        client: headerValue(request.headers['user-agent']),
        sdk: undefined,
        trace: undefined,
        itemHeaders: { type: 'attachment' },
      };
      const records = stored.map((attachment) =>
        createAttachmentRecord(projectId, receivedAt, meta, attachment),
      );
      if (records.length > 0) {
        await options.queue.enqueue(records);
      }
    } catch (error) {
      await deleteUnqueuedBlobs(
        options.blobs,
        stored.map((attachment) => attachment.blobKey),
      );
      throw error;
    }

    return reply.status(201).send();
  });
}
