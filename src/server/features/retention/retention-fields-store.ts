import type { Kysely } from 'kysely';
import { z } from 'zod';

import type { Database } from '../../platform/db/index.js';
import type { ProjectFieldsStore } from '../organizations/index.js';
import { readMaxEvents } from './storage-figures.js';

/** The largest cap accepted, far above what one project stores. */
const MAX_CAP = 1_000_000_000_000;

const fieldsSchema = z.strictObject({
  picketMaxEvents: z.number().int().min(1).max(MAX_CAP).nullable().optional(),
});

/**
 * Serves the project's event cap as the Picket field `picketMaxEvents` (an integer of at least
 * 1, or null for no cap) in `GET`/`PUT /api/0/projects/{org}/{project}/`.
 */
export function createRetentionFieldsStore(db: Kysely<Database>): ProjectFieldsStore {
  return {
    keys: ['picketMaxEvents'],

    async read(projectId) {
      return { picketMaxEvents: await readMaxEvents(db, projectId) };
    },

    check(fields): Record<string, string[]> {
      const parsed = fieldsSchema.safeParse(fields);
      if (parsed.success) {
        return {};
      }
      return {
        picketMaxEvents: [`Enter a whole number from 1 to ${MAX_CAP}, or null for no cap`],
      };
    },

    async write(projectId, fields) {
      const { picketMaxEvents } = fieldsSchema.parse(fields);
      if (picketMaxEvents === undefined) {
        return;
      }
      await db
        .updateTable('projects')
        .set({ maxEvents: picketMaxEvents })
        .where('id', '=', projectId)
        .execute();
    },
  };
}
