import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';

export interface UserRecord {
  id: number;
  email: string;
  name: string;
  passwordHash: string;
  isSuperuser: number;
  createdAt: number;
}

export interface TokenRecord {
  id: number;
  userId: number;
  scopes: string;
  expiresAt: number | null;
}

/** Queries for users, login sessions and API tokens. */
export class AccountRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  findUserByEmail(email: string): Promise<UserRecord | undefined> {
    return this.#db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst();
  }

  findUserById(id: number): Promise<UserRecord | undefined> {
    return this.#db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async createUser(input: {
    email: string;
    name: string;
    passwordHash: string;
    isSuperuser: boolean;
  }): Promise<UserRecord> {
    return this.#db
      .insertInto('users')
      .values({
        email: input.email.toLowerCase(),
        name: input.name,
        passwordHash: input.passwordHash,
        isSuperuser: input.isSuperuser ? 1 : 0,
        createdAt: Date.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async updatePassword(userId: number, passwordHash: string): Promise<void> {
    await this.#db.updateTable('users').set({ passwordHash }).where('id', '=', userId).execute();
    await this.#db.deleteFrom('userSessions').where('userId', '=', userId).execute();
  }

  async createSession(input: {
    idHash: string;
    userId: number;
    csrfToken: string;
    expiresAt: number;
  }): Promise<void> {
    const now = Date.now();
    await this.#db
      .insertInto('userSessions')
      .values({ ...input, createdAt: now, lastSeenAt: now })
      .execute();
  }

  findSession(idHash: string) {
    return this.#db
      .selectFrom('userSessions')
      .selectAll()
      .where('idHash', '=', idHash)
      .executeTakeFirst();
  }

  async touchSession(idHash: string, lastSeenAt: number): Promise<void> {
    await this.#db
      .updateTable('userSessions')
      .set({ lastSeenAt })
      .where('idHash', '=', idHash)
      .execute();
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.#db.deleteFrom('userSessions').where('idHash', '=', idHash).execute();
  }

  async createToken(input: {
    userId: number;
    name: string;
    tokenHash: string;
    tokenLastCharacters: string;
    scopes: string;
    expiresAt: number | null;
  }): Promise<void> {
    await this.#db
      .insertInto('apiTokens')
      .values({ ...input, createdAt: Date.now(), lastUsedAt: null })
      .execute();
  }

  findToken(tokenHash: string): Promise<TokenRecord | undefined> {
    return this.#db
      .selectFrom('apiTokens')
      .select(['id', 'userId', 'scopes', 'expiresAt'])
      .where('tokenHash', '=', tokenHash)
      .executeTakeFirst();
  }
}
