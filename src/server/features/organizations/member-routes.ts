import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';

import type { Member, MemberDetails } from '../../../shared/api/members.js';
import type { Database } from '../../platform/db/index.js';
import { AuthError, ValidationError } from '../../platform/errors.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { AccountRepository } from '../accounts/account-repository.js';
import { recordAudit } from '../audit/index.js';
import { resolveOrganization, type OrganizationAccess } from './access.js';
import { deliverInvite } from './invite-delivery.js';
import { registerInviteRoutes } from './invite-routes.js';
import { INVITE_LIFETIME_MS, createInviteToken } from './invites.js';
import {
  findTeamsBySlug,
  loadMemberOrInvite,
  parseBody,
  type MemberContext,
} from './member-context.js';
import { MemberRepository, type InviteRecord, type MemberRecord } from './member-repository.js';
import { serializeInvite, serializeMember } from './member-serializers.js';
import type { OrganizationRepository } from './organization-repository.js';
import { registerOrganizationSettingsRoutes } from './organization-settings-routes.js';
import { ORG_ROLES, TEAM_ROLES, assignableRoles, checkMemberAction } from './roles.js';
import { callerHasScope } from './team-access.js';
import { registerTeamRoutes } from './team-routes.js';

export interface MemberRoutesOptions {
  db: Kysely<Database>;
  organizations: OrganizationRepository;
  publicUrl?: string | undefined;
  /** Sends invitations by e-mail; without it they are shared as links. */
  mailer?: Mailer | undefined;
}

const querySchema = z.object({ query: z.string().max(200).optional() });

const updateSchema = z.strictObject({
  orgRole: z.enum(ORG_ROLES).optional(),
  role: z.enum(ORG_ROLES).optional(),
  teams: z.array(z.string().max(50)).max(100).optional(),
  teamRoles: z
    .array(z.strictObject({ teamSlug: z.string().max(50), role: z.enum(TEAM_ROLES) }))
    .max(100)
    .optional(),
  regenerate: z.boolean().optional(),
});
type MemberUpdate = z.infer<typeof updateSchema>;

type MemberParams = { org: string; memberId: string };

/**
 * Members, invitations, teams and organization settings in Sentry's paths:
 * `/api/0/organizations/{org}/members/` and below, `/api/0/accept-invite/`, `/api/0/teams/`
 * and `PUT`/`DELETE /api/0/organizations/{org}/`.
 */
export function registerMemberRoutes(app: FastifyInstance, options: MemberRoutesOptions): void {
  const context: MemberContext = {
    db: options.db,
    organizations: options.organizations,
    members: new MemberRepository(options.db),
    accounts: new AccountRepository(options.db),
    publicUrl: options.publicUrl,
    mailer: options.mailer,
  };
  const { organizations, members } = context;

  app.get<{ Params: { org: string } }>('/api/0/organizations/:org/members/', async (request) => {
    const access = await resolveOrganization(
      request,
      organizations,
      request.params.org,
      'org:read',
    );
    const parsed = querySchema.safeParse(request.query);
    if (!parsed.success) {
      throw new ValidationError('Invalid query: use at most 200 characters');
    }

    const list = await listMembersAndInvites(context, access);
    const needle = parsed.data.query?.trim().toLowerCase() ?? '';
    return list.filter(
      (member) =>
        needle === '' ||
        member.name.toLowerCase().includes(needle) ||
        member.email.toLowerCase().includes(needle),
    );
  });

  app.get<{ Params: MemberParams }>(
    '/api/0/organizations/:org/members/:memberId/',
    async (request): Promise<MemberDetails> => {
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        'org:read',
      );
      const target = await loadMemberOrInvite(context, access, request.params.memberId);
      const member =
        target.kind === 'member'
          ? serializeMember(
              target.member,
              await members.listTeamMemberships(access.organization.id),
            )
          : serializeInvite(target.invite, await organizations.listTeams(access.organization.id));
      return { ...member, allowedRoles: assignableRoles(access.role) };
    },
  );

  app.put<{ Params: MemberParams }>(
    '/api/0/organizations/:org/members/:memberId/',
    async (request) => {
      const access = await resolveOrganization(request, organizations, request.params.org, [
        'member:write',
        'member:admin',
      ]);
      const target = await loadMemberOrInvite(context, access, request.params.memberId);
      const update = parseBody(updateSchema, request.body, 'member update');

      return target.kind === 'invite'
        ? updateInvite(context, request, access, target.invite, update)
        : updateMember(context, request, access, target.member, update);
    },
  );

  app.delete<{ Params: MemberParams }>(
    '/api/0/organizations/:org/members/:memberId/',
    async (request, reply) => {
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        'org:read',
      );
      const target = await loadMemberOrInvite(context, access, request.params.memberId);

      if (target.kind === 'invite') {
        await removeInvite(context, request, access, target.invite);
      } else {
        await removeMember(context, request, access, target.member);
      }
      return reply.status(204).send();
    },
  );

  registerInviteRoutes(app, context);
  registerTeamRoutes(app, context);
  registerOrganizationSettingsRoutes(app, context);
}

/** Members first, then pending invitations, each sorted by e-mail. */
async function listMembersAndInvites(
  context: MemberContext,
  access: OrganizationAccess,
): Promise<Member[]> {
  const organizationId = access.organization.id;
  const [rows, memberships, invites, teams] = await Promise.all([
    context.members.listMembers(organizationId),
    context.members.listTeamMemberships(organizationId),
    context.members.listInvites(organizationId),
    context.organizations.listTeams(organizationId),
  ]);
  return [
    ...rows.map((row) => serializeMember(row, memberships)),
    ...invites.map((invite) => serializeInvite(invite, teams)),
  ];
}

function deny(reason: string | undefined): void {
  if (reason !== undefined) {
    throw new AuthError(403, reason);
  }
}

async function updateMember(
  context: MemberContext,
  request: FastifyRequest,
  access: OrganizationAccess,
  member: MemberRecord,
  update: MemberUpdate,
): Promise<Member> {
  const { members } = context;
  const organizationId = access.organization.id;
  if (update.regenerate === true) {
    throw new ValidationError('Only pending invitations can be regenerated');
  }

  const newRole = update.orgRole ?? update.role;
  const roleChanges = newRole !== undefined && newRole !== member.role;
  if (roleChanges) {
    if (!callerHasScope(request, access, 'member:admin')) {
      throw new AuthError(403, 'Changing roles needs member:admin');
    }
    deny(
      checkMemberAction(access.role, {
        kind: 'change-role',
        targetRole: member.role,
        role: newRole,
        ownerCount: await members.countOwners(organizationId),
      }),
    );
  }

  const before = await members.listTeamMemberships(organizationId);
  const beforeTeams = before.filter((row) => row.memberId === member.id);
  const newTeams = await resolveTeamChange(context, access, update, beforeTeams);
  if (newTeams !== undefined) {
    if (!callerHasScope(request, access, 'member:admin')) {
      throw new AuthError(403, "Changing another member's teams needs member:admin");
    }
    deny(checkMemberAction(access.role, { kind: 'edit-teams', targetRole: member.role }));
  }

  if (roleChanges) {
    await members.updateRole(member.id, newRole);
  }
  if (newTeams !== undefined) {
    await members.replaceTeams(member.id, newTeams);
  }

  const after = await members.listTeamMemberships(organizationId);
  const updated = { ...member, role: roleChanges ? newRole : member.role };
  const serialized = serializeMember(updated, after);
  if (roleChanges || newTeams !== undefined) {
    await recordAudit(context.db, request, {
      organizationId,
      event: 'member.edit',
      targetType: 'member',
      targetId: member.id,
      data: {
        email: member.email,
        before: { role: member.role, teamRoles: serializeMember(member, before).teamRoles },
        after: { role: updated.role, teamRoles: serialized.teamRoles },
      },
    });
  }
  return serialized;
}

/**
 * Turns `teams` or `teamRoles` of an update into the member's new team list, or undefined when
 * the update names no teams. `teams` keeps the role of teams the member is in already.
 */
async function resolveTeamChange(
  context: MemberContext,
  access: OrganizationAccess,
  update: MemberUpdate,
  current: readonly { teamId: number; role: string }[],
): Promise<{ teamId: number; role: string }[] | undefined> {
  if (update.teamRoles !== undefined) {
    const teams = await findTeamsBySlug(
      context.organizations,
      access.organization.id,
      update.teamRoles.map((entry) => entry.teamSlug),
    );
    return teams.map((team) => ({
      teamId: team.id,
      role: update.teamRoles?.find((entry) => entry.teamSlug === team.slug)?.role ?? 'contributor',
    }));
  }
  if (update.teams !== undefined) {
    const teams = await findTeamsBySlug(
      context.organizations,
      access.organization.id,
      update.teams,
    );
    return teams.map((team) => ({
      teamId: team.id,
      role: current.find((row) => row.teamId === team.id)?.role ?? 'contributor',
    }));
  }
  return undefined;
}

async function updateInvite(
  context: MemberContext,
  request: FastifyRequest,
  access: OrganizationAccess,
  invite: InviteRecord,
  update: MemberUpdate,
): Promise<Member> {
  const { members, organizations } = context;
  if (update.teamRoles !== undefined) {
    throw new ValidationError('Invitations have no team roles: send "teams" instead');
  }

  const newRole = update.orgRole ?? update.role ?? invite.role;
  deny(
    checkMemberAction(access.role, { kind: 'edit-invite', inviteRole: invite.role, role: newRole }),
  );
  const teams =
    update.teams === undefined
      ? undefined
      : await findTeamsBySlug(organizations, access.organization.id, update.teams);

  const change: { role?: string; teamIds?: string; tokenHash?: string; expiresAt?: number } = {};
  if (newRole !== invite.role) {
    change.role = newRole;
  }
  if (teams !== undefined) {
    change.teamIds = JSON.stringify(teams.map((team) => team.id));
  }
  const token = update.regenerate === true ? createInviteToken() : undefined;
  if (token !== undefined) {
    change.tokenHash = token.tokenHash;
    change.expiresAt = Date.now() + INVITE_LIFETIME_MS;
  }
  await members.updateInvite(invite.id, change);

  const updated: InviteRecord = { ...invite, ...change };
  const serialized = serializeInvite(
    updated,
    await organizations.listTeams(access.organization.id),
  );
  if (change.role !== undefined || change.teamIds !== undefined) {
    await recordAudit(context.db, request, {
      organizationId: access.organization.id,
      event: 'member.edit',
      targetType: 'invite',
      targetId: serialized.id,
      data: {
        email: invite.email,
        before: { role: invite.role, teams: serializeInvite(invite, []).teams },
        after: { role: updated.role, teams: serialized.teams },
      },
    });
  }
  if (token === undefined) {
    return serialized;
  }

  await recordAudit(context.db, request, {
    organizationId: access.organization.id,
    event: 'member.invite',
    targetType: 'invite',
    targetId: serialized.id,
    data: { email: invite.email, role: updated.role, regenerated: true },
  });
  const delivery = await deliverInvite(context, request, access, updated, token.token, true);
  return { ...serialized, ...delivery };
}

async function removeInvite(
  context: MemberContext,
  request: FastifyRequest,
  access: OrganizationAccess,
  invite: InviteRecord,
): Promise<void> {
  if (!callerHasScope(request, access, 'member:write')) {
    throw new AuthError(403, 'Removing invitations needs member:write');
  }
  deny(checkMemberAction(access.role, { kind: 'remove-invite', inviteRole: invite.role }));
  await context.members.deleteInvite(invite.id);
  await recordAudit(context.db, request, {
    organizationId: access.organization.id,
    event: 'invite.remove',
    targetType: 'invite',
    targetId: `i${invite.id}`,
    data: { email: invite.email, role: invite.role },
  });
}

async function removeMember(
  context: MemberContext,
  request: FastifyRequest,
  access: OrganizationAccess,
  member: MemberRecord,
): Promise<void> {
  const ownerCount = await context.members.countOwners(access.organization.id);
  const isSelf = member.id === access.memberId;
  if (isSelf) {
    deny(checkMemberAction(access.role, { kind: 'leave', ownRole: member.role, ownerCount }));
  } else {
    if (!callerHasScope(request, access, 'member:admin')) {
      throw new AuthError(403, 'Removing members needs member:admin');
    }
    deny(checkMemberAction(access.role, { kind: 'remove', targetRole: member.role, ownerCount }));
  }

  await context.members.deleteMember(member.id);
  await recordAudit(context.db, request, {
    organizationId: access.organization.id,
    event: 'member.remove',
    targetType: 'member',
    targetId: member.id,
    data: { email: member.email, role: member.role, left: isSelf },
  });
}
