import type { Kysely } from 'kysely';

import { ACTION_IDS, type RuleNode } from '../../../shared/api/alerts.js';
import type { Database } from '../../platform/db/index.js';
import type { DeliverySource, NewDelivery } from '../notifications/deliveries.js';
import { loadProjectRecipients, type Recipient } from '../notifications/recipients.js';
import {
  alertEmail,
  discordBody,
  slackBody,
  teamsBody,
  webhookBody,
  type AlertMessage,
} from './rule-messages.js';

const ACTIVE_MEMBER_MS = 30 * 86_400_000;

/** The issue's assignee, for e-mail actions aimed at `IssueOwners`. */
export interface Assignee {
  userId: number | null;
  teamId: number | null;
}

/** Per-batch memo of recipients, so a batch reads each project's and team's members once. */
export class RecipientCache {
  readonly #db: Kysely<Database>;
  readonly #projects = new Map<number, Promise<Recipient[]>>();
  readonly #teams = new Map<number, Promise<Set<number>>>();
  #active: Promise<Set<number>> | undefined;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Users who can see the project and take alert e-mail. */
  project(projectId: number): Promise<Recipient[]> {
    let found = this.#projects.get(projectId);
    if (found === undefined) {
      found = loadProjectRecipients(this.#db, projectId).then((recipients) =>
        recipients.filter((recipient) => recipient.settings.alerts !== 'never'),
      );
      this.#projects.set(projectId, found);
    }
    return found;
  }

  team(teamId: number): Promise<Set<number>> {
    let found = this.#teams.get(teamId);
    if (found === undefined) {
      found = this.#db
        .selectFrom('teamMembers')
        .innerJoin('organizationMembers', 'organizationMembers.id', 'teamMembers.memberId')
        .select('organizationMembers.userId')
        .where('teamMembers.teamId', '=', teamId)
        .execute()
        .then((rows) => new Set(rows.map((row) => Number(row.userId))));
      this.#teams.set(teamId, found);
    }
    return found;
  }

  /** Users who logged in within the last 30 days. */
  active(now: number): Promise<Set<number>> {
    this.#active ??= this.#db
      .selectFrom('users')
      .select('id')
      .where('lastLoginAt', '>=', now - ACTIVE_MEMBER_MS)
      .execute()
      .then((rows) => new Set(rows.map((row) => Number(row.id))));
    return this.#active;
  }
}

async function emailRecipients(
  action: RuleNode,
  projectId: number,
  assignee: Assignee,
  cache: RecipientCache,
  now: number,
): Promise<Recipient[]> {
  const visible = await cache.project(projectId);
  const target = Number(action.targetIdentifier);
  if (action.targetType === 'Member') {
    return visible.filter((recipient) => recipient.userId === target);
  }
  if (action.targetType === 'Team') {
    const members = await cache.team(target);
    return visible.filter((recipient) => members.has(recipient.userId));
  }
  if (assignee.userId !== null) {
    return visible.filter((recipient) => recipient.userId === assignee.userId);
  }
  if (assignee.teamId !== null) {
    const members = await cache.team(assignee.teamId);
    return visible.filter((recipient) => members.has(recipient.userId));
  }
  switch (action.fallthroughType) {
    case 'AllMembers':
      return visible;
    case 'NoOne':
      return [];
    default: {
      const active = await cache.active(now);
      return visible.filter((recipient) => active.has(recipient.userId));
    }
  }
}

/** Where the deliveries of one rule action came from. */
export interface DeliveryOrigin {
  source: DeliverySource;
  organizationId: number;
  projectId: number;
  ruleId: number;
  firingId: number | null;
  issueId: number | null;
}

/**
 * Turns a rule's actions into outbox rows for one message: one e-mail per recipient (each
 * user once across the rule's e-mail actions), one POST per webhook, Slack, Discord or Teams
 * action. Webhook rows carry the action's sealed secret, which the sender opens to sign.
 */
export async function buildDeliveries(
  actions: readonly RuleNode[],
  message: AlertMessage,
  origin: DeliveryOrigin,
  assignee: Assignee,
  cache: RecipientCache,
  now: number,
): Promise<NewDelivery[]> {
  const deliveries: NewDelivery[] = [];
  const mailed = new Set<number>();
  let email: ReturnType<typeof alertEmail> | undefined;
  for (const action of actions) {
    if (action.id === ACTION_IDS.email) {
      for (const recipient of await emailRecipients(
        action,
        origin.projectId,
        assignee,
        cache,
        now,
      )) {
        if (mailed.has(recipient.userId)) {
          continue;
        }
        mailed.add(recipient.userId);
        email ??= alertEmail(message);
        deliveries.push({
          ...origin,
          channel: 'email',
          target: recipient.email,
          userId: recipient.userId,
          payload: email,
        });
      }
      continue;
    }
    const url = typeof action.url === 'string' ? action.url : undefined;
    if (url === undefined) {
      continue;
    }
    if (action.id === ACTION_IDS.webhook) {
      deliveries.push({
        ...origin,
        channel: 'webhook',
        target: url,
        payload: webhookBody(message),
        signingSecret: typeof action.secret === 'string' ? action.secret : null,
      });
    } else if (action.id === ACTION_IDS.slack) {
      deliveries.push({ ...origin, channel: 'slack', target: url, payload: slackBody(message) });
    } else if (action.id === ACTION_IDS.discord) {
      deliveries.push({
        ...origin,
        channel: 'discord',
        target: url,
        payload: discordBody(message),
      });
    } else if (action.id === ACTION_IDS.teams) {
      deliveries.push({ ...origin, channel: 'teams', target: url, payload: teamsBody(message) });
    }
  }
  return deliveries;
}
