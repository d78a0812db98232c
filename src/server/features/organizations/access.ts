import type { FastifyRequest } from 'fastify';

import { AppError, AuthError, NotFoundError } from '../../platform/errors.js';
import { ROLE_SCOPES, type Scope } from '../accounts/scopes.js';
import { requireAuth } from '../accounts/request-auth.js';
import type {
  OrganizationRecord,
  OrganizationRepository,
  ProjectRecord,
} from './organization-repository.js';
import { canAccessProject } from './project-access.js';

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
 * @throws AppError 401 `2fa-required` when the organization requires two-factor authentication
 * and the member has no second factor.
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

  // An organization token acts in its own organization only, with exactly its scopes.
  if (auth.tokenOrganizationId !== undefined) {
    if (auth.tokenOrganizationId !== organization.id) {
      throw new NotFoundError('Organization not found');
    }
    return checkScopes(
      { organization, role: 'org-token', memberId: 0, userId: auth.user.id },
      ciScopesFor(request),
      auth.tokenScopes,
      scope,
      ciScopesFor(request),
    );
  }

  // Only members see an organization; the superuser flag grants nothing here yet.
  const membership = await repository.findMembership(organization.id, auth.user.id);

  if (membership === undefined) {
    throw new NotFoundError('Organization not found');
  }

  if (organization.requireTwoFactor === 1 && !(await auth.hasTwoFactor())) {
    throw new AppError(
      401,
      '2fa-required',
      `Organization "${organization.slug}" requires two-factor authentication: set up a second factor in Settings > Account > Security`,
    );
  }

  const access = {
    organization,
    role: membership.role,
    memberId: membership.id,
    userId: auth.user.id,
  };
  return checkScopes(
    access,
    ROLE_SCOPES[membership.role] ?? [],
    auth.tokenScopes,
    scope,
    ciScopesFor(request),
  );
}

/**
 * Scopes an organization token can hold. Sentry's `org:ci` covers what sentry-cli and the
 * bundler plugins do: releases, source maps and reading projects. It does not read the
 * organization's members, settings or events.
 */
const ORG_TOKEN_SCOPES: readonly Scope[] = ['project:read', 'project:releases'];

/** DSN key routes show key secrets, which a CI token has no use for. */
const CI_EXCLUDED_ROUTE = /\/keys(\/|$)/;

function ciScopesFor(request: FastifyRequest): readonly Scope[] {
  return CI_EXCLUDED_ROUTE.test(request.routeOptions.url ?? '') ? [] : ORG_TOKEN_SCOPES;
}

/**
 * Returns whether a token's scopes cover `scope`. As in Sentry's permission classes, the write and
 * admin scopes of a family also allow its read actions, and admin allows write.
 */
function tokenCovers(tokenScopes: ReadonlySet<string>, scope: Scope): boolean {
  if (tokenScopes.has(scope)) {
    return true;
  }
  const [family, level] = scope.split(':');
  if (level === 'read') {
    return tokenScopes.has(`${family}:write`) || tokenScopes.has(`${family}:admin`);
  }
  return level === 'write' && tokenScopes.has(`${family}:admin`);
}

function checkScopes(
  access: OrganizationAccess,
  roleScopes: readonly Scope[],
  tokenScopes: ReadonlySet<string> | undefined,
  scope: Scope | readonly Scope[],
  ciScopes: readonly Scope[] = [],
): OrganizationAccess {
  const accepted: readonly Scope[] = typeof scope === 'string' ? [scope] : scope;
  const granted = accepted.some(
    (candidate) =>
      roleScopes.includes(candidate) &&
      (tokenScopes === undefined ||
        tokenCovers(tokenScopes, candidate) ||
        (tokenScopes.has('org:ci') && ciScopes.includes(candidate))),
  );

  if (!granted) {
    const needs = accepted.length === 1 ? accepted.join('') : `one of ${accepted.join(', ')}`;
    throw new AuthError(403, `You do not have permission to perform this action (needs ${needs})`);
  }

  return access;
}

/**
 * Loads a project of an organization the caller belongs to, checking one scope. With open
 * membership off, members and admins reach only the projects of their teams.
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

  if (project === undefined || !(await canAccessProject(repository, access, project.id))) {
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

/**
 * Organization slugs that would collide with the web app's own paths (`/settings/account/`,
 * `/organizations/new/`, `/manage/`) and are therefore refused.
 */
const RESERVED_ORGANIZATION_SLUGS = new Set([
  'account',
  'accept-invite',
  'api',
  'assets',
  'auth',
  'manage',
  'new',
  'organizations',
  'settings',
]);

export function isReservedOrganizationSlug(slug: string): boolean {
  return RESERVED_ORGANIZATION_SLUGS.has(slug);
}
