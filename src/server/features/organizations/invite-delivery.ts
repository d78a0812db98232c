import type { FastifyRequest } from 'fastify';

import type { OrganizationAccess } from './access.js';
import { buildInviteEmail, buildInviteLink } from './invites.js';
import { baseUrlOf, type MemberContext } from './member-context.js';
import type { InviteRecord } from './member-repository.js';
import { ROLE_NAMES, isOrgRole } from './roles.js';

/**
 * Builds the link of a new or regenerated invitation and, when SMTP is configured and
 * `send` is true, mails it to the invited address. A failed delivery is logged and reported as
 * `inviteSent: false`, so that the inviter can still copy the link.
 */
export async function deliverInvite(
  context: MemberContext,
  request: FastifyRequest,
  access: OrganizationAccess,
  invite: InviteRecord,
  token: string,
  send: boolean,
): Promise<{ inviteLink: string; inviteSent: boolean }> {
  const inviteLink = buildInviteLink(baseUrlOf(context, request), invite.id, token);
  if (context.mailer === undefined || !send) {
    return { inviteLink, inviteSent: false };
  }

  const inviter = request.auth?.user;
  const message = buildInviteEmail({
    to: invite.email,
    organizationName: access.organization.name,
    inviterName: inviter === undefined ? 'A member' : inviter.name || inviter.email,
    roleName: isOrgRole(invite.role) ? ROLE_NAMES[invite.role] : invite.role,
    link: inviteLink,
  });
  try {
    await context.mailer.send(message);
    request.log.info({ inviteId: invite.id }, 'invitation e-mail sent');
    return { inviteLink, inviteSent: true };
  } catch (error) {
    request.log.error(
      { inviteId: invite.id, err: error instanceof Error ? error.message : String(error) },
      'invitation e-mail failed',
    );
    return { inviteLink, inviteSent: false };
  }
}
