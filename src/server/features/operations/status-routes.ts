import type { FastifyInstance } from 'fastify';

import type { PicketStatus } from '../../../shared/api/status.js';
import type { QueueWriter } from '../../platform/queue/index.js';
import { requireAuth } from '../accounts/index.js';
import { isProcessingBehind, readQueueStatus } from './queue-status.js';

export interface StatusRoutesOptions {
  queue: QueueWriter;
  /** `PICKET_QUEUE_MAX_BACKLOG`, from which the backlog threshold of the warning follows. */
  queueMaxBacklog: number;
}

/**
 * Registers `GET /api/0/picket/status/`: how far processing is behind, for the web app's
 * warning banner. Any signed-in user may read it; the numbers cover the whole server and name
 * no organization or project.
 */
export function registerStatusRoutes(app: FastifyInstance, options: StatusRoutesOptions): void {
  app.get('/api/0/picket/status/', (request): PicketStatus => {
    requireAuth(request);

    const queue = readQueueStatus(options.queue);
    return { queue, processingBehind: isProcessingBehind(queue, options.queueMaxBacklog) };
  });
}
