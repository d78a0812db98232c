import type { EmailPayload } from '../notifications/deliveries.js';
import { renderEmail } from '../notifications/email-layout.js';

/** The content of an alert message: stored, scrubbed values only. */
export interface AlertMessage {
  triggeredAt: number;
  rule: { id: number; name: string };
  reasons: readonly string[];
  project: { id: number; slug: string; name: string };
  issue: {
    id: number;
    shortId: string;
    title: string;
    culprit: string;
    level: string;
    status: string;
    firstSeen: number;
    lastSeen: number;
    count: number;
    userCount: number;
    url: string;
  };
  event: {
    eventId: string;
    timestamp: number;
    level: string;
    message: string | null;
    environment: string | null;
    release: string | null;
    platform: string;
    tags: readonly (readonly [string, string])[];
    url: string;
    /** Top frames, innermost first, as one line each. */
    frames: readonly string[];
  } | null;
  /** The page where recipients change their notification settings. */
  settingsUrl: string;
}

const REASON_TEXT: Record<string, string> = {
  first_seen: 'A new issue was created',
  regression: 'The issue regressed after it was resolved',
  escalating: 'The archived issue is escalating',
  frequency: 'The issue was seen more often than the rule allows',
  user_frequency: 'The issue affected more users than the rule allows',
  release_first_event: 'The issue was seen in a new release',
  test: "Test notification sent from the alert rule's page. The rule did not fire",
};

const LEVEL_COLORS: Record<string, number> = {
  fatal: 0xb3261e,
  error: 0xe5484d,
  warning: 0xf5a524,
  info: 0x3b82f6,
  debug: 0x8e8e93,
};

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function reasonText(message: AlertMessage): string {
  const texts = message.reasons.map((reason) => REASON_TEXT[reason] ?? reason);
  return texts.length === 0 ? `Rule "${message.rule.name}" matched` : texts.join('; ');
}

function facts(message: AlertMessage): [string, string][] {
  const rows: [string, string][] = [['Project', message.project.slug]];
  if (message.event?.environment) {
    rows.push(['Environment', message.event.environment]);
  }
  if (message.event?.release) {
    rows.push(['Release', message.event.release]);
  }
  rows.push(
    ['Level', message.event?.level ?? message.issue.level],
    ['Times seen', String(message.issue.count)],
    ['Users', String(message.issue.userCount)],
    ['First seen', iso(message.issue.firstSeen)],
    ['Rule', message.rule.name],
  );
  return rows;
}

/** Builds the JSON body of the signed webhook (type `issue.alert`). */
export function webhookBody(message: AlertMessage): Record<string, unknown> {
  const { issue, event } = message;
  return {
    version: 1,
    type: 'issue.alert',
    triggeredAt: iso(message.triggeredAt),
    rule: { id: String(message.rule.id), name: message.rule.name },
    reasons: message.reasons,
    project: {
      id: String(message.project.id),
      slug: message.project.slug,
      name: message.project.name,
    },
    issue: {
      id: String(issue.id),
      shortId: issue.shortId,
      title: issue.title,
      culprit: issue.culprit,
      level: issue.level,
      status: issue.status,
      firstSeen: iso(issue.firstSeen),
      lastSeen: iso(issue.lastSeen),
      count: issue.count,
      userCount: issue.userCount,
      url: issue.url,
    },
    event:
      event === null
        ? null
        : {
            eventId: event.eventId,
            timestamp: iso(event.timestamp),
            level: event.level,
            message: event.message,
            environment: event.environment,
            release: event.release,
            platform: event.platform,
            tags: event.tags,
            url: event.url,
          },
  };
}

/** Slack's mrkdwn gives `&`, `<` and `>` a meaning, so they are escaped. */
function slackEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Builds a Slack incoming-webhook body: fallback `text` and Block Kit `blocks`. */
export function slackBody(message: AlertMessage): Record<string, unknown> {
  const { issue } = message;
  const title = slackEscape(`${issue.shortId}: ${issue.title}`);
  return {
    // Slack shows `text` in notifications and reads mrkdwn there too, so it is escaped as well.
    text: slackEscape(`[${message.project.slug}] ${issue.title}`).slice(0, 3_000),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `*<${issue.url}|${title.slice(0, 2_500)}>*\n${slackEscape(issue.culprit).slice(0, 400)}`,
        },
      },
      {
        type: 'section',
        fields: facts(message)
          .slice(0, 10)
          .map(([label, value]) => ({
            type: 'mrkdwn',
            text: `*${label}*\n${slackEscape(value).slice(0, 1_000)}`,
          })),
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: slackEscape(reasonText(message)).slice(0, 1_000) }],
      },
    ],
  };
}

/**
 * Discord renders Markdown, masked links `[text](url)` included, in `content`, embed
 * descriptions and field values. A backslash before punctuation shows it as typed, so event
 * texts cannot make a link whose text hides where it goes.
 */
function discordEscape(value: string): string {
  return value.replace(/[\\*_~`|<>[\]()#-]/g, '\\$&');
}

/** Builds a Discord webhook body with one embed. Mentions in the text are not resolved. */
export function discordBody(message: AlertMessage): Record<string, unknown> {
  const { issue } = message;
  return {
    content: discordEscape(`[${message.project.slug}] ${reasonText(message)}`).slice(0, 2_000),
    allowed_mentions: { parse: [] },
    embeds: [
      {
        title: `${issue.shortId}: ${issue.title}`.slice(0, 256),
        url: issue.url,
        description: discordEscape(issue.culprit).slice(0, 4_000),
        color: LEVEL_COLORS[issue.level] ?? LEVEL_COLORS.error,
        timestamp: iso(message.triggeredAt),
        fields: facts(message).map(([name, value]) => ({
          name,
          value: discordEscape(value).slice(0, 1_024) || '-',
          inline: true,
        })),
      },
    ],
  };
}

/** Builds a Microsoft Teams incoming-webhook body as a legacy MessageCard. */
export function teamsBody(message: AlertMessage): Record<string, unknown> {
  const { issue } = message;
  return {
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    summary: `[${message.project.slug}] ${issue.title}`.slice(0, 256),
    themeColor: (LEVEL_COLORS[issue.level] ?? 0xe5484d).toString(16).padStart(6, '0'),
    title: `${issue.shortId}: ${issue.title}`,
    sections: [
      {
        activityTitle: reasonText(message),
        activitySubtitle: issue.culprit,
        facts: facts(message).map(([name, value]) => ({ name, value })),
        // Teams reads Markdown in `text`, so the plain frames go without it.
        markdown: false,
      },
    ],
    potentialAction: [
      { '@type': 'OpenUri', name: 'Open the issue', targets: [{ os: 'default', uri: issue.url }] },
    ],
  };
}

/**
 * Renders the alert e-mail, such as `[web] ERROR: TypeError: x is undefined`. A test send gets
 * `Test: ` before the level, so that its recipients can tell it from a real alert.
 */
export function alertEmail(message: AlertMessage): EmailPayload {
  const { issue, event } = message;
  const level = (event?.level ?? issue.level).toUpperCase();
  const kind = message.reasons.includes('test') ? `Test: ${level}` : level;
  const paragraphs = [reasonText(message)];
  if (issue.culprit !== '') {
    paragraphs.push(issue.culprit);
  }
  if (event?.message && event.message !== issue.title) {
    paragraphs.push(event.message);
  }
  return renderEmail({
    subject: `[${message.project.slug}] ${kind}: ${issue.title}`,
    heading: `${issue.shortId}: ${issue.title}`,
    paragraphs,
    facts: facts(message),
    preformatted: event?.frames ?? [],
    link: { label: 'Open the issue', url: issue.url },
    footer: `You got this because of the alert rule "${message.rule.name}" of project ${message.project.slug}. Change what Picket sends you at ${message.settingsUrl}`,
  });
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/**
 * Lists at most `limit` top frames of an event's last exception (or its stack trace), innermost
 * first, as `function (file:line:column)` lines.
 */
export function topFrames(payload: Record<string, unknown>, limit = 5): string[] {
  const values = record(payload.exception).values;
  const last = Array.isArray(values) ? record(values.at(-1)) : {};
  const stacktrace = record(last.stacktrace ?? payload.stacktrace);
  const frames = Array.isArray(stacktrace.frames) ? stacktrace.frames.map(record) : [];
  const lines = frames
    .slice(-limit)
    .reverse()
    .map((frame) => {
      const file = [frame.filename, frame.abs_path, frame.module].find(
        (part): part is string => typeof part === 'string',
      );
      const position = [frame.lineno, frame.colno]
        .filter((part): part is number => typeof part === 'number')
        .join(':');
      const name = typeof frame.function === 'string' ? frame.function : '?';
      return `  at ${name} (${file ?? '?'}${position === '' ? '' : `:${position}`})`;
    });
  const header = [last.type, last.value].filter((part) => typeof part === 'string').join(': ');
  return header === '' || lines.length === 0 ? lines : [header, ...lines];
}

/** Returns the event's message: its log entry, else its title. */
export function eventMessage(payload: Record<string, unknown>): string | null {
  const message = payload.message ?? payload.logentry;
  if (typeof message === 'string') {
    return message;
  }
  const entry = record(message);
  const formatted = entry.formatted ?? entry.message;
  return typeof formatted === 'string' ? formatted : null;
}
