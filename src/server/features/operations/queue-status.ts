import type { QueueWriter } from '../../platform/queue/index.js';
import type { QueueStatus } from '../../../shared/api/status.js';

/** Lag past which processing counts as behind. */
export const BEHIND_LAG_SECONDS = 60;
/** Backlog past which processing counts as behind when ingest has no backlog limit. */
const DEFAULT_BEHIND_DEPTH = 5_000;

/** Reads the queue's last measured backlog and lag, without touching the queue's storage. */
export function readQueueStatus(queue: QueueWriter): QueueStatus {
  const depth = queue.backlog();
  const lagMs = queue.lagMs?.();
  return {
    depth: depth ?? null,
    lagSeconds: lagMs === undefined ? null : Math.round(lagMs / 100) / 10,
  };
}

/**
 * Returns whether processing is behind. It is when the oldest waiting record is older than a
 * minute, or when the backlog has reached a tenth of `PICKET_QUEUE_MAX_BACKLOG` (the backlog at
 * which ingest starts to reject events), or 5,000 records when that limit is off.
 */
export function isProcessingBehind(status: QueueStatus, maxBacklog: number): boolean {
  const depthThreshold =
    maxBacklog > 0 ? Math.max(1, Math.ceil(maxBacklog / 10)) : DEFAULT_BEHIND_DEPTH;
  return (
    (status.lagSeconds !== null && status.lagSeconds >= BEHIND_LAG_SECONDS) ||
    (status.depth !== null && status.depth >= depthThreshold)
  );
}
