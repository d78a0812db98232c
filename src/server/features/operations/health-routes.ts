import { createHash, timingSafeEqual } from 'node:crypto';

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/index.js';
import { AuthError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import type { QueueWriter } from '../../platform/queue/index.js';
import { DatabaseProbe, type CheckResult } from './database-probe.js';
import type { PicketMetrics } from './picket-metrics.js';
import { readQueueStatus } from './queue-status.js';

/** The worker thread as the health checks see it. */
export interface WorkerState {
  isRunning(): boolean;
}

export interface HealthRoutesOptions {
  role: Config['role'];
  db: Db;
  queue: QueueWriter;
  /** The worker thread, for the roles that run one. */
  worker: WorkerState | undefined;
  metrics: PicketMetrics;
  /** Bearer token that `/metrics` requires. When undefined, `/metrics` is open. */
  metricsToken: string | undefined;
  log: Logger;
}

/**
 * Registers the unauthenticated operations endpoints of every role: liveness (`/_health`,
 * `/_health/live`), readiness (`/_health/ready`) and Prometheus metrics (`/metrics`). Their
 * bodies name the role and the queue's state, never a URL, a host or a dependency version.
 */
export function registerHealthRoutes(app: FastifyInstance, options: HealthRoutesOptions): void {
  const { role, queue, worker, metrics } = options;
  const probe = new DatabaseProbe(options.db, options.log.child({ module: 'health' }));

  const live = (_request: FastifyRequest, reply: FastifyReply) =>
    reply
      .header('cache-control', 'no-store')
      .send({ status: 'ok', role, queue: readQueueStatus(queue) });
  app.get('/_health', live);
  app.get('/_health/live', live);

  app.get('/_health/ready', async (_request, reply) => {
    const checks: Record<string, CheckResult> = {
      database: await probe.check(),
      queue: (queue.isUsable?.() ?? true) ? 'ok' : 'failed',
    };
    if (worker !== undefined) {
      checks.worker = worker.isRunning() ? 'ok' : 'failed';
    }

    const ready = Object.values(checks).every((result) => result === 'ok');
    return reply
      .status(ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({
        status: ready ? 'ok' : 'unavailable',
        role,
        queue: readQueueStatus(queue),
        checks,
      });
  });

  const expectedDigest =
    options.metricsToken === undefined ? undefined : sha256(options.metricsToken);
  app.get('/metrics', async (request, reply) => {
    if (expectedDigest !== undefined) {
      const header = request.headers.authorization ?? '';
      const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
      if (!timingSafeEqual(sha256(token), expectedDigest)) {
        throw new AuthError(
          401,
          'Missing or invalid bearer token for /metrics: send the token set in PICKET_METRICS_TOKEN',
        );
      }
    }

    const text = await metrics.registry.metrics();
    return reply
      .header('content-type', metrics.registry.contentType)
      .header('cache-control', 'no-store')
      .send(text);
  });
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
