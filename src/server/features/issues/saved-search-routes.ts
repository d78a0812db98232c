import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';

import type { Database } from '../../platform/db/index.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import {
  resolveOrganization,
  type OrganizationAccess,
  type OrganizationRepository,
} from '../organizations/index.js';
import { parseBody } from '../rate-limits/index.js';
import { parseIssueQuery } from './issue-query.js';
import { SavedSearchRepository } from './saved-search-repository.js';
import { serializeSavedSearch } from './saved-search-serializer.js';

export interface SavedSearchRoutesOptions {
  db: Kysely<Database>;
  organizations: OrganizationRepository;
}

const MAX_QUERY_LENGTH = 2_000;

const fields = {
  name: z.string().trim().min(1, 'Enter a name').max(128, 'Use at most 128 characters'),
  // A search that the issue list would reject is not saved either.
  query: z
    .string()
    .max(MAX_QUERY_LENGTH, `Use at most ${MAX_QUERY_LENGTH} characters`)
    .superRefine((query, context) => {
      try {
        parseIssueQuery(query);
      } catch (error) {
        if (!(error instanceof ValidationError)) {
          throw error;
        }
        context.addIssue({ code: 'custom', message: error.message });
      }
    }),
  sort: z.enum(['date', 'new', 'freq', 'user'], { error: 'Use date, new, freq or user' }),
  visibility: z.enum(['owner', 'organization'], { error: 'Use owner or organization' }),
};

const createSchema = z.object({
  type: z.literal(0).optional(),
  name: fields.name,
  query: fields.query,
  sort: fields.sort.default('date'),
  visibility: fields.visibility.default('owner'),
});

const updateSchema = z.object({
  type: z.literal(0).optional(),
  name: fields.name.optional(),
  query: fields.query.optional(),
  sort: fields.sort.optional(),
  visibility: fields.visibility.optional(),
});

type OrgParams = { org: string };
type SearchParams = { org: string; searchId: string };

/**
 * Saved issue searches under Sentry's paths. Every member lists their own searches and the
 * organization's. Creating, changing or deleting an organization search needs `org:write`, and
 * another user's own search is reported as not found.
 */
export function registerSavedSearchRoutes(
  app: FastifyInstance,
  options: SavedSearchRoutesOptions,
): void {
  const { organizations } = options;
  const searches = new SavedSearchRepository(options.db);

  const requireOrgWrite = (request: FastifyRequest, access: OrganizationAccess) =>
    resolveOrganization(request, organizations, access.organization.slug, 'org:write');

  async function findSearch(request: FastifyRequest<{ Params: SearchParams }>) {
    const access = await resolveOrganization(
      request,
      organizations,
      request.params.org,
      'event:read',
    );
    const { searchId } = request.params;
    const record = /^\d{1,15}$/.test(searchId)
      ? await searches.findVisible(access.organization.id, access.userId, Number(searchId))
      : undefined;
    if (record === undefined) {
      throw new NotFoundError(`Saved search ${JSON.stringify(searchId)} not found`);
    }
    if (record.ownerUserId === null) {
      await requireOrgWrite(request, access);
    }
    return { access, record };
  }

  app.get<{ Params: OrgParams }>('/api/0/organizations/:org/searches/', async (request) => {
    const access = await resolveOrganization(
      request,
      organizations,
      request.params.org,
      'event:read',
    );
    const records = await searches.listVisible(access.organization.id, access.userId);
    return records.map(serializeSavedSearch);
  });

  app.post<{ Params: OrgParams }>('/api/0/organizations/:org/searches/', async (request, reply) => {
    const access = await resolveOrganization(
      request,
      organizations,
      request.params.org,
      'event:read',
    );
    const input = parseBody(createSchema, request.body);
    if (input.visibility === 'organization') {
      await requireOrgWrite(request, access);
    }

    const record = await searches.create(access.organization.id, access.userId, input);
    return reply.status(201).send(serializeSavedSearch(record));
  });

  app.put<{ Params: SearchParams }>(
    '/api/0/organizations/:org/searches/:searchId/',
    async (request) => {
      const { access, record } = await findSearch(request);
      const changes = parseBody(updateSchema, request.body);
      if (changes.visibility === 'organization') {
        await requireOrgWrite(request, access);
      }

      const updated = await searches.update(record, access.userId, changes);
      return serializeSavedSearch(updated);
    },
  );

  app.delete<{ Params: SearchParams }>(
    '/api/0/organizations/:org/searches/:searchId/',
    async (request, reply) => {
      const { record } = await findSearch(request);
      await searches.delete(record.id);
      return reply.status(204).send();
    },
  );
}
