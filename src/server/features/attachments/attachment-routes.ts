import type { FastifyInstance } from 'fastify';

import { BlobNotFoundError, type BlobStore } from '../../platform/blobs/index.js';
import { NotFoundError } from '../../platform/errors.js';
import { paginateList } from '../../platform/http/pagination.js';
import { normalizeEventId } from '../ingest/json-payload.js';
import { resolveProject, type OrganizationRepository } from '../organizations/index.js';
import type { AttachmentRepository } from './attachment-repository.js';
import {
  contentDisposition,
  downloadContentType,
  serializeAttachment,
} from './attachment-serializer.js';

export interface AttachmentRoutesOptions {
  organizations: OrganizationRepository;
  attachments: AttachmentRepository;
  blobs: BlobStore;
}

type EventParams = { org: string; project: string; eventId: string };
type AttachmentParams = EventParams & { attachmentId: string };

/** Lists, describes and downloads the attachments of an event, for members with `event:read`. */
export function registerAttachmentRoutes(
  app: FastifyInstance,
  options: AttachmentRoutesOptions,
): void {
  const { organizations, attachments, blobs } = options;
  const base = '/api/0/projects/:org/:project/events/:eventId/attachments/';

  app.get<{ Params: EventParams }>(base, async (request, reply) => {
    const { project } = await resolveProject(request, organizations, request.params, 'event:read');
    const eventId = parseEventId(request.params.eventId);
    const rows = await attachments.listByEvents(project.id, [eventId]);
    return paginateList(request, reply, rows.map(serializeAttachment));
  });

  app.get<{ Params: AttachmentParams }>(`${base}:attachmentId/`, async (request, reply) => {
    const { project } = await resolveProject(request, organizations, request.params, 'event:read');
    const eventId = parseEventId(request.params.eventId);
    const { attachmentId } = request.params;
    const row = /^\d{1,15}$/.test(attachmentId)
      ? await attachments.findById(project.id, eventId, Number(attachmentId))
      : undefined;
    if (row === undefined) {
      throw new NotFoundError('Attachment not found');
    }

    const download = (request.query as Record<string, unknown>).download;
    if (download === undefined || download === '0' || download === 'false') {
      return serializeAttachment(row);
    }

    let stream;
    try {
      stream = await blobs.open(row.blobKey);
    } catch (error) {
      if (error instanceof BlobNotFoundError) {
        throw new NotFoundError('The attachment file is no longer stored');
      }
      throw error;
    }
    return reply
      .header('Content-Type', downloadContentType(row.contentType))
      .header('Content-Disposition', contentDisposition(row.name))
      .header('Content-Length', String(row.size))
      .header('X-Content-Type-Options', 'nosniff')
      .header('Cache-Control', 'private, no-store')
      .send(stream);
  });
}

function parseEventId(value: string): string {
  const eventId = normalizeEventId(value);
  if (eventId === undefined) {
    throw new NotFoundError('Event not found');
  }
  return eventId;
}
