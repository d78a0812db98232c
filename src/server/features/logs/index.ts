export { processLogRecords } from './log-processor.js';
export { LogRepository } from './log-repository.js';
export { registerLogRoutes } from './log-routes.js';
