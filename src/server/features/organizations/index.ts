export { resolveOrganization, resolveProject, slugify, type OrganizationAccess } from './access.js';
export {
  OrganizationRepository,
  type OrganizationRecord,
  type ProjectCreatedHook,
  type ProjectRecord,
} from './organization-repository.js';
export type { ProjectFieldsStore, ProjectOptionsStore } from './project-options.js';
export { registerMemberRoutes } from './member-routes.js';
export { registerOrganizationRoutes } from './organization-routes.js';
export { buildDsns, serializeProject } from './serializers.js';
export { queryList, selectRequestedProjectIds } from './project-filter.js';
export { canAccessProject, listAccessibleProjects } from './project-access.js';
