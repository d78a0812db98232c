/**
 * Issue alert rules in the shapes of Sentry's rule API
 * (`/api/0/projects/{org}/{project}/rules/`), and the catalog of the conditions, filters and
 * actions Picket supports. The server validates against the catalog and the rule editor draws
 * its forms from it; `GET .../rules/configuration/` serves it too.
 */

/** A condition, filter or action: its `id` and its fields, such as `{"id": ..., "value": 100}`. */
export interface RuleNode {
  id: string;
  [field: string]: unknown;
}

export type RuleMatch = 'all' | 'any' | 'none';

/** The body of `POST .../rules/` and `PUT .../rules/{id}/`. */
export interface AlertRuleInput {
  name: string;
  /** Only events of this environment fire the rule; null or absent for every environment. */
  environment?: string | null;
  actionMatch: RuleMatch;
  filterMatch?: RuleMatch;
  /** The action interval in minutes: at most one notification per issue in this time (5 to 43,200). */
  frequency: number;
  conditions: RuleNode[];
  filters?: RuleNode[];
  actions: RuleNode[];
  /** `user:<id>` or `team:<id>`. */
  owner?: string | null;
  status?: 'active' | 'disabled';
}

/** A rule as the API returns it. Webhook actions carry their signing `secret`. */
export interface AlertRule {
  id: string;
  name: string;
  environment: string | null;
  actionMatch: RuleMatch;
  filterMatch: RuleMatch;
  frequency: number;
  conditions: RuleNode[];
  filters: RuleNode[];
  actions: RuleNode[];
  owner: string | null;
  status: 'active' | 'disabled';
  /** Slugs of the rule's project, as Sentry lists them. */
  projects: string[];
  dateCreated: string;
  createdBy: { id: number; name: string; email: string } | null;
  lastTriggered: string | null;
  snooze: boolean;
}

/**
 * The body of `POST .../rules/preview/`: a rule that is not saved yet. The response lists
 * the project's issues (in the issue list's shape) that would have fired it in the last 14
 * days, newest first, with `X-Hits` giving their number.
 */
export interface AlertRulePreviewInput {
  conditions: RuleNode[];
  filters?: RuleNode[];
  actionMatch: RuleMatch;
  filterMatch?: RuleMatch;
  frequency: number;
  environment?: string | null;
}

/**
 * One entry of `GET .../rules/{id}/group-history/` (Sentry's shape): an issue the rule fired
 * for in the period (`start`, `end` query, default the last 14 days), how often, and when last.
 */
export interface RuleGroupHistory {
  group: { id: string; shortId: string; title: string; culprit: string | null; status: string };
  count: number;
  lastTriggered: string;
  eventId: string | null;
}

/** One notification that left or tried to: `GET .../rules/{id}/picket-deliveries/` and the issue's list. */
export interface NotificationDelivery {
  id: string;
  /** `rule`, `workflow`, `digest`, `cron`, `quota`, `spike`, `backlog` or `test`. */
  source: string;
  ruleId: string | null;
  /** The rule's name, when it came from a rule. */
  ruleName: string | null;
  issueId: string | null;
  /** `email`, `webhook`, `slack`, `discord` or `teams`. */
  channel: string;
  /** The e-mail address, or the URL without its query string and credentials. */
  target: string;
  /** `pending`, `sending`, `sent` or `failed`. */
  status: string;
  attempts: number;
  /** The HTTP status of the last attempt, for webhooks. */
  responseStatus: number | null;
  lastError: string | null;
  dateCreated: string;
  dateFinished: string | null;
}

/** One firing of a rule, as listed for an issue (`GET /api/0/issues/{id}/picket-alerts/`). */
export interface IssueAlertFiring {
  id: string;
  ruleId: string;
  ruleName: string;
  eventId: string | null;
  /** Condition keys that held, such as `first_seen` or `frequency`. */
  reasons: string[];
  dateFired: string;
  deliveries: NotificationDelivery[];
}

/** A field of a catalog entry, drawn as one input of the rule editor. */
export type RuleFieldSpec =
  | { type: 'number'; min?: number; max?: number; placeholder?: string }
  | { type: 'string'; placeholder?: string; optional?: boolean }
  | { type: 'choice'; choices: [string, string][]; default?: string };

/**
 * One condition, filter or action Picket supports. `label` is Sentry's template: `{field}`
 * marks where each field's input goes.
 */
export interface RuleCatalogEntry {
  id: string;
  label: string;
  fields: Record<string, RuleFieldSpec>;
}

/** `GET .../rules/configuration/`. */
export interface RuleConfiguration {
  conditions: RuleCatalogEntry[];
  filters: RuleCatalogEntry[];
  actions: RuleCatalogEntry[];
}

/** Window choices of the frequency conditions, as Sentry names them, with their length. */
export const FREQUENCY_INTERVALS: Record<string, { label: string; minutes: number }> = {
  '1m': { label: 'one minute', minutes: 1 },
  '5m': { label: '5 minutes', minutes: 5 },
  '15m': { label: '15 minutes', minutes: 15 },
  '1h': { label: 'one hour', minutes: 60 },
  '1d': { label: 'one day', minutes: 1_440 },
  '1w': { label: 'one week', minutes: 10_080 },
  '30d': { label: '30 days', minutes: 43_200 },
};

/** Sentry's match operators of the tag, attribute and context filters. */
export const MATCH_CHOICES: [string, string][] = [
  ['eq', 'equals'],
  ['ne', 'does not equal'],
  ['sw', 'starts with'],
  ['nsw', 'does not start with'],
  ['ew', 'ends with'],
  ['new', 'does not end with'],
  ['co', 'contains'],
  ['nc', 'does not contain'],
  ['is', 'is set'],
  ['ns', 'is not set'],
];

/** Sentry's numeric levels, as the level filter stores them. */
export const LEVEL_CHOICES: [string, string][] = [
  ['50', 'fatal'],
  ['40', 'error'],
  ['30', 'warning'],
  ['20', 'info'],
  ['10', 'debug'],
];

/** Event attributes the attribute filter reads (a subset of Sentry's). */
export const EVENT_ATTRIBUTES = [
  'message',
  'platform',
  'environment',
  'type',
  'exception.type',
  'exception.value',
  'error.handled',
  'error.unhandled',
  'user.id',
  'user.email',
  'user.username',
  'http.method',
  'http.url',
  'sdk.name',
  'stacktrace.filename',
  'stacktrace.module',
  'stacktrace.abs_path',
] as const;

export const CONDITION_IDS = {
  firstSeen: 'sentry.rules.conditions.first_seen_event.FirstSeenEventCondition',
  regression: 'sentry.rules.conditions.regression_event.RegressionEventCondition',
  reappeared: 'sentry.rules.conditions.reappeared_event.ReappearedEventCondition',
  frequency: 'sentry.rules.conditions.event_frequency.EventFrequencyCondition',
  userFrequency: 'sentry.rules.conditions.event_frequency.EventUniqueUserFrequencyCondition',
  releaseFirstEvent: 'picket.rules.conditions.release_first_event.ReleaseFirstEventCondition',
} as const;

export const FILTER_IDS = {
  level: 'sentry.rules.filters.level.LevelFilter',
  tagged: 'sentry.rules.filters.tagged_event.TaggedEventFilter',
  attribute: 'sentry.rules.filters.event_attribute.EventAttributeFilter',
  age: 'sentry.rules.filters.age_comparison.AgeComparisonFilter',
  category: 'sentry.rules.filters.issue_category.IssueCategoryFilter',
  occurrences: 'sentry.rules.filters.issue_occurrences.IssueOccurrencesFilter',
  context: 'picket.rules.filters.context.ContextFilter',
} as const;

export const ACTION_IDS = {
  email: 'sentry.mail.actions.NotifyEmailAction',
  webhook: 'picket.actions.webhook',
  slack: 'picket.actions.slack',
  discord: 'picket.actions.discord',
  teams: 'picket.actions.teams',
} as const;

const intervalChoices = (): [string, string][] =>
  Object.entries(FREQUENCY_INTERVALS).map(([key, { label }]) => [key, label]);

const urlField: RuleFieldSpec = { type: 'string', placeholder: 'https://...' };

/** Every condition, filter and action Picket evaluates, with the fields each one takes. */
export const RULE_CATALOG: RuleConfiguration = {
  conditions: [
    { id: CONDITION_IDS.firstSeen, label: 'A new issue is created', fields: {} },
    {
      id: CONDITION_IDS.regression,
      label: 'The issue changes state from resolved to unresolved',
      fields: {},
    },
    {
      id: CONDITION_IDS.reappeared,
      label: 'The issue changes state from archived to escalating',
      fields: {},
    },
    {
      id: CONDITION_IDS.frequency,
      label: 'The issue is seen more than {value} times in {interval}',
      fields: {
        value: { type: 'number', min: 1, max: 1_000_000_000, placeholder: '100' },
        interval: { type: 'choice', choices: intervalChoices() },
      },
    },
    {
      id: CONDITION_IDS.userFrequency,
      label: 'The issue is seen by more than {value} users in {interval}',
      fields: {
        value: { type: 'number', min: 1, max: 1_000_000_000, placeholder: '100' },
        interval: { type: 'choice', choices: intervalChoices() },
      },
    },
    {
      id: CONDITION_IDS.releaseFirstEvent,
      label: "The issue's first event in a release",
      fields: {},
    },
  ],
  filters: [
    {
      id: FILTER_IDS.level,
      label: "The event's level is {match} {level}",
      fields: {
        match: {
          type: 'choice',
          choices: [
            ['eq', 'equal to'],
            ['gte', 'greater than or equal to'],
            ['lte', 'less than or equal to'],
          ],
          default: 'gte',
        },
        level: { type: 'choice', choices: LEVEL_CHOICES, default: '40' },
      },
    },
    {
      id: FILTER_IDS.tagged,
      label: "The event's tags match {key} {match} {value}",
      fields: {
        key: { type: 'string', placeholder: 'key' },
        match: { type: 'choice', choices: MATCH_CHOICES },
        value: { type: 'string', placeholder: 'value', optional: true },
      },
    },
    {
      id: FILTER_IDS.attribute,
      label: "The event's {attribute} value {match} {value}",
      fields: {
        attribute: { type: 'choice', choices: EVENT_ATTRIBUTES.map((name) => [name, name]) },
        match: { type: 'choice', choices: MATCH_CHOICES },
        value: { type: 'string', placeholder: 'value', optional: true },
      },
    },
    {
      id: FILTER_IDS.context,
      label: "The event's context {key} {match} {value}",
      fields: {
        key: { type: 'string', placeholder: 'os.name' },
        match: { type: 'choice', choices: MATCH_CHOICES },
        value: { type: 'string', placeholder: 'value', optional: true },
      },
    },
    {
      id: FILTER_IDS.age,
      label: 'The issue is {comparison_type} than {value} {time}',
      fields: {
        comparison_type: {
          type: 'choice',
          choices: [
            ['older', 'older'],
            ['newer', 'newer'],
          ],
        },
        value: { type: 'number', min: 0, max: 1_000_000 },
        time: {
          type: 'choice',
          choices: [
            ['minute', 'minute(s)'],
            ['hour', 'hour(s)'],
            ['day', 'day(s)'],
            ['week', 'week(s)'],
          ],
        },
      },
    },
    {
      id: FILTER_IDS.category,
      label: "The issue's category is equal to {value}",
      fields: {
        value: {
          type: 'choice',
          choices: [
            ['1', 'Error'],
            ['6', 'Feedback'],
          ],
        },
      },
    },
    {
      id: FILTER_IDS.occurrences,
      label: 'The issue has happened at least {value} times',
      fields: { value: { type: 'number', min: 1, max: 1_000_000_000 } },
    },
  ],
  actions: [
    {
      id: ACTION_IDS.email,
      label: 'Send a notification to {targetType}',
      fields: {
        targetType: {
          type: 'choice',
          choices: [
            ['IssueOwners', "the issue's assignee"],
            ['Team', 'a team'],
            ['Member', 'a member'],
          ],
        },
        // A team or user id for `Team` and `Member`.
        targetIdentifier: { type: 'string', optional: true },
        fallthroughType: {
          type: 'choice',
          choices: [
            ['ActiveMembers', 'recently active members'],
            ['AllMembers', 'all project members'],
            ['NoOne', 'no one'],
          ],
        },
      },
    },
    { id: ACTION_IDS.webhook, label: 'Send a signed webhook to {url}', fields: { url: urlField } },
    {
      id: ACTION_IDS.slack,
      label: 'Send a Slack message to the incoming webhook {url}',
      fields: { url: urlField },
    },
    {
      id: ACTION_IDS.discord,
      label: 'Send a Discord message to the webhook {url}',
      fields: { url: urlField },
    },
    {
      id: ACTION_IDS.teams,
      label: 'Send a Microsoft Teams message to the webhook {url}',
      fields: { url: urlField },
    },
  ],
};

/** `GET` and `PUT /api/0/users/me/picket-notifications/`: one user's notification choices. */
export interface NotificationSettings {
  /** E-mail from issue alert rules that name the user (directly, by team, or as assignee). */
  alerts: 'always' | 'never';
  /** Assignment, comments, resolution and regression of issues: all, subscribed only, or none. */
  workflow: 'always' | 'subscribe_only' | 'never';
  /** A summary of issue activity in the user's projects. */
  digest: 'never' | 'daily' | 'weekly';
  /** Missed and failed check-ins and recoveries of cron monitors in the user's projects. */
  crons: 'always' | 'never';
  /** Quota, spike protection and backlog warnings (sent to organization owners only). */
  quota: 'always' | 'never';
  /** Whether the user hears about their own actions. */
  selfNotifications: boolean;
}

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  alerts: 'always',
  workflow: 'subscribe_only',
  digest: 'never',
  crons: 'always',
  quota: 'always',
  selfNotifications: false,
};
