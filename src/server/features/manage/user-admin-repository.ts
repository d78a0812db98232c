import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';

export interface InstanceUserRecord {
  id: number;
  email: string;
  name: string;
  isSuperuser: number;
  isActive: number;
  createdAt: number;
  lastLoginAt: number | null;
}

/** Queries of the instance's user administration, for superusers. */
export class UserAdminRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  listUsers(): Promise<InstanceUserRecord[]> {
    return this.#db
      .selectFrom('users')
      .select(['id', 'email', 'name', 'isSuperuser', 'isActive', 'createdAt', 'lastLoginAt'])
      .orderBy('email')
      .execute();
  }

  findUser(userId: number): Promise<InstanceUserRecord | undefined> {
    return this.#db
      .selectFrom('users')
      .select(['id', 'email', 'name', 'isSuperuser', 'isActive', 'createdAt', 'lastLoginAt'])
      .where('id', '=', userId)
      .executeTakeFirst();
  }

  /**
   * Deactivates or reactivates a user. Deactivating also deletes its login sessions; its API
   * tokens stay stored but stop working, because request authentication checks `isActive`.
   */
  async setActive(userId: number, isActive: boolean): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ isActive: isActive ? 1 : 0 })
        .where('id', '=', userId)
        .execute();
      if (!isActive) {
        await trx.deleteFrom('userSessions').where('userId', '=', userId).execute();
      }
    });
  }

  async setSuperuser(userId: number, isSuperuser: boolean): Promise<void> {
    await this.#db
      .updateTable('users')
      .set({ isSuperuser: isSuperuser ? 1 : 0 })
      .where('id', '=', userId)
      .execute();
  }
}
