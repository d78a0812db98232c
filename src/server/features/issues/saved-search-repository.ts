import type { Kysely, Selectable } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import type { SavedSearchesTable } from '../../platform/db/tables/issue-workflow.js';

export type SavedSearchRecord = Selectable<SavedSearchesTable>;

export type SavedSearchVisibility = 'owner' | 'organization';

export interface SavedSearchInput {
  name: string;
  query: string;
  sort: string;
  visibility: SavedSearchVisibility;
}

/** Saved issue searches: a user's own (`ownerUserId` set) and the organization's shared ones. */
export class SavedSearchRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Lists the user's own searches and the organization's, oldest first. */
  async listVisible(organizationId: number, userId: number): Promise<SavedSearchRecord[]> {
    return this.#db
      .selectFrom('savedSearches')
      .selectAll()
      .where('organizationId', '=', organizationId)
      .where((eb) => eb.or([eb('ownerUserId', '=', userId), eb('ownerUserId', 'is', null)]))
      .orderBy('id')
      .execute();
  }

  /** Finds a search the user may see: their own or the organization's. */
  async findVisible(
    organizationId: number,
    userId: number,
    id: number,
  ): Promise<SavedSearchRecord | undefined> {
    return this.#db
      .selectFrom('savedSearches')
      .selectAll()
      .where('organizationId', '=', organizationId)
      .where('id', '=', id)
      .where((eb) => eb.or([eb('ownerUserId', '=', userId), eb('ownerUserId', 'is', null)]))
      .executeTakeFirst();
  }

  async create(
    organizationId: number,
    userId: number,
    input: SavedSearchInput,
  ): Promise<SavedSearchRecord> {
    return this.#db
      .insertInto('savedSearches')
      .values({
        organizationId,
        ownerUserId: input.visibility === 'owner' ? userId : null,
        name: input.name,
        query: input.query,
        sort: input.sort,
        visibility: input.visibility,
        createdAt: Date.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Updates a search; a change of visibility moves it between the user and the organization. */
  async update(
    record: SavedSearchRecord,
    userId: number,
    changes: Partial<SavedSearchInput>,
  ): Promise<SavedSearchRecord> {
    const visibility = changes.visibility ?? (record.visibility as SavedSearchVisibility);

    return this.#db
      .updateTable('savedSearches')
      .set({
        name: changes.name ?? record.name,
        query: changes.query ?? record.query,
        sort: changes.sort ?? record.sort,
        visibility,
        ownerUserId: visibility === 'owner' ? (record.ownerUserId ?? userId) : null,
      })
      .where('id', '=', record.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async delete(id: number): Promise<void> {
    await this.#db.deleteFrom('savedSearches').where('id', '=', id).execute();
  }
}
