export {
  buildSecurityEvent,
  type SecurityEventContext,
  type SecurityEventResult,
} from './security-event.js';
export { registerSecurityReportRoutes } from './report-routes.js';
