import type { Kysely } from 'kysely';

import type { NotificationDelivery } from '../../../shared/api/alerts.js';
import type { Database } from '../../platform/db/index.js';
import { formatShortId } from '../issues/issue-serializer.js';
import { enqueueDeliveries } from '../notifications/deliveries.js';
import { issueUrl, notificationSettingsUrl } from '../notifications/links.js';
import { buildDeliveries, RecipientCache } from './rule-actions.js';
import { listRuleDeliveries } from './rule-history.js';
import type { RuleRecord } from './rule-repository.js';
import type { AlertMessage } from './rule-messages.js';

/**
 * Sends every action of a rule once now, through the outbox, with the project's latest issue
 * (or a sample issue when it has none). E-mail goes to the same recipients a firing would
 * reach, and to the caller when those are none. Returns the new deliveries.
 */
export async function sendRuleTest(
  db: Kysely<Database>,
  rule: RuleRecord,
  context: {
    organizationId: number;
    organizationSlug: string;
    projectName: string;
    baseUrl: string;
    callerUserId: number;
  },
  now = Date.now(),
): Promise<NotificationDelivery[]> {
  const issue = await db
    .selectFrom('issues')
    .selectAll()
    .where('projectId', '=', rule.projectId)
    .orderBy('lastSeen', 'desc')
    .limit(1)
    .executeTakeFirst();
  const url =
    issue === undefined
      ? `${context.baseUrl}/organizations/${encodeURIComponent(context.organizationSlug)}/issues/`
      : issueUrl(context.baseUrl, context.organizationSlug, Number(issue.id));
  const message: AlertMessage = {
    triggeredAt: now,
    rule: { id: rule.id, name: rule.name },
    reasons: ['test'],
    project: { id: rule.projectId, slug: rule.projectSlug, name: context.projectName },
    issue: {
      id: issue === undefined ? 0 : Number(issue.id),
      shortId:
        issue === undefined
          ? `${rule.projectSlug.toUpperCase()}-TEST`
          : formatShortId(rule.projectSlug, Number(issue.shortIdNumber)),
      title: issue?.title ?? 'Test alert: this is a sample issue',
      culprit: issue?.culprit ?? 'sample.js in handler',
      level: issue?.level ?? 'error',
      status: issue?.status ?? 'unresolved',
      firstSeen: issue === undefined ? now : Number(issue.firstSeen),
      lastSeen: issue === undefined ? now : Number(issue.lastSeen),
      count: issue === undefined ? 1 : Number(issue.timesSeen),
      userCount: issue === undefined ? 0 : Number(issue.userCount),
      url,
    },
    event: null,
    settingsUrl: notificationSettingsUrl(context.baseUrl),
  };
  await db.transaction().execute(async (trx) => {
    const recipients = new RecipientCache(trx);
    const origin = {
      source: 'test' as const,
      organizationId: context.organizationId,
      projectId: rule.projectId,
      ruleId: rule.id,
      firingId: null,
      issueId: issue === undefined ? null : Number(issue.id),
    };
    const assignee = {
      userId: issue?.assigneeUserId == null ? context.callerUserId : Number(issue.assigneeUserId),
      teamId: issue?.assigneeTeamId == null ? null : Number(issue.assigneeTeamId),
    };
    await enqueueDeliveries(
      trx,
      await buildDeliveries(rule.actions, message, origin, assignee, recipients, now),
      now,
    );
  });
  const deliveries = await listRuleDeliveries(db, rule.id);
  return deliveries.filter(
    (delivery) => delivery.source === 'test' && Date.parse(delivery.dateCreated) >= now,
  );
}
