import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

import { isAppError, ValidationError } from '../errors.js';

/**
 * Maps errors to responses: `AppError` to its status and `{detail, code}`, Fastify's own client
 * errors to their 4xx, and anything else to a bare 500 that is logged with its stack.
 */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  if (isAppError(error)) {
    request.log.info({ code: error.code, statusCode: error.status }, 'request rejected');
    const body: Record<string, unknown> = { detail: error.detail, code: error.code };

    if (error instanceof ValidationError && Object.keys(error.fields).length > 0) {
      Object.assign(body, error.fields);
    }

    return reply.status(error.status).headers(error.headers).send(body);
  }

  const fastifyError = error as FastifyError;
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    request.log.info({ code: fastifyError.code, statusCode: status }, 'request rejected');
    return reply.status(status).send({ detail: fastifyError.message, code: 'bad_request' });
  }

  request.log.error({ err: error }, 'request failed');
  return reply.status(500).send({ detail: 'Internal server error', code: 'internal' });
}
