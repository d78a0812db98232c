import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';

import type { CreatedOrgAuthToken } from '../../../shared/api/tokens.js';
import type { Database } from '../../platform/db/index.js';
import { NotFoundError } from '../../platform/errors.js';
import { requestOrigin } from '../../platform/http/pagination.js';
import { hashSecret } from '../accounts/secrets.js';
import { recordAudit } from '../audit/index.js';
import { resolveOrganization } from '../organizations/access.js';
import type { OrganizationRepository } from '../organizations/organization-repository.js';
import { parseBody } from '../rate-limits/index.js';
import { tokenIdSchema } from './api-token-routes.js';
import { serializeOrgAuthToken } from './serializers.js';
import { requireSession } from './session-only.js';
import { TokenRepository, type StoredToken } from './token-repository.js';
import { createOrgTokenValue } from './token-values.js';

export interface OrgTokenRoutesOptions {
  db: Kysely<Database>;
  organizations: OrganizationRepository;
  /** `PICKET_URL`; when unset, the token embeds the origin of the request that created it. */
  publicUrl: string | undefined;
}

/** The only scope of an organization token, as in Sentry. */
const ORG_TOKEN_SCOPE = 'org:ci';

const nameSchema = z.object({ name: z.string().trim().min(1).max(255) });

type OrgParams = { org: string };
type TokenParams = { org: string; tokenId: string };

/**
 * Registers Sentry's organization token routes under `/api/0/organizations/{org}/org-auth-tokens/`:
 * list and create, then `GET`, `PUT` (rename) and `DELETE` of one token. Listing and reading need
 * org:read, as in Sentry. Creating, renaming and deleting need org:write and a login session:
 * Sentry lets any member (org:read) create one, but an organization token acts in every project
 * of the organization, so Picket requires the scope that changes organization settings.
 */
export function registerOrgTokenRoutes(app: FastifyInstance, options: OrgTokenRoutesOptions) {
  const { organizations } = options;
  const tokens = new TokenRepository(options.db);

  const loadToken = async (request: FastifyRequest<{ Params: TokenParams }>, write: boolean) => {
    if (write) {
      requireSession(request);
    }
    const access = await resolveOrganization(
      request,
      organizations,
      request.params.org,
      write ? 'org:write' : 'org:read',
    );
    const id = tokenIdSchema.safeParse(request.params.tokenId);
    const token = id.success
      ? await tokens.findOrgToken(access.organization.id, id.data)
      : undefined;
    if (token === undefined) {
      throw new NotFoundError('Token not found');
    }
    return { access, token };
  };

  app.get<{ Params: OrgParams }>(
    '/api/0/organizations/:org/org-auth-tokens/',
    async (request, reply) => {
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        'org:read',
      );
      const list = await tokens.listOrgTokens(access.organization.id);
      return reply.header('Cache-Control', 'no-store').send(list.map(serializeOrgAuthToken));
    },
  );

  app.post<{ Params: OrgParams }>(
    '/api/0/organizations/:org/org-auth-tokens/',
    async (request, reply) => {
      const auth = requireSession(request);
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        'org:write',
      );
      const { name } = parseBody(nameSchema, request.body);
      const value = createOrgTokenValue({
        orgSlug: access.organization.slug,
        url: (options.publicUrl ?? requestOrigin(request)).replace(/\/+$/, ''),
        now: Date.now(),
      });
      const token = await tokens.create({
        userId: auth.user.id,
        name,
        tokenHash: hashSecret(value),
        tokenLastCharacters: value.slice(-4),
        scopes: [ORG_TOKEN_SCOPE],
        expiresAt: null,
        organizationId: access.organization.id,
        kind: 'org',
      });
      await recordAudit(options.db, request, {
        organizationId: access.organization.id,
        event: 'org-auth-token.create',
        targetType: 'org_auth_token',
        targetId: token.id,
        data: auditData(token),
      });
      const body: CreatedOrgAuthToken = { ...serializeOrgAuthToken(token), token: value };
      return reply.status(201).header('Cache-Control', 'no-store').send(body);
    },
  );

  app.get<{ Params: TokenParams }>(
    '/api/0/organizations/:org/org-auth-tokens/:tokenId/',
    async (request, reply) => {
      const { token } = await loadToken(request, false);
      return reply.header('Cache-Control', 'no-store').send(serializeOrgAuthToken(token));
    },
  );

  app.put<{ Params: TokenParams }>(
    '/api/0/organizations/:org/org-auth-tokens/:tokenId/',
    async (request) => {
      const { access, token } = await loadToken(request, true);
      const { name } = parseBody(nameSchema, request.body);
      const renamed = await tokens.renameOrgToken(access.organization.id, token.id, name);
      if (renamed === undefined) {
        throw new NotFoundError('Token not found');
      }
      return serializeOrgAuthToken(renamed);
    },
  );

  app.delete<{ Params: TokenParams }>(
    '/api/0/organizations/:org/org-auth-tokens/:tokenId/',
    async (request, reply) => {
      const { access, token } = await loadToken(request, true);
      if (!(await tokens.deleteOrgToken(access.organization.id, token.id))) {
        throw new NotFoundError('Token not found');
      }
      await recordAudit(options.db, request, {
        organizationId: access.organization.id,
        event: 'org-auth-token.remove',
        targetType: 'org_auth_token',
        targetId: token.id,
        data: auditData(token),
      });
      return reply.status(204).send();
    },
  );
}

function auditData(token: StoredToken): Record<string, unknown> {
  return {
    name: token.name,
    scopes: token.scopes.split(' '),
    tokenLastCharacters: token.tokenLastCharacters,
  };
}
