export {
  registerHealthRoutes,
  type HealthRoutesOptions,
  type WorkerState,
} from './health-routes.js';
export { countQueuedItems, registerIngestRequestMetrics } from './ingest-metrics.js';
export {
  METRIC_PREFIX,
  PicketMetrics,
  type BatchSummary,
  type ItemOutcome,
  type RequestOutcome,
} from './picket-metrics.js';
export { registerStatusRoutes } from './status-routes.js';
