import { ROLE_SCOPES, type Scope } from '../accounts/scopes.js';

/** Sentry's organization roles, lowest first; each role has every scope of the ones before. */
export const ORG_ROLES = ['member', 'admin', 'manager', 'owner'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

/** Sentry's team roles. A team admin manages that team's members and projects. */
export const TEAM_ROLES = ['contributor', 'admin'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

export const ROLE_NAMES: Record<OrgRole, string> = {
  member: 'Member',
  admin: 'Admin',
  manager: 'Manager',
  owner: 'Owner',
};

export const TEAM_ROLE_NAMES: Record<TeamRole, string> = {
  contributor: 'Contributor',
  admin: 'Team Admin',
};

export function isOrgRole(value: string): value is OrgRole {
  return (ORG_ROLES as readonly string[]).includes(value);
}

export function isTeamRole(value: string): value is TeamRole {
  return (TEAM_ROLES as readonly string[]).includes(value);
}

/** Position of a role in `ORG_ROLES`; -1 for anything else, such as an organization token. */
export function roleRank(role: string): number {
  return (ORG_ROLES as readonly string[]).indexOf(role);
}

export function roleHasScope(role: string, scope: Scope): boolean {
  return ROLE_SCOPES[role]?.includes(scope) ?? false;
}

/**
 * Returns whether a role can access every project even when open membership is off. Managers and owners do,
 * as Sentry's `is_global` roles; members and admins then see only their teams' projects.
 */
export function isGlobalRole(role: string): boolean {
  return role === 'manager' || role === 'owner';
}

/**
 * Roles that `actorRole` may give when inviting or editing a member: none without
 * `member:write`, otherwise every role up to its own. So a manager cannot create an owner.
 */
export function assignableRoles(actorRole: string): OrgRole[] {
  if (!roleHasScope(actorRole, 'member:write')) {
    return [];
  }
  return ORG_ROLES.filter((role) => roleRank(role) <= roleRank(actorRole));
}

/** A change to the members of an organization, described for `checkMemberAction`. */
export type MemberAction =
  | { kind: 'invite'; role: string }
  | { kind: 'edit-invite'; inviteRole: string; role: string }
  | { kind: 'remove-invite'; inviteRole: string }
  | { kind: 'change-role'; targetRole: string; role: string; ownerCount: number }
  | { kind: 'edit-teams'; targetRole: string }
  | { kind: 'remove'; targetRole: string; ownerCount: number }
  | { kind: 'leave'; ownRole: string; ownerCount: number };

/**
 * Decides whether a member with `actorRole` may take `action`, and returns the reason when it
 * may not. An actor cannot assign a role above its own, or change or remove a member (or
 * invite) whose role is above its own. The last owner cannot be demoted or removed.
 * Leaving needs no scope.
 */
export function checkMemberAction(actorRole: string, action: MemberAction): string | undefined {
  const rank = roleRank(actorRole);
  const above = (role: string) => roleRank(role) > rank;

  switch (action.kind) {
    case 'invite':
      return checkAssign(actorRole, action.role, 'member:write');
    case 'edit-invite':
      if (above(action.inviteRole)) {
        return 'You cannot change an invitation for a role above your own';
      }
      return checkAssign(actorRole, action.role, 'member:write');
    case 'remove-invite':
      if (!roleHasScope(actorRole, 'member:write')) {
        return 'Removing invitations needs member:write';
      }
      return above(action.inviteRole)
        ? 'You cannot remove an invitation for a role above your own'
        : undefined;
    case 'change-role':
      if (above(action.targetRole)) {
        return 'You cannot change a member whose role is above your own';
      }
      if (action.targetRole === 'owner' && action.role !== 'owner' && action.ownerCount <= 1) {
        return 'The last owner cannot be demoted: make another member an owner first';
      }
      return checkAssign(actorRole, action.role, 'member:admin');
    case 'edit-teams':
      if (!roleHasScope(actorRole, 'member:admin')) {
        return "Changing another member's teams needs member:admin";
      }
      return above(action.targetRole)
        ? 'You cannot change a member whose role is above your own'
        : undefined;
    case 'remove':
      if (!roleHasScope(actorRole, 'member:admin')) {
        return 'Removing members needs member:admin';
      }
      if (above(action.targetRole)) {
        return 'You cannot remove a member whose role is above your own';
      }
      return action.targetRole === 'owner' && action.ownerCount <= 1
        ? 'The last owner cannot be removed: make another member an owner first'
        : undefined;
    case 'leave':
      return action.ownRole === 'owner' && action.ownerCount <= 1
        ? 'The last owner cannot leave: make another member an owner first'
        : undefined;
  }
}

function checkAssign(actorRole: string, role: string, scope: Scope): string | undefined {
  if (!roleHasScope(actorRole, scope)) {
    return `Assigning roles needs ${scope}`;
  }
  if (!isOrgRole(role)) {
    return `Invalid role ${JSON.stringify(role)}: use one of ${ORG_ROLES.join(', ')}`;
  }
  return roleRank(role) > roleRank(actorRole)
    ? `You cannot assign the role ${role}, which is above your own role ${actorRole}`
    : undefined;
}
