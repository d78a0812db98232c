export { AUDIT_EVENTS, recordAudit, type AuditEntry, type AuditEvent } from './audit-log.js';
export { registerAuditRoutes } from './audit-routes.js';
