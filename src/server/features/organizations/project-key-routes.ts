import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';

import { NotFoundError } from '../../platform/errors.js';
import { requestOrigin } from '../../platform/http/pagination.js';
import {
  allowedDomainsSchema,
  parseBody,
  rateLimitSchema,
  toStoredRateLimit,
} from '../rate-limits/index.js';
import { resolveProject } from './access.js';
import type { OrganizationRepository, ProjectKeyChanges } from './organization-repository.js';
import { serializeProjectKey } from './serializers.js';

export interface ProjectKeyRoutesOptions {
  organizations: OrganizationRepository;
  publicUrl: string | undefined;
  /** Called after a key changed, so that ingest drops its cached copy at once. */
  onKeysChanged?: () => void;
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
 * deleting project:admin, as in Sentry.
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

    const key = await organizations.updateKey(project.id, request.params.keyId, changes);
    if (key === undefined) {
      throw new NotFoundError('Key not found');
    }
    options.onKeysChanged?.();
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
      if (!(await organizations.deleteKey(project.id, request.params.keyId))) {
        throw new NotFoundError('Key not found');
      }
      options.onKeysChanged?.();
      return reply.status(204).send();
    },
  );
}
