import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import { userHasTwoFactor } from './two-factor.js';

export interface UserRecord {
  id: number;
  email: string;
  name: string;
  passwordHash: string;
  isSuperuser: number;
  createdAt: number;
  isActive: number;
  passwordChangedAt: number | null;
  lastLoginAt: number | null;
}

export interface TokenRecord {
  id: number;
  userId: number;
  scopes: string;
  expiresAt: number | null;
  lastUsedAt: number | null;
  /** Set for organization tokens. */
  organizationId: number | null;
  kind: string;
}

/** A login session row; `idHash` is the SHA-256 of the cookie value. */
export interface SessionRecord {
  idHash: string;
  userId: number;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
  lastSeenAt: number;
  /** `password` while the second step of a login is due, then `complete`. */
  authLevel: string;
  lastAuthAt: number | null;
  ipAddress: string | null;
  userAgent: string | null;
}

export type NewSession = Omit<SessionRecord, 'createdAt' | 'lastSeenAt'> & { createdAt?: number };

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

  hasTwoFactor(userId: number): Promise<boolean> {
    return userHasTwoFactor(this.#db, userId);
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

  /** Stores a new password hash and ends every session of the user except `keepIdHash`. */
  async updatePassword(userId: number, passwordHash: string, keepIdHash?: string): Promise<void> {
    await this.#db
      .updateTable('users')
      .set({ passwordHash, passwordChangedAt: Date.now() })
      .where('id', '=', userId)
      .execute();
    await this.deleteUserSessions(userId, keepIdHash);
  }

  async recordLogin(userId: number, at: number): Promise<void> {
    await this.#db.updateTable('users').set({ lastLoginAt: at }).where('id', '=', userId).execute();
  }

  async createSession(input: NewSession): Promise<void> {
    const now = Date.now();
    await this.#db
      .insertInto('userSessions')
      .values({ createdAt: now, lastSeenAt: now, ...input })
      .execute();
  }

  findSession(idHash: string): Promise<SessionRecord | undefined> {
    return this.#db
      .selectFrom('userSessions')
      .selectAll()
      .where('idHash', '=', idHash)
      .executeTakeFirst();
  }

  /** Lists the sessions of a user, most recently used first. */
  listSessions(userId: number): Promise<SessionRecord[]> {
    return this.#db
      .selectFrom('userSessions')
      .selectAll()
      .where('userId', '=', userId)
      .orderBy('lastSeenAt', 'desc')
      .execute();
  }

  async touchSession(idHash: string, lastSeenAt: number): Promise<void> {
    await this.#db
      .updateTable('userSessions')
      .set({ lastSeenAt })
      .where('idHash', '=', idHash)
      .execute();
  }

  /** Records that the password or a second factor was entered in a session just now. */
  async markSessionAuthenticated(idHash: string, at: number): Promise<void> {
    await this.#db
      .updateTable('userSessions')
      .set({ lastAuthAt: at })
      .where('idHash', '=', idHash)
      .execute();
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.#db.deleteFrom('userSessions').where('idHash', '=', idHash).execute();
  }

  /** Ends every session of a user, or every one except `keepIdHash`. */
  async deleteUserSessions(userId: number, keepIdHash?: string): Promise<void> {
    let query = this.#db.deleteFrom('userSessions').where('userId', '=', userId);
    if (keepIdHash !== undefined) {
      query = query.where('idHash', '!=', keepIdHash);
    }
    await query.execute();
  }

  async createToken(input: {
    userId: number;
    name: string;
    tokenHash: string;
    tokenLastCharacters: string;
    scopes: string;
    expiresAt: number | null;
    organizationId?: number | null;
    kind?: 'user' | 'org';
  }): Promise<void> {
    await this.#db
      .insertInto('apiTokens')
      .values({
        ...input,
        organizationId: input.organizationId ?? null,
        kind: input.kind ?? 'user',
        createdAt: Date.now(),
        lastUsedAt: null,
      })
      .execute();
  }

  findToken(tokenHash: string): Promise<TokenRecord | undefined> {
    return this.#db
      .selectFrom('apiTokens')
      .select(['id', 'userId', 'scopes', 'expiresAt', 'lastUsedAt', 'organizationId', 'kind'])
      .where('tokenHash', '=', tokenHash)
      .executeTakeFirst();
  }

  /** Records when a token was last used; callers limit how often they call it. */
  async touchToken(id: number, lastUsedAt: number): Promise<void> {
    await this.#db.updateTable('apiTokens').set({ lastUsedAt }).where('id', '=', id).execute();
  }
}
