export { processCheckInRecords } from './check-in-processor.js';
export { registerCronIngestRoutes } from './cron-ingest-routes.js';
export { MonitorRepository } from './monitor-repository.js';
export { registerMonitorRoutes } from './monitor-routes.js';
