import type { EmailPayload } from './deliveries.js';
import { renderEmail } from './email-layout.js';

/** The issue an activity belongs to, with what its e-mail shows. */
export interface WorkflowIssue {
  id: number;
  title: string;
  shortId: string;
  projectSlug: string;
  organizationId: number;
  projectId: number;
  url: string;
}

/** One timeline entry that notifies, in the words of its e-mail. */
export interface WorkflowActivity {
  type: string;
  data: Record<string, unknown>;
  /** The user who acted, or null when Picket did (a regression). */
  actorName: string | null;
}

/** The reason one recipient gets the message, shown in the footer. */
export type WorkflowReason = 'assignee' | 'assignee_team' | 'subscribed' | 'always';

const REASONS: Record<WorkflowReason, string> = {
  assignee: 'the issue was assigned to you',
  assignee_team: 'the issue was assigned to your team',
  subscribed: 'you are subscribed to this issue',
  always: 'your workflow notifications are set to "always"',
};

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function describeAssignee(data: Record<string, unknown>): string {
  if (data.assigneeType === 'team') {
    return `#${text(data.assigneeName) ?? String(data.assignee)}`;
  }
  return text(data.assigneeEmail) ?? `user ${String(data.assignee)}`;
}

/** Subject prefix and heading of each activity type that notifies. */
function describeActivity(
  activity: WorkflowActivity,
  issue: WorkflowIssue,
  toAssignee: boolean,
): { what: string; heading: string; facts: [string, string][]; quoted?: string } {
  const actor = activity.actorName ?? 'Picket';
  const { data } = activity;

  switch (activity.type) {
    case 'assigned': {
      const assignee = toAssignee ? 'you' : describeAssignee(data);
      return {
        what: `Assigned to ${assignee}`,
        heading: `${actor} assigned ${issue.shortId} to ${assignee}`,
        facts: [],
      };
    }
    case 'note':
      return {
        what: `New comment from ${actor}`,
        heading: `${actor} commented on ${issue.shortId}`,
        facts: [],
        quoted: text(data.text) ?? '',
      };
    case 'set_regression': {
      const version = text(data.version);
      return {
        what: 'Regressed',
        heading: `${issue.shortId} regressed: a new event arrived after it was resolved`,
        facts: version === undefined ? [] : [['Release', version]],
      };
    }
    default: {
      const version = data.inNextRelease === true ? 'the next release' : text(data.version);
      return {
        what: `Resolved by ${actor}`,
        heading: `${actor} resolved ${issue.shortId}`,
        facts: version === undefined ? [] : [['Resolved in', version]],
      };
    }
  }
}

/**
 * Renders the e-mail of one workflow activity for one recipient. The comment text, the issue
 * title and every name are user data, so they go through `renderEmail`, which escapes them.
 */
export function renderWorkflowEmail(
  activity: WorkflowActivity,
  issue: WorkflowIssue,
  reason: WorkflowReason,
  settingsUrl: string,
): EmailPayload {
  const described = describeActivity(activity, issue, reason === 'assignee');
  const quoted = described.quoted?.split(/\r?\n/).map((line) => `> ${line}`);

  return renderEmail({
    subject: `[${issue.projectSlug}] ${described.what}: ${issue.title}`,
    heading: described.heading,
    paragraphs: [issue.title],
    ...(quoted === undefined ? {} : { preformatted: quoted }),
    facts: [['Project', issue.projectSlug], ['Issue', issue.shortId], ...described.facts],
    link: { label: 'Open the issue', url: issue.url },
    footer: `You received this because ${REASONS[reason]}. Change your notification settings at ${settingsUrl}`,
  });
}
