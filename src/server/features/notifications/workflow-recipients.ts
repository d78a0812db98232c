import type { NotificationSettings } from '../../../shared/api/alerts.js';
import type { Recipient } from './recipients.js';
import type { WorkflowReason } from './workflow-email.js';

/** What decides who hears about one activity, besides each user's settings. */
export interface WorkflowAudience {
  /** The user who acted, or null when Picket did. */
  actorId: number | null;
  /** Subscription rows of the issue: true for subscribed, false for an explicit unsubscribe. */
  subscriptions: ReadonlyMap<number, boolean>;
  /** The user an `assigned` activity assigned the issue to. */
  assigneeId: number | null;
  /** The members of the team an `assigned` activity assigned the issue to. */
  assigneeTeamUserIds?: ReadonlySet<number>;
}

/**
 * Chooses who gets the e-mail of one activity among the users who can see its project, each
 * once, with the reason. Nobody whose workflow setting is `never` gets it. The actor gets it only
 * with `selfNotifications`. Users who unsubscribed from the issue get it only as its new
 * assignee or a member of the assigned team. Otherwise the assignee, the assigned team's
 * members, subscribers (with `subscribe_only` or `always`) and users with `always` get it.
 */
export function chooseWorkflowRecipients(
  visible: readonly Recipient[],
  audience: WorkflowAudience,
): { recipient: Recipient; reason: WorkflowReason }[] {
  const chosen: { recipient: Recipient; reason: WorkflowReason }[] = [];

  for (const recipient of visible) {
    const { userId, settings } = recipient;
    if (settings.workflow === 'never') {
      continue;
    }
    if (userId === audience.actorId && !settings.selfNotifications) {
      continue;
    }

    const reason = reasonFor(userId, settings.workflow, audience);
    if (reason !== undefined) {
      chosen.push({ recipient, reason });
    }
  }
  return chosen;
}

function reasonFor(
  userId: number,
  workflow: NotificationSettings['workflow'],
  audience: WorkflowAudience,
): WorkflowReason | undefined {
  if (userId === audience.assigneeId) {
    return 'assignee';
  }
  if (audience.assigneeTeamUserIds?.has(userId) === true) {
    return 'assignee_team';
  }

  const subscribed = audience.subscriptions.get(userId);
  if (subscribed === true) {
    return 'subscribed';
  }
  if (subscribed === undefined && workflow === 'always') {
    return 'always';
  }
  return undefined;
}
