export {
  describeTarget,
  enqueueDeliveries,
  type DeliveryChannel,
  type DeliverySource,
  type EmailPayload,
  type NewDelivery,
} from './deliveries.js';
export { renderEmail, type EmailContent } from './email-layout.js';
export {
  loadNotificationSettings,
  loadOrganizationOwners,
  loadProjectRecipients,
  settingsFromRows,
  type Recipient,
} from './recipients.js';
export { issueUrl, notificationBaseUrl, notificationSettingsUrl } from './links.js';
export { notifyCronMonitors, type CronNotificationOptions } from './cron-notifications.js';
export {
  notifyQuotaWarnings,
  SPIKE_EPISODE_GAP_MS,
  type QuotaNotificationOptions,
} from './quota-notifications.js';
export {
  BACKLOG_COOL_DOWN_MS,
  notifyProcessingBacklog,
  type BacklogNotificationOptions,
} from './backlog-notifications.js';
export { measureQueueStatus } from './backlog-queue-status.js';
export {
  DEFAULT_BACKOFF_MS,
  DeliveryRunner,
  type DeliveryRunnerConfig,
  type DeliveryRunnerOptions,
} from './delivery-runner.js';
export { pruneNotificationHistory } from './delivery-prune.js';
export { parseRetryAfter } from './delivery-send.js';
export {
  claimDueDeliveries,
  recordOutcome,
  type ClaimedDelivery,
  type DeliveryOutcome,
} from './delivery-store.js';
export {
  registerNotificationSettingsRoutes,
  TEST_EMAIL_LIMIT,
  type NotificationSettingsRouteOptions,
} from './settings-routes.js';
export { loadUserSettings, parseSettingsUpdate, saveUserSettings } from './settings-store.js';
export {
  runWorkflowNotifications,
  WORKFLOW_CURSOR_KEY,
  type WorkflowRunOptions,
  type WorkflowRunResult,
} from './workflow-job.js';
export {
  digestMarkKey,
  runDigests,
  type DigestRunOptions,
  type DigestRunResult,
} from './digest-job.js';
