import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';

import type { Database } from '../../platform/db/index.js';
import { NotFoundError } from '../../platform/errors.js';
import { requestOrigin } from '../../platform/http/pagination.js';
import {
  allowedDomainsSchema,
  parseBody,
  rateLimitSchema,
  toStoredRateLimit,
} from '../rate-limits/index.js';
import { recordAudit } from '../audit/index.js';
import { resolveProject } from './access.js';
import type {
  OrganizationRepository,
  ProjectKeyChanges,
  ProjectKeyRecord,
} from './organization-repository.js';
import { serializeProjectKey } from './serializers.js';

export interface ProjectKeyRoutesOptions {
  organizations: OrganizationRepository;
  publicUrl: string | undefined;
  /** Called after a key changed, so that ingest drops its cached copy at once. */
  onKeysChanged?: () => void;
  /** Database of the audit log, which gets one row per key created, changed, rotated or deleted. */
  db: Kysely<Database>;
}

type KeyParams = { org: string; project: string; keyId: string };

// Unknown fields are ignored, as Sentry's serializers do (for example `browserSdkVersion`).
const updateSchema = z.object({
  name: z.string().trim().min(1).max(64).optional(),
  isActive: z.boolean().optional(),
  rateLimit: rateLimitSchema.optional(),
  allowedDomains: allowedDomainsSchema.optional(),
});

const createSchema = z.object({
  name: z.string().trim().min(1).max(64).optional(),
  rateLimit: rateLimitSchema.optional(),
});

/**
 * Registers the routes of one DSN key of a project, in Sentry's paths: `GET`, `PUT` and `DELETE
 * /api/0/projects/{org}/{project}/keys/{key_id}/` (the key id is its public key), and `POST
 * …/keys/` to create another key. Reading needs project:read, changes project:write, and
 * deleting project:admin, as in Sentry. `POST …/keys/{key_id}/rotate/` is Picket's own: Sentry
 * has no rotation call, so it creates a key with the same settings and disables the old one.
 */
export function registerProjectKeyRoutes(app: FastifyInstance, options: ProjectKeyRoutesOptions) {
  const { organizations } = options;
  const baseUrl = (request: FastifyRequest) => options.publicUrl ?? requestOrigin(request);

  app.post<{ Params: { org: string; project: string } }>(
    '/api/0/projects/:org/:project/keys/',
    async (request, reply) => {
      const { project } = await resolveProject(
        request,
        organizations,
        request.params,
        'project:write',
      );
      const input = parseBody(createSchema, request.body);
      const key = await organizations.createKey(project.id, {
        label: input.name ?? 'Default',
        rateLimit: input.rateLimit === undefined ? null : toStoredRateLimit(input.rateLimit),
      });
      await recordAudit(options.db, request, {
        organizationId: project.organizationId,
        event: 'projectkey.create',
        targetType: 'project_key',
        targetId: key.publicKey,
        data: { project: project.slug, ...keyAuditData(key) },
      });
      return reply.status(201).send(serializeProjectKey(key, baseUrl(request)));
    },
  );

  app.get<{ Params: KeyParams }>('/api/0/projects/:org/:project/keys/:keyId/', async (request) => {
    const { project } = await resolveProject(
      request,
      organizations,
      request.params,
      'project:read',
    );
    const key = await organizations.findKey(project.id, request.params.keyId);
    if (key === undefined) {
      throw new NotFoundError('Key not found');
    }
    return serializeProjectKey(key, baseUrl(request));
  });

  app.put<{ Params: KeyParams }>('/api/0/projects/:org/:project/keys/:keyId/', async (request) => {
    const { project } = await resolveProject(
      request,
      organizations,
      request.params,
      'project:write',
    );
    const input = parseBody(updateSchema, request.body);
    const changes: ProjectKeyChanges = {
      label: input.name,
      isActive: input.isActive,
      rateLimit: input.rateLimit === undefined ? undefined : toStoredRateLimit(input.rateLimit),
      allowedDomains: input.allowedDomains,
    };

    const before = await organizations.findKey(project.id, request.params.keyId);
    const key =
      before === undefined
        ? undefined
        : await organizations.updateKey(project.id, request.params.keyId, changes);
    if (before === undefined || key === undefined) {
      throw new NotFoundError('Key not found');
    }
    options.onKeysChanged?.();
    await recordAudit(options.db, request, {
      organizationId: project.organizationId,
      event: 'projectkey.edit',
      targetType: 'project_key',
      targetId: key.publicKey,
      data: { project: project.slug, before: keyAuditData(before), after: keyAuditData(key) },
    });
    return serializeProjectKey(key, baseUrl(request));
  });

  app.delete<{ Params: KeyParams }>(
    '/api/0/projects/:org/:project/keys/:keyId/',
    async (request, reply) => {
      const { project } = await resolveProject(
        request,
        organizations,
        request.params,
        'project:admin',
      );
      const key = await organizations.findKey(project.id, request.params.keyId);
      if (key === undefined || !(await organizations.deleteKey(project.id, key.publicKey))) {
        throw new NotFoundError('Key not found');
      }
      options.onKeysChanged?.();
      await recordAudit(options.db, request, {
        organizationId: project.organizationId,
        event: 'projectkey.remove',
        targetType: 'project_key',
        targetId: key.publicKey,
        data: { project: project.slug, ...keyAuditData(key) },
      });
      return reply.status(204).send();
    },
  );

  app.post<{ Params: KeyParams }>(
    '/api/0/projects/:org/:project/keys/:keyId/rotate/',
    async (request, reply) => {
      const { project } = await resolveProject(
        request,
        organizations,
        request.params,
        'project:write',
      );
      const rotated = await organizations.rotateKey(project.id, request.params.keyId);
      if (rotated === undefined) {
        throw new NotFoundError('Key not found');
      }
      options.onKeysChanged?.();
      await recordAudit(options.db, request, {
        organizationId: project.organizationId,
        event: 'projectkey.change',
        targetType: 'project_key',
        targetId: rotated.previous.publicKey,
        data: {
          project: project.slug,
          action: 'rotate',
          previous: keyAuditData(rotated.previous),
          created: keyAuditData(rotated.created),
        },
      });
      return reply.status(201).send(serializeProjectKey(rotated.created, baseUrl(request)));
    },
  );
}

/** Returns the settings of a key for the audit log, without its secret key. */
function keyAuditData(key: ProjectKeyRecord): Record<string, unknown> {
  return {
    publicKey: key.publicKey,
    name: key.label,
    isActive: key.isActive === 1,
    rateLimit:
      key.rateLimitCount === null
        ? null
        : { count: key.rateLimitCount, window: key.rateLimitWindow },
    allowedDomains: JSON.parse(key.allowedDomains) as unknown,
  };
}
