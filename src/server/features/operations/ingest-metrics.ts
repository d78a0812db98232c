import type { FastifyInstance } from 'fastify';

import type { QueueRecord, QueueWriter } from '../../platform/queue/index.js';
import type { PicketMetrics, RequestOutcome } from './picket-metrics.js';

/**
 * Counts every response of an ingest context by endpoint and outcome, with its duration.
 * `endpoint` is the first path segment after `/api/:projectId/` (`envelope`, `store`, ...).
 */
export function registerIngestRequestMetrics(app: FastifyInstance, metrics: PicketMetrics): void {
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url;
    if (route !== undefined && request.method !== 'OPTIONS') {
      const endpoint = endpointOf(route);
      metrics.countIngestRequest(endpoint, outcomeOf(reply.statusCode), reply.elapsedTime / 1_000);
    }
    done();
  });
}

function endpointOf(route: string): string {
  const rest = route.replace(/^\/api\/:projectId\//, '');
  const segment = rest.split('/')[0] ?? '';
  // `/api/:projectId/integration/otlp/...` is the newer path of the OTLP routes.
  if (segment === 'integration' || segment === 'otlp') {
    return 'otlp';
  }
  if (segment === 'csp-report') {
    return 'security';
  }
  return segment === 'events' ? 'attachment' : segment;
}

function outcomeOf(statusCode: number): RequestOutcome {
  if (statusCode < 400) {
    return 'accepted';
  }
  if (statusCode === 429) {
    return 'rate_limited';
  }
  if (statusCode === 503) {
    return 'unavailable';
  }
  return statusCode >= 500 ? 'error' : 'invalid';
}

/**
 * Wraps the queue that ingest writes to, so that each record counts as an `accepted` item of
 * its data category once its write is committed, or as `unavailable` when the write fails.
 */
export function countQueuedItems(
  queue: QueueWriter,
  metrics: PicketMetrics,
  categoryOf: (kind: string) => string,
): QueueWriter {
  const count = (records: QueueRecord[], outcome: 'accepted' | 'unavailable') => {
    for (const record of records) {
      metrics.countIngestItems(categoryOf(record.kind), outcome, 1);
    }
  };

  return {
    enqueue: async (records) => {
      try {
        await queue.enqueue(records);
      } catch (error) {
        count(records, 'unavailable');
        throw error;
      }
      count(records, 'accepted');
    },
    backlog: () => queue.backlog(),
    lagMs: () => queue.lagMs?.(),
    isUsable: () => queue.isUsable?.() ?? true,
    close: () => queue.close(),
  };
}
