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
