import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { BlobStore } from '../../platform/blobs/index.js';
import type { QueueWriter } from '../../platform/queue/index.js';
import type { IngestAuth } from './auth.js';
import { parseEnvelope, type ParsedEnvelope } from './envelope-parser.js';
import { announceRateLimits, sendRateLimited, type IngestGate } from './ingest-gate.js';
import { headerValue, parseProjectId, readAuth, readRequestBody } from './ingest-kit.js';
import { countItemCategories, ingestEnvelope, rejectUnusable } from './ingest-service.js';
import type { OutcomeRecorder } from './outcome-recorder.js';
import { decodeStoreBody } from './store-body.js';

export interface IngestRoutesOptions {
  gate: IngestGate;
  queue: QueueWriter;
  outcomes: OutcomeRecorder;
  /** Storage for attachment bytes. Without it, attachments are counted as not stored. */
  blobs?: BlobStore;
  /** Largest envelope after decompression, in bytes. */
  maxEnvelopeBytes: number;
  /** Largest store body after decompression, in bytes. */
  maxStoreBytes: number;
}

// CORS headers of every ingest response, as Relay sends them. Browsers read the rate-limit
// headers only when they are exposed.
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST',
  'access-control-allow-headers':
    'x-sentry-auth, x-requested-with, x-forwarded-for, origin, referer, accept, content-type, authentication, authorization, content-encoding, transfer-encoding',
  'access-control-expose-headers': 'x-sentry-error, x-sentry-rate-limits, retry-after',
  'access-control-max-age': '3600',
};

type ProjectParams = { projectId: string };

/**
 * Registers the ingest endpoints. Bodies are read raw from the socket (no generic body parsing), so
 * decompression limits apply before anything is buffered.
 */
export function registerIngestRoutes(app: FastifyInstance, options: IngestRoutesOptions): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => {
    done(null, undefined);
  });

  app.addHook('onSend', async (_request, reply) => {
    reply.headers(CORS_HEADERS);
  });

  app.options('/api/:projectId/envelope/', (_request, reply) => reply.status(200).send());
  app.options('/api/:projectId/store/', (_request, reply) => reply.status(200).send());

  app.post<{ Params: ProjectParams }>('/api/:projectId/envelope/', async (request, reply) => {
    const pathProjectId = parseProjectId(request.params.projectId);
    const requestAuth = readAuth(request);
    const body = await readRequestBody(request, reply, options.maxEnvelopeBytes);

    return handleEnvelope(request, reply, parseEnvelope(body), { pathProjectId, requestAuth });
  });

  app.post<{ Params: ProjectParams }>('/api/:projectId/store/', async (request, reply) => {
    const pathProjectId = parseProjectId(request.params.projectId);
    const requestAuth = readAuth(request);
    const contentType = headerValue(request.headers['content-type']);
    const body = await readRequestBody(request, reply, options.maxStoreBytes);
    const decoded = decodeStoreBody(body, contentType, { maxBytes: options.maxStoreBytes });
    const envelope: ParsedEnvelope =
      decoded.kind === 'envelope'
        ? parseEnvelope(body)
        : {
            headers: {},
            items: [{ headers: { type: 'event' }, payload: decoded.payload, index: 0 }],
            framingError: undefined,
          };

    return handleEnvelope(request, reply, envelope, {
      pathProjectId,
      requestAuth,
      source: decoded.kind === 'envelope' ? 'envelope' : 'store',
    });
  });

  async function handleEnvelope(
    request: FastifyRequest,
    reply: FastifyReply,
    envelope: ParsedEnvelope,
    auth: {
      pathProjectId: number;
      requestAuth: IngestAuth | undefined;
      source?: 'envelope' | 'store';
    },
  ) {
    const admission = await options.gate.admit(request, {
      pathProjectId: auth.pathProjectId,
      auth: auth.requestAuth,
      envelopeDsn: typeof envelope.headers.dsn === 'string' ? envelope.headers.dsn : undefined,
      quantities: countItemCategories(envelope),
    });

    const result = await ingestEnvelope(
      envelope,
      {
        projectId: admission.projectId,
        receivedAt: Date.now(),
        clientIp: request.ip,
        client: auth.requestAuth?.client ?? headerValue(request.headers['user-agent']),
        source: auth.source ?? 'envelope',
        userAgent: headerValue(request.headers['user-agent']),
        checkRateLimits: admission.checkRateLimits,
      },
      options.queue,
      options.outcomes,
      options.blobs,
    );
    rejectUnusable(result);

    const droppedBy =
      result.rateLimited > 0 ? [...(result.rateLimits?.limited.values() ?? [])] : [];
    if (announceRateLimits(reply, result.rateLimits, droppedBy)) {
      return sendRateLimited(reply);
    }

    return reply.status(200).send(result.eventId === undefined ? {} : { id: result.eventId });
  }
}
