import type { FastifyRequest } from 'fastify';

import { AuthError, NotFoundError } from '../../platform/errors.js';
import { ROLE_SCOPES, type Scope } from '../accounts/scopes.js';
import { requireAuth } from '../accounts/request-auth.js';
import type {
  OrganizationRecord,
  OrganizationRepository,
  ProjectRecord,
} from './organization-repository.js';

export interface OrganizationAccess {
  organization: OrganizationRecord;
  role: string;
  memberId: number;
  userId: number;
}

/**
 * Loads an organization the caller belongs to and checks a scope; given a list, any one of
 * them is enough. An organization the caller does not belong to is reported as not found, so
 * its existence does not leak.
 * @throws AuthError 401 without credentials, 403 when the role or token lacks `scope`.
 * @throws NotFoundError when the organization does not exist or the caller is not a member.
 */
export async function resolveOrganization(
  request: FastifyRequest,
  repository: OrganizationRepository,
  slugOrId: string,
  scope: Scope | readonly Scope[],
): Promise<OrganizationAccess> {
  const auth = requireAuth(request);
  const organization = await repository.findBySlugOrId(slugOrId);

  if (organization === undefined) {
    throw new NotFoundError('Organization not found');
  }

  // Only members see an organization; the superuser flag grants nothing here yet.
  const membership = await repository.findMembership(organization.id, auth.user.id);

  if (membership === undefined) {
    throw new NotFoundError('Organization not found');
  }

  const role = membership.role;
  const roleScopes = ROLE_SCOPES[role] ?? [];
  const accepted: readonly Scope[] = typeof scope === 'string' ? [scope] : scope;
  const granted = accepted.some(
    (candidate) =>
      roleScopes.includes(candidate) &&
      (auth.tokenScopes === undefined || auth.tokenScopes.has(candidate)),
  );

  if (!granted) {
    const needs = accepted.length === 1 ? accepted.join('') : `one of ${accepted.join(', ')}`;
    throw new AuthError(403, `You do not have permission to perform this action (needs ${needs})`);
  }

  return { organization, role, memberId: membership.id, userId: auth.user.id };
}

/**
 * Loads a project of an organization the caller belongs to, checking one scope.
 * @throws NotFoundError when the organization or the project is not visible to the caller.
 */
export async function resolveProject(
  request: FastifyRequest,
  repository: OrganizationRepository,
  params: { org: string; project: string },
  scope: Scope | readonly Scope[],
): Promise<{ access: OrganizationAccess; project: ProjectRecord }> {
  const access = await resolveOrganization(request, repository, params.org, scope);
  const project = await repository.findProject(access.organization.id, params.project);

  if (project === undefined) {
    throw new NotFoundError('Project not found');
  }
  return { access, project };
}

/** Turns a name into a slug: lower case, runs of other characters as one dash, 50 at most. */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
}

const SLUG_PATTERN = /^(?![0-9]+$)[a-z0-9_-]{1,50}$/;

export function isValidSlug(slug: string): boolean {
  return SLUG_PATTERN.test(slug);
}
