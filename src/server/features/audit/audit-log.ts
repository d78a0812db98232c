import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';

/**
 * Sentry's audit event names that Picket records, plus `user.*` names for account actions.
 * Recording another name is a type error.
 */
export const AUDIT_EVENTS = [
  'user.login',
  'user.login-failed',
  'user.logout',
  'user.logout-everywhere',
  'user.password-change',
  'user.2fa-enable',
  'user.2fa-disable',
  'user.recovery-codes-regenerate',
  'user.deactivate',
  'user.superuser-grant',
  'user.superuser-revoke',
  'member.invite',
  'member.add',
  'member.accept-invite',
  'member.edit',
  'member.remove',
  'member.join-team',
  'member.leave-team',
  'invite.remove',
  'org.create',
  'org.edit',
  'org.remove',
  'team.create',
  'team.edit',
  'team.remove',
  'project.create',
  'project.edit',
  'project.remove',
  'project-team.add',
  'project-team.remove',
  'projectkey.create',
  'projectkey.edit',
  'projectkey.remove',
  'projectkey.change',
  'api-key.create',
  'api-key.remove',
  'org-auth-token.create',
  'org-auth-token.remove',
  'datascrubbing.edit',
  'issue.delete',
  'event.delete-user-data',
  'monitor.remove',
  'instance.edit',
  'user.reactivate',
  'user.create',
  'rule.add',
  'rule.edit',
  'rule.remove',
] as const;

export type AuditEvent = (typeof AUDIT_EVENTS)[number];

export interface AuditEntry {
  /** Null for instance-level actions, such as a failed login for an unknown e-mail. */
  organizationId: number | null;
  event: AuditEvent;
  targetType?: string;
  targetId?: string | number;
  /**
   * Plain JSON describing the change (for example `{ before, after }`). Never put a password,
   * token, key secret or TOTP seed here.
   */
  data?: Record<string, unknown>;
  /** The actor when the request has none yet, such as a login. */
  actor?: { userId: number | null; label: string };
}

const MAX_USER_AGENT = 512;

/**
 * Appends one row to the audit log. The actor, its token, IP address and user agent come from
 * the request; `entry.actor` names the actor of a request that is not authenticated yet.
 */
export async function recordAudit(
  db: Kysely<Database>,
  request: FastifyRequest | undefined,
  entry: AuditEntry,
): Promise<void> {
  const auth = request?.auth;
  const actorUserId = entry.actor?.userId ?? auth?.user.id ?? null;
  const actorLabel = entry.actor?.label ?? auth?.user.email ?? 'system';
  const userAgent = request?.headers['user-agent'];
  await db
    .insertInto('auditLog')
    .values({
      organizationId: entry.organizationId,
      actorUserId,
      actorLabel,
      actorTokenId: auth?.tokenId ?? null,
      ipAddress: request?.ip ?? null,
      userAgent: typeof userAgent === 'string' ? userAgent.slice(0, MAX_USER_AGENT) : null,
      event: entry.event,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId === undefined ? null : String(entry.targetId),
      data: JSON.stringify(entry.data ?? {}),
      createdAt: Date.now(),
    })
    .execute();
}
