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
