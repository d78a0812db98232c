import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';

import type {
  DataScrubbingSettings,
  ProjectDataScrubbingResponse,
} from '../../../shared/api/data-scrubbing.js';
import type { Database } from '../../platform/db/index.js';
import { recordAudit } from '../audit/index.js';
import type { Scope } from '../accounts/scopes.js';
import {
  resolveOrganization,
  resolveProject,
  type OrganizationRepository,
} from '../organizations/index.js';
import { ORGANIZATION_ROW, ScrubbingSettingsRepository } from './scrubbing-repository.js';
import {
  applySettingsUpdate,
  combineSettings,
  parseSettingsUpdate,
  type SettingsUpdate,
} from './scrubbing-settings.js';
import { previewScrubbing } from './scrubbing-preview.js';

export interface ScrubbingRoutesOptions {
  db: Kysely<Database>;
  organizations: OrganizationRepository;
}

type OrganizationParams = { org: string };
type ProjectParams = { org: string; project: string };

const ORG_READ: readonly Scope[] = ['org:read', 'org:write', 'org:admin'];
const ORG_WRITE: readonly Scope[] = ['org:write', 'org:admin'];
const PROJECT_READ: readonly Scope[] = ['project:read', 'project:write', 'project:admin'];
const PROJECT_WRITE: readonly Scope[] = ['project:write', 'project:admin'];

/**
 * Stores a settings update and records `datascrubbing.edit` with the settings before and after.
 * Returns the stored settings. `body` must have passed `parseSettingsUpdate`.
 */
export async function updateScrubbingSettings(
  db: Kysely<Database>,
  request: FastifyRequest | undefined,
  target: { organizationId: number; projectId: number },
  update: SettingsUpdate,
): Promise<DataScrubbingSettings> {
  const repository = new ScrubbingSettingsRepository(db);
  const before = await repository.read(target.organizationId, target.projectId);
  const after = applySettingsUpdate(before, update);
  await repository.write(target.organizationId, target.projectId, after);
  const isOrganization = target.projectId === ORGANIZATION_ROW;
  await recordAudit(db, request, {
    organizationId: target.organizationId,
    event: 'datascrubbing.edit',
    targetType: isOrganization ? 'organization' : 'project',
    targetId: isOrganization ? target.organizationId : target.projectId,
    data: { before, after },
  });
  return after;
}

/**
 * Registers the data-scrubbing settings endpoints of organizations and projects, and the
 * preview that scrubs a stored event with unsaved settings.
 */
export function registerScrubbingRoutes(
  app: FastifyInstance,
  options: ScrubbingRoutesOptions,
): void {
  const { db, organizations } = options;
  const repository = new ScrubbingSettingsRepository(db);

  app.get<{ Params: OrganizationParams }>(
    '/api/0/organizations/:org/data-scrubbing/',
    async (request): Promise<DataScrubbingSettings> => {
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        ORG_READ,
      );
      return repository.read(access.organization.id, ORGANIZATION_ROW);
    },
  );

  app.put<{ Params: OrganizationParams }>(
    '/api/0/organizations/:org/data-scrubbing/',
    async (request): Promise<DataScrubbingSettings> => {
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        ORG_WRITE,
      );
      const update = parseSettingsUpdate(request.body);
      return updateScrubbingSettings(
        db,
        request,
        { organizationId: access.organization.id, projectId: ORGANIZATION_ROW },
        update,
      );
    },
  );

  const readProject = async (organizationId: number, projectId: number) => {
    const organization = await repository.read(organizationId, ORGANIZATION_ROW);
    const project = await repository.read(organizationId, projectId);
    const response: ProjectDataScrubbingResponse = {
      ...project,
      organization,
      effective: combineSettings(organization, project),
    };
    return response;
  };

  app.get<{ Params: ProjectParams }>(
    '/api/0/projects/:org/:project/data-scrubbing/',
    async (request) => {
      const { access, project } = await resolveProject(
        request,
        organizations,
        request.params,
        PROJECT_READ,
      );
      return readProject(access.organization.id, project.id);
    },
  );

  app.put<{ Params: ProjectParams }>(
    '/api/0/projects/:org/:project/data-scrubbing/',
    async (request) => {
      const { access, project } = await resolveProject(
        request,
        organizations,
        request.params,
        PROJECT_WRITE,
      );
      const update = parseSettingsUpdate(request.body);
      await updateScrubbingSettings(
        db,
        request,
        { organizationId: access.organization.id, projectId: project.id },
        update,
      );
      return readProject(access.organization.id, project.id);
    },
  );

  app.post<{ Params: ProjectParams }>(
    '/api/0/projects/:org/:project/data-scrubbing/preview/',
    async (request) => {
      // The preview shows a stored event, so it needs what reading events needs. It also runs
      // the unsaved patterns of the body, and one slow pattern blocks the web server's event
      // loop. So only those who may save patterns (PROJECT_WRITE) may run them here.
      const { access, project } = await resolveProject(
        request,
        organizations,
        request.params,
        PROJECT_WRITE,
      );
      await resolveProject(request, organizations, request.params, 'event:read');
      return previewScrubbing(db, request.body, {
        organizationId: access.organization.id,
        projectIds: [project.id],
        target: 'project',
      });
    },
  );

  app.post<{ Params: OrganizationParams }>(
    '/api/0/organizations/:org/data-scrubbing/preview/',
    async (request) => {
      // It reads events of every project, so it needs the organization's settings scope (held
      // by roles that see every project) as well as event:read.
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        'org:write',
      );
      await resolveOrganization(request, organizations, request.params.org, 'event:read');
      const projects = await organizations.listProjects(access.organization.id);
      return previewScrubbing(db, request.body, {
        organizationId: access.organization.id,
        projectIds: projects.map((project) => project.id),
        target: 'organization',
      });
    },
  );
}
