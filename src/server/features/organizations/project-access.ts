import type { OrganizationAccess } from './access.js';
import type { OrganizationRepository, ProjectRecord } from './organization-repository.js';
import { isGlobalRole } from './roles.js';

/**
 * Whether the caller sees every project of the organization: with open membership (the
 * default) every member does, and so do managers, owners and organization tokens. Otherwise a
 * member sees the projects of its teams only.
 */
export function hasAllProjectAccess(access: OrganizationAccess): boolean {
  return (
    access.organization.openMembership !== 0 ||
    access.role === 'org-token' ||
    isGlobalRole(access.role)
  );
}

/**
 * Lists the organization's projects that the caller may see. Every list of projects and every
 * organization-wide query (issues, events, stats) starts from this.
 */
export async function listAccessibleProjects(
  organizations: OrganizationRepository,
  access: OrganizationAccess,
): Promise<ProjectRecord[]> {
  const projects = await organizations.listProjects(access.organization.id);
  if (hasAllProjectAccess(access)) {
    return projects;
  }
  const teamProjectIds = new Set(await organizations.listMemberProjectIds(access.memberId));
  return projects.filter((project) => teamProjectIds.has(project.id));
}

export async function canAccessProject(
  organizations: OrganizationRepository,
  access: OrganizationAccess,
  projectId: number,
): Promise<boolean> {
  if (hasAllProjectAccess(access)) {
    return true;
  }
  return (await organizations.listMemberProjectIds(access.memberId)).includes(projectId);
}
