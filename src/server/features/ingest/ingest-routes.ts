import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { BlobStore } from '../../platform/blobs/index.js';
import { AppError, AuthError } from '../../platform/errors.js';
import type { QueueWriter } from '../../platform/queue/index.js';
import {
  formatRateLimits,
  isOriginAllowed,
  requestOrigin,
  retryAfterSeconds,
  type BackpressureMonitor,
  type KeyControls,
  type RateLimiter,
} from '../rate-limits/index.js';
import { authFromDsn, type IngestAuth } from './auth.js';
import { parseEnvelope, type ParsedEnvelope } from './envelope-parser.js';
import {
  authorizeProject,
  headerValue,
  parseProjectId,
  readAuth,
  readRequestBody,
} from './ingest-kit.js';
import {
  countEnvelopeOutcome,
  ingestEnvelope,
  rejectUnusable,
  type IngestResult,
} from './ingest-service.js';
import type { OutcomeRecorder } from './outcome-recorder.js';
import type { ProjectKeyCache } from './project-key-cache.js';
import { decodeStoreBody } from './store-body.js';

export interface IngestRoutesOptions {
  keys: ProjectKeyCache;
  queue: QueueWriter;
  outcomes: OutcomeRecorder;
  /** Storage for attachment bytes. Without it, attachments are counted as not stored. */
  blobs?: BlobStore;
  /** Largest envelope after decompression, in bytes. */
  maxEnvelopeBytes: number;
  /** Largest store body after decompression, in bytes. */
  maxStoreBytes: number;
  /** Key and project rate limits and spike protection; without it nothing is rate limited. */
  limiter?: RateLimiter;
  /** Queue backlog and disk space checks; without it ingest never refuses for load. */
  backpressure?: BackpressureMonitor;
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
    const dsn = typeof envelope.headers.dsn === 'string' ? envelope.headers.dsn : undefined;
    const projectId = await authorizeProject(
      options.keys,
      auth.requestAuth,
      auth.pathProjectId,
      dsn,
    );
    const key = await findKeyControls(auth.requestAuth, dsn);
    checkIngestAllowed(request, envelope, key, projectId);

    const { limiter } = options;
    const result = await ingestEnvelope(
      envelope,
      {
        projectId,
        receivedAt: Date.now(),
        clientIp: request.ip,
        client: auth.requestAuth?.client ?? headerValue(request.headers['user-agent']),
        source: auth.source ?? 'envelope',
        userAgent: headerValue(request.headers['user-agent']),
        ...(limiter === undefined || key === undefined
          ? {}
          : { checkRateLimits: (quantities) => limiter.check(key, quantities) }),
      },
      options.queue,
      options.outcomes,
      options.blobs,
    );
    rejectUnusable(result);

    if (announceRateLimits(reply, result)) {
      return reply.status(429).send({
        detail: 'Picket dropped data because a rate limit was reached; see X-Sentry-Rate-Limits',
        code: 'rate_limited',
      });
    }

    return reply.status(200).send(result.eventId === undefined ? {} : { id: result.eventId });
  }

  // The key was found active by authorizeProject just before, so this reads the cache.
  async function findKeyControls(requestAuth: IngestAuth | undefined, dsn: string | undefined) {
    const publicKey =
      requestAuth?.publicKey ?? (dsn === undefined ? undefined : authFromDsn(dsn).publicKey);
    return publicKey === undefined ? undefined : options.keys.findActiveKey(publicKey);
  }

  /**
   * Refuses a whole envelope whose browser origin the key does not allow (403, as Relay does)
   * or that arrives while the server is overloaded (429 or 503 with Retry-After). Its items
   * are counted as outcomes with the reason.
   * @throws AuthError 403, or AppError 429 `rate_limited` or 503 `unavailable`.
   */
  function checkIngestAllowed(
    request: FastifyRequest,
    envelope: ParsedEnvelope,
    key: KeyControls | undefined,
    projectId: number,
  ): void {
    const origin = requestOrigin(
      headerValue(request.headers.origin),
      headerValue(request.headers.referer),
    );
    if (key !== undefined && !isOriginAllowed(origin, key.allowedDomains)) {
      countEnvelopeOutcome(envelope, projectId, 'invalid', 'cors', options.outcomes);
      throw new AuthError(
        403,
        `Origin ${JSON.stringify(origin?.origin.slice(0, 100))} is not in the allowed domains of this DSN key`,
      );
    }

    const pressure = options.backpressure?.check();
    if (pressure !== undefined) {
      countEnvelopeOutcome(envelope, projectId, 'rate_limited', pressure.reason, options.outcomes);
      throw new AppError(
        pressure.status,
        pressure.status === 429 ? 'rate_limited' : 'unavailable',
        pressure.detail,
        { headers: { 'Retry-After': String(pressure.retryAfterSeconds) } },
      );
    }
  }
}

/**
 * Sets `X-Sentry-Rate-Limits` while any limit is in force, on 200 responses too, and
 * `Retry-After` when items were dropped. Returns whether the response must be 429: Relay
 * answers 429 when any item was rate limited, even if others were accepted.
 */
function announceRateLimits(reply: FastifyReply, result: IngestResult): boolean {
  const decision = result.rateLimits;
  if (decision === undefined || decision.active.length === 0) {
    return false;
  }

  reply.header('X-Sentry-Rate-Limits', formatRateLimits(decision.active));
  if (result.rateLimited === 0) {
    return false;
  }

  reply.header('Retry-After', String(retryAfterSeconds([...decision.limited.values()])));
  return true;
}
