import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';

export type DeliveryChannel = 'email' | 'webhook' | 'slack' | 'discord' | 'teams';

export type DeliverySource =
  'rule' | 'workflow' | 'digest' | 'cron' | 'quota' | 'spike' | 'backlog' | 'test';

/** The message of an e-mail delivery; `html` holds only escaped values. */
export interface EmailPayload {
  subject: string;
  text: string;
  html: string;
}

/** One message to put into the outbox. */
export interface NewDelivery {
  source: DeliverySource;
  channel: DeliveryChannel;
  /** An e-mail address for `email`, else the URL to POST to. */
  target: string;
  /** `EmailPayload` for e-mail; the JSON body for the other channels. */
  payload: EmailPayload | Record<string, unknown>;
  organizationId?: number | null;
  projectId?: number | null;
  ruleId?: number | null;
  firingId?: number | null;
  issueId?: number | null;
  userId?: number | null;
  /** The webhook's HMAC key sealed with `webhookSecretContext(projectId)`, or null. */
  signingSecret?: string | null;
}

const ROWS_PER_INSERT = 100;

/**
 * Adds messages to the outbox inside the caller's transaction, due now. The worker's delivery
 * loop sends them within seconds of the commit; nothing is sent if the transaction rolls back.
 */
export async function enqueueDeliveries(
  db: Kysely<Database>,
  deliveries: readonly NewDelivery[],
  now = Date.now(),
): Promise<void> {
  const rows = deliveries.map((delivery) => ({
    organizationId: delivery.organizationId ?? null,
    projectId: delivery.projectId ?? null,
    source: delivery.source,
    ruleId: delivery.ruleId ?? null,
    firingId: delivery.firingId ?? null,
    issueId: delivery.issueId ?? null,
    userId: delivery.userId ?? null,
    channel: delivery.channel,
    target: delivery.target,
    payload: JSON.stringify(delivery.payload),
    signingSecret: delivery.signingSecret ?? null,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
  }));
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    await db
      .insertInto('notificationDeliveries')
      .values(rows.slice(start, start + ROWS_PER_INSERT))
      .execute();
  }
}

/**
 * Shows a delivery's target without secrets: e-mail addresses as they are, URLs without
 * credentials, query string or fragment, and with the path cut after its first segment, since
 * Slack, Discord and Teams put the webhook's token in the path.
 */
export function describeTarget(channel: string, target: string): string {
  if (channel === 'email') {
    return target;
  }
  try {
    const url = new URL(target);
    const [first = ''] = url.pathname.split('/').filter((part) => part !== '');
    const rest = url.pathname.length > first.length + 1 ? '/...' : '';
    return `${url.protocol}//${url.host}/${first}${rest}`;
  } catch {
    return '(invalid URL)';
  }
}
