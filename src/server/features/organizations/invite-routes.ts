import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';

import type { AcceptInviteResponse, InviteDetails, Member } from '../../../shared/api/members.js';
import { AppError, AuthError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { MIN_PASSWORD_LENGTH, hashPassword } from '../accounts/passwords.js';
import { safeEqual } from '../accounts/secrets.js';
import { recordAudit } from '../audit/index.js';
import { resolveOrganization } from './access.js';
import { deliverInvite } from './invite-delivery.js';
import {
  INVITE_LIFETIME_MS,
  createInviteToken,
  hashInviteToken,
  parseInviteId,
} from './invites.js';
import { findTeamsBySlug, parseBody, type MemberContext } from './member-context.js';
import type { InviteRecord } from './member-repository.js';
import { serializeInvite } from './member-serializers.js';
import { ORG_ROLES, checkMemberAction, isOrgRole } from './roles.js';

const inviteSchema = z.strictObject({
  email: z.email().max(320),
  orgRole: z.enum(ORG_ROLES).optional(),
  role: z.enum(ORG_ROLES).optional(),
  teams: z.array(z.string().max(50)).max(100).optional(),
  sendInvite: z.boolean().optional(),
  // Sent by Sentry's UI; Picket has no invite-request approval, so it is accepted and ignored.
  reinvite: z.boolean().optional(),
});

const acceptSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  password: z.string().min(MIN_PASSWORD_LENGTH).max(1024).optional(),
});

type InviteParams = { memberId: string; token: string };

const INVITE_NOT_FOUND = 'Invitation not found: the link is wrong, expired or was used already';

/**
 * `POST /api/0/organizations/{org}/members/` creates an invitation. `GET` and `POST
 * /api/0/accept-invite/{id}/{token}/` show and accept one; they need no login, because the
 * token is the credential, but the account that joins is always the invited e-mail's.
 */
export function registerInviteRoutes(app: FastifyInstance, context: MemberContext): void {
  const { organizations, members, accounts } = context;

  app.post<{ Params: { org: string } }>(
    '/api/0/organizations/:org/members/',
    async (request, reply): Promise<Member> => {
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        'member:write',
      );
      const input = parseBody(inviteSchema, request.body, 'invitation');
      const email = input.email.trim().toLowerCase();
      const defaultRole = isOrgRole(access.organization.defaultRole)
        ? access.organization.defaultRole
        : 'member';
      const role = input.orgRole ?? input.role ?? defaultRole;
      const reason = checkMemberAction(access.role, { kind: 'invite', role });
      if (reason !== undefined) {
        throw new AuthError(403, reason);
      }

      const organizationId = access.organization.id;
      if ((await members.findMemberByEmail(organizationId, email)) !== undefined) {
        throw new AppError(409, 'conflict', `${email} is already a member of this organization`);
      }
      const existingInvite = (await members.listInvites(organizationId)).find(
        (invite) => invite.email === email,
      );
      if (existingInvite !== undefined) {
        throw new AppError(
          409,
          'conflict',
          `${email} is invited already: regenerate or remove that invitation`,
        );
      }
      const teams = await findTeamsBySlug(organizations, organizationId, input.teams ?? []);

      const { token, tokenHash } = createInviteToken();
      const now = Date.now();
      const invite = await members.createInvite({
        organizationId,
        email,
        role,
        teamIds: JSON.stringify(teams.map((team) => team.id)),
        tokenHash,
        inviterId: access.userId,
        createdAt: now,
        expiresAt: now + INVITE_LIFETIME_MS,
      });
      await recordAudit(context.db, request, {
        organizationId,
        event: 'member.invite',
        targetType: 'invite',
        targetId: `i${invite.id}`,
        data: { email, role, teams: teams.map((team) => team.slug) },
      });

      const delivery = await deliverInvite(
        context,
        request,
        access,
        invite,
        token,
        input.sendInvite ?? true,
      );
      return reply.status(201).send({ ...serializeInvite(invite, teams), ...delivery });
    },
  );

  app.get<{ Params: InviteParams }>(
    '/api/0/accept-invite/:memberId/:token/',
    async (request): Promise<InviteDetails> => {
      const invite = await findValidInvite(context, request.params);
      const organization = await organizations.findBySlugOrId(String(invite.organizationId));
      if (organization === undefined) {
        throw new NotFoundError(INVITE_NOT_FOUND);
      }
      const currentEmail = request.auth?.user.email ?? null;
      return {
        organization: { slug: organization.slug, name: organization.name },
        email: invite.email,
        orgRole: isOrgRole(invite.role) ? invite.role : 'member',
        existingUser: (await accounts.findUserByEmail(invite.email)) !== undefined,
        isInvitee: currentEmail === invite.email,
        currentUserEmail: currentEmail,
      };
    },
  );

  app.post<{ Params: InviteParams }>(
    '/api/0/accept-invite/:memberId/:token/',
    async (request): Promise<AcceptInviteResponse> => {
      const invite = await findValidInvite(context, request.params);
      const organization = await organizations.findBySlugOrId(String(invite.organizationId));
      if (organization === undefined) {
        throw new NotFoundError(INVITE_NOT_FOUND);
      }
      const input = parseBody(acceptSchema, request.body, 'acceptance');
      const { user, createdUser } = await findOrCreateInvitee(context, request, invite, input);

      const memberId = await members.acceptInvite(invite, user.id);
      if (memberId === undefined) {
        throw new NotFoundError(INVITE_NOT_FOUND);
      }

      const actor = { userId: user.id, label: user.email };
      await recordAudit(context.db, request, {
        organizationId: organization.id,
        event: 'member.accept-invite',
        targetType: 'member',
        targetId: memberId,
        data: { email: user.email, role: invite.role, invite: `i${invite.id}`, createdUser },
        actor,
      });
      await recordAudit(context.db, request, {
        organizationId: organization.id,
        event: 'member.add',
        targetType: 'member',
        targetId: memberId,
        data: { email: user.email, role: invite.role, inviterId: invite.inviterId },
        actor,
      });
      request.log.info({ organizationId: organization.id, memberId }, 'invitation accepted');

      return {
        organization: { slug: organization.slug, name: organization.name },
        user: { id: String(user.id), email: user.email },
        createdUser,
      };
    },
  );
}

/**
 * Loads an invitation by the id and token of its link. A wrong id, a wrong token, a used or an
 * expired invitation all give the same 404, so the response reveals nothing about which part
 * failed.
 */
async function findValidInvite(context: MemberContext, params: InviteParams) {
  const inviteId = parseInviteId(params.memberId);
  const tokenHash = hashInviteToken(params.token);
  if (inviteId === undefined || tokenHash === undefined) {
    throw new NotFoundError(INVITE_NOT_FOUND);
  }
  const invite = await context.members.findInviteById(inviteId);
  if (
    invite === undefined ||
    !safeEqual(invite.tokenHash, tokenHash) ||
    invite.expiresAt < Date.now()
  ) {
    throw new NotFoundError(INVITE_NOT_FOUND);
  }
  return invite;
}

/**
 * Returns the account that accepts: the logged-in user when its e-mail is the invited one, or a
 * new account with the invited e-mail when none exists. The invited e-mail decides, never a
 * cookie or a body field.
 * @throws AuthError 403 when logged in as someone else, 401 when the account exists but the
 *   caller is not logged in as it.
 */
async function findOrCreateInvitee(
  context: MemberContext,
  request: FastifyRequest,
  invite: InviteRecord,
  input: { name?: string | undefined; password?: string | undefined },
) {
  const current = request.auth?.user;
  if (current !== undefined) {
    if (current.email !== invite.email) {
      throw new AuthError(
        403,
        `This invitation is for ${invite.email}, but you are logged in as ${current.email}: log out first`,
      );
    }
    return { user: current, createdUser: false };
  }

  const existing = await context.accounts.findUserByEmail(invite.email);
  if (existing !== undefined) {
    throw new AuthError(401, `Log in as ${invite.email} to accept this invitation`);
  }
  if (input.password === undefined) {
    throw new ValidationError(
      `Missing password: send "name" and a "password" of at least ${MIN_PASSWORD_LENGTH} characters to create the account`,
      { password: ['This field is required.'] },
    );
  }

  const user = await context.accounts.createUser({
    email: invite.email,
    name: input.name ?? invite.email,
    passwordHash: await hashPassword(input.password),
    isSuperuser: false,
  });
  return { user, createdUser: true };
}
