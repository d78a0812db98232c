import type { FastifyInstance, FastifyRequest } from 'fastify';

import { AppError } from '../../platform/errors.js';
import type { QueueRecord, QueueWriter } from '../../platform/queue/index.js';
import { extractAuth } from '../ingest/auth.js';
import type { IngestGate } from '../ingest/ingest-gate.js';
import { headerValue, parseProjectId, readRequestBody } from '../ingest/ingest-kit.js';
import type { ItemMeta } from '../ingest/item-kinds.js';
import { itemSizeLimit } from '../ingest/item-types.js';

export interface CronIngestRoutesOptions {
  gate: IngestGate;
  queue: QueueWriter;
}

type CronParams = { projectId: string; monitorSlug: string; sentryKey?: string };

// Relay names the client this way when a check-in request carries no `sentry_client`.
const DEFAULT_CLIENT = 'relay-http';
const NIL_CHECK_IN_ID = '00000000000000000000000000000000';
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

const PATHS = [
  '/api/:projectId/cron/:monitorSlug/:sentryKey/',
  '/api/:projectId/cron/:monitorSlug/:sentryKey',
  '/api/:projectId/cron/:monitorSlug/',
  '/api/:projectId/cron/:monitorSlug',
];

/**
 * Registers Sentry's HTTP check-in endpoint: `GET` or `POST /api/{project}/cron/{slug}/[{key}/]`.
 * The key comes from the path or the usual DSN auth. A JSON body (`Content-Type:
 * application/json`) is a check-in payload; otherwise the query carries `status`,
 * `check_in_id`, `environment` and `duration`. The check-in is queued as a `check_in` record
 * and the response is 202 with an empty body once it is durable, as Relay responds.
 */
export function registerCronIngestRoutes(
  app: FastifyInstance,
  options: CronIngestRoutesOptions,
): void {
  for (const path of PATHS) {
    app.options(path, (_request, reply) => reply.status(200).send());

    app.route<{ Params: CronParams }>({
      method: ['GET', 'POST'],
      url: path,
      handler: async (request, reply) => {
        const pathProjectId = parseProjectId(request.params.projectId);
        const auth = extractAuth({
          headers: request.headers,
          query: request.query as Record<string, unknown>,
          ...(request.params.sentryKey === undefined ? {} : { pathKey: request.params.sentryKey }),
        });
        // As in Relay, a check-in never gets a 429. A rate-limited one is counted and dropped
        // with the usual 202, and a queue backlog returns 503.
        const admission = await options.gate.admit(request, {
          pathProjectId,
          auth,
          quantities: new Map([['monitor', 1]]),
          allows429: false,
        });

        const contentType = headerValue(request.headers['content-type']) ?? '';
        const payload = contentType.toLowerCase().startsWith('application/json')
          ? readJsonCheckIn(await readRequestBody(request, reply, itemSizeLimit('check_in')))
          : readQueryCheckIn(request);
        payload.monitor_slug = request.params.monitorSlug;

        const { limit } = await admission.limitCategory('monitor', 1);
        if (limit !== undefined) {
          return reply.status(202).send();
        }
        await options.queue.enqueue([
          createCheckInRecord(payload, {
            projectId: admission.projectId,
            clientIp: request.ip,
            client: auth?.client ?? DEFAULT_CLIENT,
          }),
        ]);
        return reply.status(202).send();
      },
    });
  }
}

/**
 * Reads a JSON check-in body. A missing `check_in_id` means a new check-in, as in the query
 * form.
 * @throws AppError 400 when the body is not a JSON object or has no status.
 */
function readJsonCheckIn(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AppError(400, 'invalid_json', 'The check-in body is not valid JSON');
  }

  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AppError(400, 'invalid_json', 'The check-in body must be a JSON object');
  }

  const payload = parsed as Record<string, unknown>;
  if (typeof payload.status !== 'string') {
    throw new AppError(
      400,
      'bad_request',
      'The check-in has no "status": send in_progress, ok or error',
    );
  }
  payload.check_in_id ??= NIL_CHECK_IN_ID;
  return payload;
}

/**
 * Reads a check-in from the query string.
 * @throws AppError 400 for a missing status, a malformed check-in id or a duration that is not
 *   a number.
 */
function readQueryCheckIn(request: FastifyRequest): Record<string, unknown> {
  const query = request.query as Record<string, unknown>;
  const read = (name: string) => (typeof query[name] === 'string' ? query[name] : undefined);
  const status = read('status');
  const checkInId = read('check_in_id');
  const environment = read('environment');
  const duration = read('duration');

  if (status === undefined || status === '') {
    throw new AppError(
      400,
      'bad_request',
      'Missing query parameter "status": send in_progress, ok or error',
    );
  }
  if (checkInId !== undefined && !UUID.test(checkInId)) {
    throw new AppError(
      400,
      'bad_request',
      `Invalid check_in_id ${JSON.stringify(checkInId.slice(0, 40))}: send a UUID`,
    );
  }
  if (duration !== undefined && !Number.isFinite(Number(duration))) {
    throw new AppError(
      400,
      'bad_request',
      `Invalid duration ${JSON.stringify(duration.slice(0, 40))}: send seconds as a number`,
    );
  }

  return {
    check_in_id: checkInId ?? NIL_CHECK_IN_ID,
    status,
    ...(environment === undefined ? {} : { environment }),
    ...(duration === undefined ? {} : { duration: Number(duration) }),
  };
}

function createCheckInRecord(
  payload: Record<string, unknown>,
  context: { projectId: number; clientIp: string | undefined; client: string },
): QueueRecord {
  const meta: ItemMeta = {
    eventId: undefined,
    sentAt: undefined,
    clientIp: context.clientIp,
    client: context.client,
    sdk: undefined,
    trace: undefined,
    itemHeaders: { type: 'check_in' },
  };

  return {
    projectId: context.projectId,
    kind: 'check_in',
    receivedAt: Date.now(),
    body: JSON.stringify({ meta, item: payload }),
  };
}
