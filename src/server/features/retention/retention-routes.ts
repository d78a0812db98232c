import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';

import type { ProjectStorage } from '../../../shared/api/retention.js';
import type { Database } from '../../platform/db/index.js';
import { resolveProject, type OrganizationRepository } from '../organizations/index.js';
import { readMaxEvents, readProjectStorage } from './storage-figures.js';

export interface RetentionRoutesOptions {
  organizations: OrganizationRepository;
  /** The primary, which the cap is read from so that a change shows at once. */
  db: Kysely<Database>;
  /** The database the counts are read from (the read replica when one is configured). */
  read: Kysely<Database>;
  retentionDays: number;
}

/** `GET /api/0/projects/{org}/{project}/picket-storage/`: the storage figures of a project. */
export function registerRetentionRoutes(
  app: FastifyInstance,
  options: RetentionRoutesOptions,
): void {
  app.get<{ Params: { org: string; project: string } }>(
    '/api/0/projects/:org/:project/picket-storage/',
    async (request): Promise<ProjectStorage> => {
      const { project } = await resolveProject(
        request,
        options.organizations,
        request.params,
        'project:read',
      );
      const maxEvents = await readMaxEvents(options.db, project.id);
      return readProjectStorage(options.read, { id: project.id, maxEvents }, options.retentionDays);
    },
  );
}
