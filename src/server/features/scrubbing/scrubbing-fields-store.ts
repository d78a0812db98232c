import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import { ValidationError } from '../../platform/errors.js';
import type { ProjectFieldsStore } from '../organizations/index.js';
import { ScrubbingSettingsRepository } from './scrubbing-repository.js';
import { parseSettingsUpdate, SETTINGS_KEYS } from './scrubbing-settings.js';
import { updateScrubbingSettings } from './scrubbing-routes.js';

async function findOrganizationId(db: Kysely<Database>, projectId: number): Promise<number> {
  const row = await db
    .selectFrom('projects')
    .select('organizationId')
    .where('id', '=', projectId)
    .executeTakeFirstOrThrow();
  return row.organizationId;
}

/**
 * Serves a project's data-scrubbing settings as Sentry's project fields (`dataScrubber`,
 * `dataScrubberDefaults`, `scrubIPAddresses`, `sensitiveFields`, `safeFields`,
 * `relayPiiConfig`) in `GET`/`PUT /api/0/projects/{org}/{project}/`.
 */
export function createScrubbingFieldsStore(db: Kysely<Database>): ProjectFieldsStore {
  const repository = new ScrubbingSettingsRepository(db);
  return {
    keys: SETTINGS_KEYS,

    async read(projectId) {
      const settings = await repository.read(await findOrganizationId(db, projectId), projectId);
      return { ...settings };
    },

    check(fields) {
      try {
        parseSettingsUpdate(fields);
        return {};
      } catch (error) {
        if (error instanceof ValidationError) {
          return error.fields;
        }
        throw error;
      }
    },

    async write(projectId, fields, request?: FastifyRequest) {
      const organizationId = await findOrganizationId(db, projectId);
      await updateScrubbingSettings(
        db,
        request,
        { organizationId, projectId },
        parseSettingsUpdate(fields),
      );
    },
  };
}

/** Serves the fields of several stores as one; each field goes to the store that lists it. */
export function combineProjectFieldsStores(...stores: ProjectFieldsStore[]): ProjectFieldsStore {
  const pick = (store: ProjectFieldsStore, fields: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(fields).filter(([key]) => store.keys.includes(key)));
  return {
    keys: stores.flatMap((store) => store.keys),

    async read(projectId) {
      const parts = await Promise.all(stores.map((store) => store.read(projectId)));
      return Object.assign({}, ...parts) as Record<string, unknown>;
    },

    check(fields) {
      return Object.assign(
        {},
        ...stores.map((store) => store.check(pick(store, fields))),
      ) as Record<string, string[]>;
    },

    async write(projectId, fields, request?: FastifyRequest) {
      for (const store of stores) {
        const own = pick(store, fields);
        if (Object.keys(own).length > 0) {
          await store.write(projectId, own, request);
        }
      }
    },
  };
}
