import type { Generated } from 'kysely';

/** Issue alert rules, their firings, notification deliveries and notification settings. */
export interface AlertTables {
  alertRules: AlertRulesTable;
  alertRuleIssues: AlertRuleIssuesTable;
  alertFirings: AlertFiringsTable;
  notificationDeliveries: NotificationDeliveriesTable;
  notificationSettings: NotificationSettingsTable;
  notificationMarks: NotificationMarksTable;
}

/**
 * A project's issue alert rule in Sentry's terms. `conditions`, `filters` and `actions` are JSON
 * arrays of nodes, each with Sentry's (or Picket's) `id` and its fields.
 */
export interface AlertRulesTable {
  id: Generated<number>;
  projectId: number;
  name: string;
  /** Only events of this environment fire the rule; null for every environment. */
  environment: string | null;
  /** `all`, `any` or `none`. */
  actionMatch: string;
  /** `all`, `any` or `none`. */
  filterMatch: string;
  /** The action interval: the rule fires at most once per issue in this many minutes. */
  frequencyMinutes: number;
  conditions: string;
  filters: string;
  /** JSON; a webhook action's `secret` is stored sealed with the secret box. */
  actions: string;
  /** `active` or `disabled`. */
  status: string;
  /** `user:<id>` or `team:<id>`, or null. */
  owner: string | null;
  createdBy: number | null;
  createdAt: number;
  updatedAt: number;
  lastTriggered: number | null;
}

/** When a rule last fired for an issue, for its action interval. */
export interface AlertRuleIssuesTable {
  ruleId: number;
  issueId: number;
  lastFiredAt: number;
}

/** One firing of a rule for an issue, listed in the rule's history and the issue's. */
export interface AlertFiringsTable {
  id: Generated<number>;
  ruleId: number;
  projectId: number;
  issueId: number;
  /** The event that fired it, or null. */
  eventId: string | null;
  /** JSON array of the condition ids that held, such as `first_seen` or `regression`. */
  reasons: string;
  firedAt: number;
}

/**
 * The outbox: one message to one destination. The worker's delivery loop sends `pending` rows
 * whose `nextAttemptAt` has come, retries failures with backoff, and ends each as `sent` or
 * `failed`. Rows are written in the transaction that decided to notify, so none is lost.
 */
export interface NotificationDeliveriesTable {
  id: Generated<number>;
  organizationId: number | null;
  projectId: number | null;
  /** The requesting feature: `rule`, `workflow`, `digest`, `cron`, `quota`, `spike`, `backlog`, `test`. */
  source: string;
  ruleId: number | null;
  firingId: number | null;
  issueId: number | null;
  /** The recipient, for e-mail. */
  userId: number | null;
  /** `email`, `webhook`, `slack`, `discord` or `teams`. */
  channel: string;
  /** An e-mail address or a URL. */
  target: string;
  /** JSON: `{subject, text, html}` for e-mail; the request body (any JSON) for the others. */
  payload: string;
  /** The webhook's HMAC key, sealed with the secret box; null when unsigned. */
  signingSecret: string | null;
  /** `pending`, `sending`, `sent` or `failed`. */
  status: string;
  attempts: number;
  /** When it is due; while `sending`, when the claim runs out and another loop may take it. */
  nextAttemptAt: number;
  lastError: string | null;
  responseStatus: number | null;
  createdAt: number;
  finishedAt: number | null;
}

/** A user's notification choice, such as `workflow` = `always`. */
export interface NotificationSettingsTable {
  userId: number;
  key: string;
  value: string;
}

/**
 * Small state of the notification jobs, such as the last activity id handed to workflow
 * notifications, the last status of a cron monitor, or when a digest was last sent.
 */
export interface NotificationMarksTable {
  key: string;
  value: string;
  updatedAt: number;
}
