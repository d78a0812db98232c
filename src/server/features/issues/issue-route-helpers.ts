import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { Scope } from '../accounts/index.js';
import {
  listAccessibleProjects,
  resolveOrganization,
  resolveProject,
  type OrganizationAccess,
  type OrganizationRepository,
} from '../organizations/index.js';

/** A query parameter given once or repeated, as a list of strings. */
export function toList(value: unknown): string[] {
  if (value === undefined) {
    return [];
  }
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Ids of the organization's projects named by `project` parameters, or all when none (or -1). */
export async function selectedProjectIds(
  organizations: OrganizationRepository,
  request: FastifyRequest,
  access: OrganizationAccess,
): Promise<number[]> {
  const projects = await listAccessibleProjects(organizations, access);
  const requested = toList((request.query as Record<string, unknown>).project).filter(
    (id) => id !== '-1',
  );
  return projects
    .filter((project) => requested.length === 0 || requested.includes(String(project.id)))
    .map((project) => project.id);
}

/** Handles a request on the issues of `projectIds`, all of them in the caller's organization. */
export type IssueCollectionHandler = (
  request: FastifyRequest,
  reply: FastifyReply,
  access: OrganizationAccess,
  projectIds: number[],
) => Promise<unknown>;

/**
 * Registers `handler` under both of Sentry's issue collection paths: the organization's
 * (`/api/0/organizations/{org}/issues/`, whose `project` parameters narrow it) and one
 * project's (`/api/0/projects/{org}/{project}/issues/`), after checking `scope`.
 */
export function registerIssueCollectionRoute(
  app: FastifyInstance,
  organizations: OrganizationRepository,
  method: 'GET' | 'PUT' | 'DELETE',
  scope: Scope,
  handler: IssueCollectionHandler,
): void {
  app.route<{ Params: { org: string } }>({
    method,
    url: '/api/0/organizations/:org/issues/',
    handler: async (request, reply) => {
      const access = await resolveOrganization(request, organizations, request.params.org, scope);
      const projectIds = await selectedProjectIds(organizations, request, access);
      return handler(request, reply, access, projectIds);
    },
  });
  app.route<{ Params: { org: string; project: string } }>({
    method,
    url: '/api/0/projects/:org/:project/issues/',
    handler: async (request, reply) => {
      const { access, project } = await resolveProject(
        request,
        organizations,
        request.params,
        scope,
      );
      return handler(request, reply, access, [project.id]);
    },
  });
}
