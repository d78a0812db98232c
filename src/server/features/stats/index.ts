export { recordClientReport, type ClientReportResult } from './client-report.js';
export { StatsRepository } from './stats-repository.js';
export { registerStatsRoutes } from './stats-routes.js';
