import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { AppError, AuthError } from '../../platform/errors.js';
import type { QueueWriter } from '../../platform/queue/index.js';
import { checkDsnMatch, extractAuth, parseDsn, type IngestAuth } from './auth.js';
import { parseEnvelope, type ParsedEnvelope } from './envelope-parser.js';
import { ingestEnvelope, rejectUnusable } from './ingest-service.js';
import type { OutcomeRecorder } from './outcome-recorder.js';
import type { ProjectKeyCache } from './project-key-cache.js';
import { parseContentEncoding } from './body-decoders.js';
import { readBody } from './read-body.js';
import { readSmallBody, SMALL_BODY_BYTES } from './small-body.js';
import { decodeStoreBody } from './store-body.js';

export interface IngestRoutesOptions {
  keys: ProjectKeyCache;
  queue: QueueWriter;
  outcomes: OutcomeRecorder;
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

const IDLE_TIMEOUT_MS = 30_000;

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
    const publicKey = resolvePublicKey(auth.requestAuth, envelope, auth.pathProjectId);
    const projectId = await options.keys.findProjectId(publicKey);

    if (projectId === undefined) {
      throw new AuthError(403, 'Unknown or disabled DSN public key');
    }
    if (projectId !== auth.pathProjectId) {
      throw new AuthError(
        403,
        `The DSN public key does not belong to project ${auth.pathProjectId}`,
      );
    }

    const result = await ingestEnvelope(
      envelope,
      {
        projectId,
        receivedAt: Date.now(),
        clientIp: request.ip,
        client: auth.requestAuth?.client ?? headerValue(request.headers['user-agent']),
        source: auth.source ?? 'envelope',
      },
      options.queue,
      options.outcomes,
    );
    rejectUnusable(result);

    return reply.status(200).send(result.eventId === undefined ? {} : { id: result.eventId });
  }
}

/**
 * Reads the body within `maxBytes`. When reading fails midway, the rest of the upload is
 * discarded and the connection is closed after the error response, so that a client still
 * sending receives the response instead of a stalled socket.
 */
async function readRequestBody(request: FastifyRequest, reply: FastifyReply, maxBytes: number) {
  const contentEncoding = headerValue(request.headers['content-encoding']);
  const options = {
    contentEncoding,
    maxBytes,
    maxWireBytes: maxBytes,
    idleTimeoutMs: IDLE_TIMEOUT_MS,
  };
  const wireLength = Number(request.headers['content-length'] ?? Number.NaN);
  const isSmall = Number.isInteger(wireLength) && wireLength <= SMALL_BODY_BYTES;

  try {
    const isCompressed = ['gzip', 'deflate', 'br'].includes(parseContentEncoding(contentEncoding));
    return isSmall && isCompressed
      ? await readSmallBody(request.raw, options)
      : await readBody(request.raw, options);
  } catch (error) {
    reply.header('connection', 'close');
    request.raw.resume();
    throw error;
  }
}

function readAuth(request: FastifyRequest): IngestAuth | undefined {
  return extractAuth({
    headers: request.headers,
    query: request.query as Record<string, unknown>,
  });
}

function resolvePublicKey(
  requestAuth: IngestAuth | undefined,
  envelope: ParsedEnvelope,
  pathProjectId: number,
): string {
  const dsn = typeof envelope.headers.dsn === 'string' ? envelope.headers.dsn : undefined;

  if (requestAuth !== undefined) {
    if (dsn !== undefined) {
      checkDsnMatch(requestAuth, dsn, pathProjectId);
    }
    return requestAuth.publicKey;
  }

  if (dsn === undefined) {
    throw new AuthError(401, 'Missing authorization information: send the DSN key');
  }
  const parsed = parseDsn(dsn);
  if (parsed.projectId !== pathProjectId) {
    throw new AppError(
      400,
      'bad_request',
      'The project id of the envelope dsn header does not match the request path',
    );
  }
  return parsed.publicKey;
}

function parseProjectId(value: string): number {
  if (!/^\d{1,15}$/.test(value)) {
    throw new AppError(
      400,
      'bad_request',
      `Invalid project id ${JSON.stringify(value.slice(0, 40))}`,
    );
  }
  return Number(value);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
