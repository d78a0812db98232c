import { createHash } from 'node:crypto';

import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';

import type { UserDataDeleteResult } from '../../../shared/api/data-deletion.js';
import type { BlobStore } from '../../platform/blobs/index.js';
import type { Database } from '../../platform/db/index.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { recordAudit } from '../audit/index.js';
import {
  canAccessProject,
  listAccessibleProjects,
  resolveOrganization,
  resolveProject,
  type OrganizationRepository,
} from '../organizations/index.js';
import { deleteBlobs } from './attachment-cleanup.js';
import { deleteProjectRows } from './project-deletion.js';
import { deleteUserData } from './user-data-deletion.js';

export interface DataDeletionRoutesOptions {
  db: Kysely<Database>;
  organizations: OrganizationRepository;
  blobs: BlobStore;
  /** Drops cached DSN keys, so that the keys of a deleted project stop working at once. */
  onKeysChanged: () => void;
}

const userDataSchema = z
  .strictObject({
    userId: z.string().trim().min(1).max(200).optional(),
    email: z.email().max(320).optional(),
    projects: z.array(z.string().trim().min(1).max(100)).min(1).max(200).optional(),
  })
  .refine((body) => body.userId !== undefined || body.email !== undefined, {
    error: 'Send userId, email or both',
    path: ['userId'],
  });

/** First 16 hex digits of the SHA-256, so the audit log can match a request without the value. */
function hashPrefix(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}

/**
 * `DELETE /api/0/projects/{org}/{project}/` (Sentry's path, `project:admin`) and Picket's
 * `POST /api/0/organizations/{org}/user-data/delete/` (`event:admin`), which deletes the events
 * and related rows of one end user.
 */
export function registerDataDeletionRoutes(
  app: FastifyInstance,
  options: DataDeletionRoutesOptions,
): void {
  const { db, organizations, blobs } = options;

  app.delete<{ Params: { org: string; project: string } }>(
    '/api/0/projects/:org/:project/',
    async (request, reply) => {
      const { access, project } = await resolveProject(request, organizations, request.params, [
        'project:admin',
      ]);
      const deleted = await retryOnDeadlock(() =>
        db.transaction().execute(async (trx) => {
          const rows = await deleteProjectRows(trx, project.id);
          await recordAudit(trx, request, {
            organizationId: access.organization.id,
            event: 'project.remove',
            targetType: 'project',
            targetId: project.id,
            data: {
              slug: project.slug,
              name: project.name,
              events: rows.events,
              issues: rows.issues,
              attachments: rows.attachments,
            },
          });
          return rows;
        }),
      );
      options.onKeysChanged();
      const blobsDeleted = await deleteBlobs(blobs, deleted.blobKeys, request.log);
      request.log.info(
        { projectId: project.id, events: deleted.events, blobsDeleted },
        'project deleted',
      );
      return reply.status(204).send();
    },
  );

  app.post<{ Params: { org: string } }>(
    '/api/0/organizations/:org/user-data/delete/',
    async (request): Promise<UserDataDeleteResult> => {
      const access = await resolveOrganization(request, organizations, request.params.org, [
        'event:admin',
      ]);
      const parsed = userDataSchema.safeParse(request.body ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue?.path.join('.') || 'body';
        throw new ValidationError(`Invalid ${field}: ${issue?.message ?? 'invalid value'}`, {
          [field]: [issue?.message ?? 'invalid value'],
        });
      }
      const { userId, projects } = parsed.data;
      const email = parsed.data.email?.trim().toLowerCase();

      // With open membership off, members and admins reach only their teams' projects, here as
      // everywhere else, so a project outside them is reported as not found.
      const projectIds: number[] = [];
      if (projects === undefined) {
        const all = await listAccessibleProjects(organizations, access);
        projectIds.push(...all.map((project) => project.id));
      } else {
        for (const slugOrId of new Set(projects)) {
          const project = await organizations.findProject(access.organization.id, slugOrId);
          if (
            project === undefined ||
            !(await canAccessProject(organizations, access, project.id))
          ) {
            throw new NotFoundError(`Project ${JSON.stringify(slugOrId)} not found`);
          }
          projectIds.push(project.id);
        }
      }

      const result = await db.transaction().execute(async (trx) => {
        const deleted =
          projectIds.length === 0
            ? undefined
            : await deleteUserData(trx, projectIds, { userId, email });
        const counts: UserDataDeleteResult = {
          projects: projectIds.length,
          events: deleted?.events ?? 0,
          transactions: deleted?.transactions ?? 0,
          spans: deleted?.spans ?? 0,
          attachments: deleted?.attachments ?? 0,
          feedback: deleted?.feedback ?? 0,
          sessionUsers: deleted?.sessionUsers ?? 0,
          issuesUpdated: deleted?.issuesUpdated ?? 0,
          issuesDeleted: deleted?.issuesDeleted ?? 0,
        };
        await recordAudit(trx, request, {
          organizationId: access.organization.id,
          event: 'event.delete-user-data',
          targetType: 'user-data',
          data: {
            ...(userId === undefined ? {} : { userIdSha256Prefix: hashPrefix(userId) }),
            ...(email === undefined ? {} : { emailSha256Prefix: hashPrefix(email) }),
            projectIds,
            ...counts,
          },
        });
        return { counts, blobKeys: deleted?.blobKeys ?? [] };
      });
      await deleteBlobs(blobs, result.blobKeys, request.log);
      return result.counts;
    },
  );
}

const DEADLOCK_ATTEMPTS = 3;

/**
 * Runs a transaction again when PostgreSQL ends it as a deadlock victim (`40P01`) or a
 * serialization failure (`40001`). Deleting a project takes locks in another order than the
 * worker storing an event of that project, so the two can deadlock. The rerun finds the rows
 * the worker committed and deletes them too.
 */
async function retryOnDeadlock<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= DEADLOCK_ATTEMPTS || (code !== '40P01' && code !== '40001')) {
        throw error;
      }
    }
  }
}
