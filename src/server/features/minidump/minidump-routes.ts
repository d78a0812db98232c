import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { BlobStore } from '../../platform/blobs/index.js';
import { AppError } from '../../platform/errors.js';
import type { QueueWriter } from '../../platform/queue/index.js';
import {
  deleteUnqueuedBlobs,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS_PER_ENVELOPE,
  normalizeContentType,
  normalizeFileName,
  openRequestStream,
  parseMultipart,
  storeAttachmentBytes,
  type MultipartFile,
  type StoredAttachment,
} from '../attachments/index.js';
import type { IngestAdmission, IngestGate } from '../ingest/ingest-gate.js';
import { headerValue, parseProjectId, readAuth } from '../ingest/ingest-kit.js';
import { ingestEnvelope, rejectUnusable } from '../ingest/ingest-service.js';
import type { OutcomeRecorder } from '../ingest/outcome-recorder.js';
import { limitForCategory } from '../rate-limits/index.js';
import { readMinidumpContent } from './minidump-content.js';
import { buildMinidumpEvent } from './minidump-event.js';

export interface MinidumpRoutesOptions {
  gate: IngestGate;
  queue: QueueWriter;
  outcomes: OutcomeRecorder;
  blobs: BlobStore;
}

const MINIDUMP_FIELD = 'upload_file_minidump';
const RAW_CONTENT_TYPES = new Set(['application/octet-stream', 'application/x-dmp']);
/** Files that sentry-native's crashpad backend sends beside the dump, by attachment type. */
const SPECIAL_FILES = new Map([
  ['__sentry-event', 'event.payload'],
  ['__sentry-breadcrumb1', 'event.breadcrumbs'],
  ['__sentry-breadcrumb2', 'event.breadcrumbs'],
]);
const MAX_REQUEST_BYTES = MAX_ATTACHMENT_BYTES + 1024 * 1024;
/** Bytes of all text fields of a form together; the event is built from them. */
const MAX_FIELD_BYTES = 1024 * 1024;

type ProjectParams = { projectId: string };

/**
 * Registers `POST /api/{project_id}/minidump/`: a crash upload as `multipart/form-data` with
 * the dump in `upload_file_minidump`, or the dump as the raw body. The dump is stored as an
 * `event.minidump` attachment of a new fatal native event. Responds 200 with the event id as a
 * hyphenated UUID in plain text, and never 429, so that crash reporters do not send the dump
 * again: a rate-limited upload is dropped with a 200.
 */
export function registerMinidumpRoutes(app: FastifyInstance, options: MinidumpRoutesOptions) {
  for (const path of ['/api/:projectId/minidump', '/api/:projectId/minidump/']) {
    app.options(path, (_request, reply) => reply.status(200).send());
    app.post<{ Params: ProjectParams }>(path, (request, reply) =>
      handleUpload(request, reply, options),
    );
  }
}

async function handleUpload(
  request: FastifyRequest<{ Params: ProjectParams }>,
  reply: FastifyReply,
  options: MinidumpRoutesOptions,
) {
  const pathProjectId = parseProjectId(request.params.projectId);
  // Load and origin are checked before any byte is written.
  const admission = await options.gate.admit(request, {
    pathProjectId,
    auth: readAuth(request),
    quantities: new Map([['error', 1]]),
    allows429: false,
  });
  const contentType = (headerValue(request.headers['content-type']) ?? '')
    .split(';', 1)[0]
    ?.trim()
    .toLowerCase();
  const stored: StoredAttachment[] = [];

  try {
    const fields =
      contentType === 'multipart/form-data'
        ? await readMultipartUpload(request, reply, options.blobs, stored)
        : await readRawUpload(request, reply, options.blobs, stored, contentType ?? '');

    if (!stored.some((file) => file.attachmentType === 'event.minidump')) {
      throw new AppError(400, 'bad_request', `The upload has no "${MINIDUMP_FIELD}" file`);
    }

    const { eventId, event } = buildMinidumpEvent(fields);
    const isQueued = await queueUpload(request, admission, eventId, event, stored, options);
    if (isQueued) {
      stored.length = 0;
    } else {
      await deleteUnqueuedBlobs(
        options.blobs,
        stored.map((file) => file.blobKey),
      );
    }
    return await reply
      .status(200)
      .header('content-type', 'text/plain; charset=utf-8')
      .send(hyphenate(eventId));
  } catch (error) {
    await deleteUnqueuedBlobs(
      options.blobs,
      stored.map((file) => file.blobKey),
    );
    throw error;
  }
}

async function readMultipartUpload(
  request: FastifyRequest,
  reply: FastifyReply,
  blobs: BlobStore,
  stored: StoredAttachment[],
): Promise<[string, string][]> {
  let hasMinidump = false;
  const storeFile = async (file: MultipartFile) => {
    const isMinidump = file.fieldName === MINIDUMP_FIELD && !hasMinidump;
    hasMinidump ||= isMinidump;
    const attachment = await storeAttachmentBytes(
      blobs,
      {
        eventId: '',
        filename: normalizeFileName(file.filename) ?? file.fieldName,
        contentType: isMinidump ? 'application/x-dmp' : normalizeContentType(file.contentType),
        attachmentType: isMinidump
          ? 'event.minidump'
          : (SPECIAL_FILES.get(file.fieldName) ?? 'event.attachment'),
      },
      isMinidump ? readMinidumpContent(file.stream, MAX_ATTACHMENT_BYTES) : file.stream,
    );
    stored.push(attachment);
  };

  const form = await parseMultipart(
    openRequestStream(request, reply, MAX_REQUEST_BYTES),
    request.headers,
    {
      maxFileBytes: MAX_ATTACHMENT_BYTES,
      maxFiles: MAX_ATTACHMENTS_PER_ENVELOPE,
      maxFieldBytes: MAX_FIELD_BYTES,
      maxFields: 1_000,
      maxTotalFieldBytes: MAX_FIELD_BYTES,
    },
    storeFile,
  );
  return form.fields;
}

async function readRawUpload(
  request: FastifyRequest,
  reply: FastifyReply,
  blobs: BlobStore,
  stored: StoredAttachment[],
  contentType: string,
): Promise<[string, string][]> {
  if (!RAW_CONTENT_TYPES.has(contentType)) {
    throw new AppError(
      415,
      'unsupported_media_type',
      `Unsupported Content-Type ${JSON.stringify(contentType.slice(0, 80))} for a minidump: use multipart/form-data, application/octet-stream or application/x-dmp`,
    );
  }

  const body = openRequestStream(request, reply, MAX_REQUEST_BYTES);
  try {
    const attachment = await storeAttachmentBytes(
      blobs,
      {
        eventId: '',
        filename: 'minidump.dmp',
        contentType: 'application/x-dmp',
        attachmentType: 'event.minidump',
      },
      readMinidumpContent(body, MAX_ATTACHMENT_BYTES),
    );
    stored.push(attachment);
  } catch (error) {
    // The rest of the body is discarded and the connection closed after the response.
    reply.header('connection', 'close');
    body.destroy();
    request.raw.resume();
    throw error;
  }
  return [];
}

/**
 * Queues the event with its attachments in one write, so that the event never points at files
 * that are not queued. Returns false when a rate limit dropped the event: as Relay does, the
 * upload still gets 200 so that crash reporters do not retry, and its files are counted as
 * rate limited with it.
 * @throws AppError 400 or 413 when the event is refused, such as for being too large.
 */
async function queueUpload(
  request: FastifyRequest,
  admission: IngestAdmission,
  eventId: string,
  event: Record<string, unknown>,
  stored: StoredAttachment[],
  options: MinidumpRoutesOptions,
): Promise<boolean> {
  const { projectId } = admission;
  const client = headerValue(request.headers['user-agent']);
  const result = await ingestEnvelope(
    {
      headers: { event_id: eventId },
      items: [
        { headers: { type: 'event' }, payload: Buffer.from(JSON.stringify(event)), index: 0 },
      ],
      framingError: undefined,
    },
    {
      projectId,
      receivedAt: Date.now(),
      clientIp: request.ip,
      client,
      userAgent: client,
      checkRateLimits: admission.checkRateLimits,
      storedAttachments: stored,
    },
    options.queue,
    options.outcomes,
  );
  rejectUnusable(result);

  if (result.rateLimited === 0) {
    return true;
  }

  const limit =
    result.rateLimits === undefined ? undefined : limitForCategory(result.rateLimits, 'attachment');
  if (limit !== undefined) {
    const bytes = stored.reduce((total, file) => total + file.size, 0);
    options.outcomes.record(projectId, 'rate_limited', limit.reason, 'attachment', bytes);
    options.outcomes.record(
      projectId,
      'rate_limited',
      limit.reason,
      'attachment_item',
      stored.length,
    );
  }
  request.log.info({ projectId, eventId }, 'minidump event rate limited');
  return false;
}

function hyphenate(eventId: string): string {
  return [
    eventId.slice(0, 8),
    eventId.slice(8, 12),
    eventId.slice(12, 16),
    eventId.slice(16, 20),
    eventId.slice(20),
  ].join('-');
}
