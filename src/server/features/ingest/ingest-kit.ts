import type { FastifyReply, FastifyRequest } from 'fastify';

import { AppError, AuthError } from '../../platform/errors.js';
import type { KeyControls } from '../rate-limits/index.js';
import { checkDsnMatch, extractAuth, parseDsn, type IngestAuth } from './auth.js';
import { parseContentEncoding } from './body-decoders.js';
import type { ProjectKeyCache } from './project-key-cache.js';
import { readBody } from './read-body.js';
import { readSmallBody, SMALL_BODY_BYTES } from './small-body.js';

const IDLE_TIMEOUT_MS = 30_000;

/**
 * Resolves the DSN key that a request writes with: the public key comes from the request's auth,
 * else from `envelopeDsn`, and must be active and belong to the project in the path. Ingest
 * routes call it through `IngestGate.admit`, which adds the origin, load and rate-limit checks.
 * @throws AuthError 401 without a key, 403 for an unknown, disabled or foreign key.
 */
export async function authorizeKey(
  keys: ProjectKeyCache,
  requestAuth: IngestAuth | undefined,
  pathProjectId: number,
  envelopeDsn?: string,
): Promise<KeyControls> {
  const publicKey = resolvePublicKey(requestAuth, envelopeDsn, pathProjectId);
  const key = await keys.findActiveKey(publicKey);

  if (key === undefined) {
    throw new AuthError(403, 'Unknown or disabled DSN public key');
  }
  if (key.projectId !== pathProjectId) {
    throw new AuthError(403, `The DSN public key does not belong to project ${pathProjectId}`);
  }
  return key;
}

/**
 * Reads the body within `maxBytes`. When reading fails midway, the rest of the upload is
 * discarded and the connection is closed after the error response, so that a client still
 * sending receives the response instead of a stalled socket.
 */
export async function readRequestBody(
  request: FastifyRequest,
  reply: FastifyReply,
  maxBytes: number,
) {
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

export function readAuth(request: FastifyRequest): IngestAuth | undefined {
  return extractAuth({
    headers: request.headers,
    query: request.query as Record<string, unknown>,
  });
}

function resolvePublicKey(
  requestAuth: IngestAuth | undefined,
  dsn: string | undefined,
  pathProjectId: number,
): string {
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

export function parseProjectId(value: string): number {
  if (!/^\d{1,15}$/.test(value)) {
    throw new AppError(
      400,
      'bad_request',
      `Invalid project id ${JSON.stringify(value.slice(0, 40))}`,
    );
  }
  return Number(value);
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
