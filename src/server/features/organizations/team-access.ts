import type { FastifyRequest } from 'fastify';

import { AuthError } from '../../platform/errors.js';
import type { Scope } from '../accounts/scopes.js';
import type { OrganizationAccess } from './access.js';
import type { MemberRepository } from './member-repository.js';
import type { TeamRecord } from './organization-repository.js';
import { roleHasScope } from './roles.js';

/**
 * Returns whether the caller has `scope` through its organization role, and through its token when
 * it used one. Organization tokens have no member or team scopes here.
 */
export function callerHasScope(
  request: FastifyRequest,
  access: OrganizationAccess,
  scope: Scope,
): boolean {
  const tokenScopes = request.auth?.tokenScopes;
  return roleHasScope(access.role, scope) && (tokenScopes === undefined || tokenScopes.has(scope));
}

/** Returns whether a token request has `scope`. A session request always passes. */
export function tokenAllows(request: FastifyRequest, scope: Scope): boolean {
  const tokenScopes = request.auth?.tokenScopes;
  return tokenScopes === undefined || tokenScopes.has(scope);
}

/** Returns whether the caller is an admin of `team` (Sentry's "Team Admin" team role). */
export async function isTeamAdmin(
  members: MemberRepository,
  access: OrganizationAccess,
  team: TeamRecord,
): Promise<boolean> {
  if (access.memberId === 0) {
    return false;
  }
  return (await members.findTeamRole(team.id, access.memberId)) === 'admin';
}

/**
 * Checks that the caller may manage `team`: its organization role grants `scope`, or it is an
 * admin of that team. A token used by a team admin still needs `team:write`.
 * @throws AuthError 403 otherwise.
 */
export async function requireTeamManager(
  request: FastifyRequest,
  members: MemberRepository,
  access: OrganizationAccess,
  team: TeamRecord,
  scope: Scope,
): Promise<void> {
  if (callerHasScope(request, access, scope)) {
    return;
  }
  if (tokenAllows(request, 'team:write') && (await isTeamAdmin(members, access, team))) {
    return;
  }
  throw new AuthError(
    403,
    `You do not have permission to manage the team ${team.slug} (needs ${scope} or the team's admin role)`,
  );
}
