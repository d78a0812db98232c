import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';

interface CachedKey {
  projectId: number | undefined;
  isActive: boolean;
  loadedAt: number;
}

// A disabled or deleted key stops working within this time.
const KEY_TTL_MS = 5_000;
const MAX_CACHED_KEYS = 10_000;

/** Looks up DSN public keys, keeping each result (found or not) for a few seconds. */
export class ProjectKeyCache {
  readonly #db: Kysely<Database>;
  readonly #keys = new Map<string, CachedKey>();

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Returns the project of an active key, or undefined for an unknown or disabled key. */
  async findProjectId(publicKey: string): Promise<number | undefined> {
    const now = Date.now();
    const cached = this.#keys.get(publicKey);

    if (cached !== undefined && now - cached.loadedAt < KEY_TTL_MS) {
      return cached.isActive ? cached.projectId : undefined;
    }

    const row = await this.#db
      .selectFrom('projectKeys')
      .select(['projectId', 'isActive'])
      .where('publicKey', '=', publicKey)
      .executeTakeFirst();

    if (this.#keys.size >= MAX_CACHED_KEYS) {
      this.#keys.clear();
    }
    this.#keys.set(publicKey, {
      projectId: row?.projectId,
      isActive: row?.isActive === 1,
      loadedAt: now,
    });

    return row?.isActive === 1 ? row.projectId : undefined;
  }
}
