import type { FastifyInstance } from 'fastify';

import { requestOrigin } from '../../platform/http/pagination.js';
import { openRequestStream } from '../attachments/index.js';
import { resolveOrganization, type OrganizationRepository } from '../organizations/index.js';
import { receiveChunks } from './chunk-receiver.js';
import { ChunkUploadError, type ChunkStore } from './chunk-store.js';
import {
  ACCEPTED_UPLOADS,
  CHUNK_SIZE,
  CHUNKS_PER_REQUEST,
  MAX_ASSEMBLED_BYTES,
  MAX_REQUEST_SIZE,
  UPLOAD_CONCURRENCY,
  UPLOAD_SCOPES,
} from './upload-limits.js';

export interface ChunkUploadRoutesOptions {
  organizations: OrganizationRepository;
  chunks: ChunkStore;
  publicUrl: string | undefined;
}

// Multipart framing around the chunks: part headers and boundaries, at most 64 parts, plus the
// few bytes gzip adds to a chunk it cannot compress.
const FRAMING_ALLOWANCE = 1024 * 1024;

type OrgParams = { org: string };

/**
 * Registers Sentry's chunk-upload endpoint: `GET` returns the upload options sentry-cli
 * follows, `POST` stores the chunks of a `multipart/form-data` body. The POST route needs a
 * context where multipart bodies are left unread for it.
 */
export function registerChunkUploadRoutes(
  app: FastifyInstance,
  options: ChunkUploadRoutesOptions,
): void {
  const { organizations, chunks } = options;
  const path = '/api/0/organizations/:org/chunk-upload/';

  app.get<{ Params: OrgParams }>(path, async (request) => {
    const access = await resolveOrganization(
      request,
      organizations,
      request.params.org,
      UPLOAD_SCOPES,
    );
    const baseUrl = options.publicUrl ?? requestOrigin(request);
    const slug = encodeURIComponent(access.organization.slug);
    return {
      url: `${baseUrl}/api/0/organizations/${slug}/chunk-upload/`,
      chunkSize: CHUNK_SIZE,
      chunksPerRequest: CHUNKS_PER_REQUEST,
      maxFileSize: MAX_ASSEMBLED_BYTES,
      maxRequestSize: MAX_REQUEST_SIZE,
      concurrency: UPLOAD_CONCURRENCY,
      hashAlgorithm: 'sha1',
      compression: ['gzip'],
      accept: ACCEPTED_UPLOADS,
    };
  });

  app.post<{ Params: OrgParams }>(path, async (request, reply) => {
    const access = await resolveOrganization(
      request,
      organizations,
      request.params.org,
      UPLOAD_SCOPES,
    );
    const organizationId = access.organization.id;

    const body = openRequestStream(request, reply, MAX_REQUEST_SIZE + FRAMING_ALLOWANCE);
    try {
      const stored = await receiveChunks(
        body,
        request.headers,
        {
          maxChunkBytes: CHUNK_SIZE,
          maxChunks: CHUNKS_PER_REQUEST,
          maxRequestBytes: MAX_REQUEST_SIZE,
        },
        (sha1, content) => chunks.store(organizationId, sha1, content),
      );
      request.log.debug({ organizationId, chunks: stored }, 'chunks uploaded');
    } catch (error) {
      if (error instanceof ChunkUploadError) {
        request.log.info({ organizationId, reason: error.message }, 'chunk upload rejected');
        // Closing the connection spares reading the rest of a rejected body.
        reply.header('connection', 'close');
        return reply.code(400).send({ error: error.message });
      }
      throw error;
    }
    return reply.code(200).send();
  });
}
