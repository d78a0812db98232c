import type { Member, OrgRole, TeamRole } from '../../../shared/api/members.js';
import { formatInviteId } from './invites.js';
import type { InviteRecord, MemberRecord, TeamMembershipRecord } from './member-repository.js';
import { parseTeamIds } from './member-repository.js';
import { ROLE_NAMES, isOrgRole, isTeamRole } from './roles.js';
import type { TeamRecord } from './organization-repository.js';

const iso = (ms: number) => new Date(ms).toISOString();

function asOrgRole(role: string): OrgRole {
  return isOrgRole(role) ? role : 'member';
}

function asTeamRole(role: string): TeamRole {
  return isTeamRole(role) ? role : 'contributor';
}

/** Serializes a member in Sentry's shape, with the slugs and roles of its teams. */
export function serializeMember(
  member: MemberRecord,
  memberships: readonly TeamMembershipRecord[],
): Member {
  const own = memberships.filter((membership) => membership.memberId === member.id);
  const name = member.name || member.email;
  const role = asOrgRole(member.role);
  return {
    id: String(member.id),
    email: member.email,
    name,
    orgRole: role,
    role,
    roleName: ROLE_NAMES[role],
    pending: false,
    expired: false,
    inviteStatus: 'approved',
    dateCreated: iso(member.createdAt),
    user: { id: String(member.userId), name, email: member.email, username: member.email },
    teams: own.map((membership) => membership.teamSlug),
    teamRoles: own.map((membership) => ({
      teamSlug: membership.teamSlug,
      role: asTeamRole(membership.role),
    })),
  };
}

/** Serializes a pending invitation in the member shape; `teams` maps its team ids to slugs. */
export function serializeInvite(
  invite: InviteRecord,
  teams: readonly TeamRecord[],
  now = Date.now(),
): Member {
  const teamIds = parseTeamIds(invite.teamIds);
  const slugs = teams.filter((team) => teamIds.includes(team.id)).map((team) => team.slug);
  const role = asOrgRole(invite.role);
  return {
    id: formatInviteId(invite.id),
    email: invite.email,
    name: invite.email,
    orgRole: role,
    role,
    roleName: ROLE_NAMES[role],
    pending: true,
    expired: invite.expiresAt < now,
    inviteStatus: 'approved',
    dateCreated: iso(invite.createdAt),
    user: null,
    teams: slugs,
    teamRoles: slugs.map((teamSlug) => ({ teamSlug, role: 'contributor' })),
  };
}
