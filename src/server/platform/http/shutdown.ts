import type { FastifyInstance } from 'fastify';

/** Seconds a client is asked to wait when it reaches a process that is shutting down. */
export const SHUTDOWN_RETRY_AFTER_SECONDS = 5;

/**
 * Replies 503 with `Retry-After` and `Connection: close` to every request that arrives after
 * `app.close()` starts. SDKs then retry, on another process during a rolling restart, instead of
 * dropping the event. Fastify's own `return503OnClosing` reply has no `Retry-After`, so the app
 * turns that option off and uses this hook.
 */
export function rejectDuringShutdown(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', (_request, reply, done) => {
    if (!closing) {
      done();
      return;
    }
    void reply
      .code(503)
      .header('Retry-After', String(SHUTDOWN_RETRY_AFTER_SECONDS))
      .header('Connection', 'close')
      .send({ detail: 'The server is shutting down; retry later' });
  });
}
