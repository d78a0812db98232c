export { createEventPartitions, dropExpiredEventPartitions } from './event-partitions.js';
export { withJobLock } from './job-lock.js';
export { createRetentionFieldsStore } from './retention-fields-store.js';
export { runRetention, type RetentionRun } from './retention-job.js';
export { registerRetentionRoutes } from './retention-routes.js';
