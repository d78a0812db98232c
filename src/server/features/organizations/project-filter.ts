import { ValidationError } from '../../platform/errors.js';
import type { OrganizationAccess } from './access.js';
import type { OrganizationRepository } from './organization-repository.js';
import { hasAllProjectAccess, listAccessibleProjects } from './project-access.js';

/** Returns a query parameter as a list of strings, whether it was given once, many times or not. */
export function queryList(value: unknown): string[] {
  if (value === undefined) {
    return [];
  }
  return (Array.isArray(value) ? value : [value]).map(String);
}

/**
 * Returns the organization's project ids named by `project` query parameters, or undefined for
 * all of them (no parameter, or Sentry's `-1`). When the caller sees only some projects, "all"
 * is the list of those, never undefined, and named projects it cannot see are left out.
 * @throws ValidationError when a project parameter is not a number.
 */
export async function selectRequestedProjectIds(
  query: Record<string, unknown>,
  access: OrganizationAccess,
  organizations: OrganizationRepository,
): Promise<number[] | undefined> {
  const requested = queryList(query.project).filter((id) => id !== '-1' && id !== '');
  if (requested.length === 0) {
    return hasAllProjectAccess(access)
      ? undefined
      : (await listAccessibleProjects(organizations, access)).map((project) => project.id);
  }

  const invalid = requested.find((id) => !/^\d{1,15}$/.test(id));
  if (invalid !== undefined) {
    throw new ValidationError(
      `Invalid project id ${JSON.stringify(invalid.slice(0, 40))}: use numeric ids`,
    );
  }

  const projects = await listAccessibleProjects(organizations, access);
  return projects
    .filter((project) => requested.includes(String(project.id)))
    .map((project) => project.id);
}
