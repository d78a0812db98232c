import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { AppError } from '../../platform/errors.js';
import { WireWriter } from '../../platform/protobuf/index.js';
import type { QueueWriter } from '../../platform/queue/index.js';
import { announceRateLimits, sendRateLimited, type IngestGate } from '../ingest/ingest-gate.js';
import { headerValue, parseProjectId, readAuth, readRequestBody } from '../ingest/ingest-kit.js';
import { parseJsonPayload } from '../ingest/json-payload.js';
import type { OutcomeRecorder } from '../ingest/outcome-recorder.js';
import { acceptLogs, acceptTraces, type Accepted } from './otlp-accept.js';
import { readLogsRequest, readTraceRequest } from './otlp-json.js';
import { OtlpDecodeError } from './otlp-model.js';
import { decodeLogsRequest, decodeTraceRequest } from './otlp-protobuf.js';
import type { RecordContext } from './otlp-records.js';

export interface OtlpRoutesOptions {
  gate: IngestGate;
  queue: QueueWriter;
  outcomes: OutcomeRecorder;
}

type Signal = 'traces' | 'logs';
type BodyFormat = 'json' | 'protobuf';

/** Largest OTLP request body after decompression, in bytes. */
const MAX_OTLP_BYTES = 20 * 1024 * 1024;

/** Data category of what each signal produces, as rate limits count it. */
const SIGNAL_CATEGORIES: Record<Signal, string> = { traces: 'span', logs: 'log_item' };

// Relay's OTLP routes, with and without the trailing slash. `/api/{id}/otlp/v1/traces` is the
// older path of the traces route.
const ROUTES: { path: string; signal: Signal }[] = [
  { path: '/api/:projectId/integration/otlp/v1/traces', signal: 'traces' },
  { path: '/api/:projectId/integration/otlp/v1/logs', signal: 'logs' },
  { path: '/api/:projectId/otlp/v1/traces', signal: 'traces' },
];

/**
 * Registers the OTLP/HTTP endpoints (https://opentelemetry.io/docs/specs/otlp/#otlphttp).
 * Traces become Sentry span v2 items and logs become Sentry log items, queued like the items of
 * an envelope. The response is 202 once they are durable. Call it inside the ingest context,
 * because the routes read bodies raw.
 */
export function registerOtlpRoutes(app: FastifyInstance, options: OtlpRoutesOptions): void {
  for (const { path, signal } of ROUTES) {
    for (const routePath of [path, `${path}/`]) {
      app.options(routePath, (_request, reply) => reply.status(200).send());
      app.post<{ Params: { projectId: string } }>(routePath, (request, reply) =>
        handleExport(request, reply, signal),
      );
    }
  }

  async function handleExport(
    request: FastifyRequest<{ Params: { projectId: string } }>,
    reply: FastifyReply,
    signal: Signal,
  ) {
    const pathProjectId = parseProjectId(request.params.projectId);
    const format = readBodyFormat(headerValue(request.headers['content-type']));
    const category = SIGNAL_CATEGORIES[signal];
    // Relay drops rate-limited logs with a 202 and responds with 429 for rate-limited spans.
    const allows429 = signal === 'traces';
    const admission = await options.gate.admit(request, {
      pathProjectId,
      auth: readAuth(request),
      quantities: new Map([[category, 1]]),
      allows429,
    });
    const body = await readRequestBody(request, reply, MAX_OTLP_BYTES);
    const context: RecordContext = {
      projectId: admission.projectId,
      receivedAt: Date.now(),
      clientIp: request.ip,
      client: headerValue(request.headers['user-agent']),
    };

    const accepted =
      signal === 'traces'
        ? acceptTraces(
            decode(body, format, readTraceRequest, decodeTraceRequest),
            body.length,
            context,
          )
        : acceptLogs(
            decode(body, format, readLogsRequest, decodeLogsRequest),
            body.length,
            context,
          );
    for (const [reason, count] of accepted.rejections) {
      options.outcomes.record(admission.projectId, 'invalid', reason, category, count);
    }
    const { decision, limit } = await admission.limitCategory(category, accepted.count);
    if (limit !== undefined) {
      if (allows429) {
        announceRateLimits(reply, decision, [limit]);
        return sendRateLimited(reply);
      }
      return sendResponse(reply, format, signal, accepted);
    }

    if (accepted.records.length > 0) {
      await options.queue.enqueue(accepted.records);
    }
    if (allows429) {
      announceRateLimits(reply, decision, []);
    }
    return sendResponse(reply, format, signal, accepted);
  }
}

/**
 * Decodes a request body in its format.
 * @throws AppError 400 for a body that is not valid JSON or protobuf of the expected request.
 */
function decode<T>(
  body: Buffer,
  format: BodyFormat,
  readJson: (json: unknown) => T,
  decodeProtobuf: (bytes: Uint8Array) => T,
): T {
  try {
    if (format === 'protobuf') {
      return decodeProtobuf(body);
    }

    const parsed = parseJsonPayload(body);
    if (!parsed.ok) {
      throw new AppError(400, 'invalid_json', `Invalid OTLP JSON body: ${parsed.message}`);
    }
    return readJson(parsed.value);
  } catch (error) {
    if (error instanceof OtlpDecodeError) {
      throw new AppError(400, 'bad_request', error.message, { cause: error });
    }
    throw error;
  }
}

/**
 * Reads the body format from the Content-Type's media type.
 * @throws AppError 415 for any type but `application/json` and `application/x-protobuf`.
 */
function readBodyFormat(contentType: string | undefined): BodyFormat {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();

  if (mediaType === 'application/json') {
    return 'json';
  }
  if (mediaType === 'application/x-protobuf') {
    return 'protobuf';
  }
  throw new AppError(
    415,
    'unsupported_media_type',
    `Unsupported OTLP Content-Type ${JSON.stringify((contentType ?? '').slice(0, 100))}: send application/json or application/x-protobuf`,
  );
}

/**
 * Sends 202 with an `Export*ServiceResponse` in the request's format. When spans or log records
 * were left out, its `partial_success` message (field 1) carries their count (field 1) and the
 * reasons (field 2), which exporters print as a warning.
 */
function sendResponse(reply: FastifyReply, format: BodyFormat, signal: Signal, accepted: Accepted) {
  const hasRejections = accepted.rejected > 0;

  if (format === 'protobuf') {
    const response = new WireWriter();
    if (hasRejections) {
      response.message(
        1,
        new WireWriter().varint(1, accepted.rejected).string(2, accepted.rejectionMessage),
      );
    }
    return reply
      .status(202)
      .header('content-type', 'application/x-protobuf')
      .send(Buffer.from(response.finish()));
  }

  const countName = signal === 'traces' ? 'rejectedSpans' : 'rejectedLogRecords';
  const partialSuccess = {
    [countName]: String(accepted.rejected),
    errorMessage: accepted.rejectionMessage,
  };
  return reply.status(202).send(hasRejections ? { partialSuccess } : {});
}
