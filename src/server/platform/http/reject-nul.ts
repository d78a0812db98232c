import type { FastifyInstance } from 'fastify';

import { ValidationError } from '../errors.js';

const MAX_DEPTH = 64;

/** Returns whether a parsed query or JSON body contains U+0000 in a key or a string value. */
export function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') {
    return value.includes('\u0000');
  }
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) {
    return false;
  }
  if (Array.isArray(value)) {
    return value.some((item) => containsNul(item, depth + 1));
  }
  return Object.entries(value).some(
    ([key, item]) => key.includes('\u0000') || containsNul(item, depth + 1),
  );
}

/**
 * Rejects API requests (`/api/0/`) whose query or JSON body contains a NUL character with 400, because
 * PostgreSQL text cannot store it and no field of the API needs it. Ingest routes keep NUL,
 * which the worker handles.
 */
export function registerNulRejection(app: FastifyInstance): void {
  app.addHook('preHandler', (request, _reply, done) => {
    if (
      request.url.startsWith('/api/0/') &&
      (containsNul(request.query) || containsNul(request.body))
    ) {
      done(new ValidationError('Invalid request: text must not contain a NUL character (U+0000)'));
      return;
    }
    done();
  });
}
