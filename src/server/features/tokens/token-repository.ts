import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';

/** An API token row without its hash. */
export interface StoredToken {
  id: number;
  userId: number;
  name: string;
  tokenLastCharacters: string;
  scopes: string;
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
  organizationId: number | null;
  kind: string;
}

export interface NewToken {
  userId: number;
  name: string;
  tokenHash: string;
  tokenLastCharacters: string;
  scopes: readonly string[];
  expiresAt: number | null;
  /** Set for organization tokens. */
  organizationId: number | null;
  kind: 'user' | 'org';
}

const COLUMNS = [
  'id',
  'userId',
  'name',
  'tokenLastCharacters',
  'scopes',
  'createdAt',
  'expiresAt',
  'lastUsedAt',
  'organizationId',
  'kind',
] as const;

/**
 * Queries for user tokens (owned by one user) and organization tokens (owned by one
 * organization). Every lookup is bounded by its owner, so an id from another user or
 * organization reads as missing.
 */
export class TokenRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async create(token: NewToken): Promise<StoredToken> {
    return this.#db
      .insertInto('apiTokens')
      .values({
        userId: token.userId,
        name: token.name,
        tokenHash: token.tokenHash,
        tokenLastCharacters: token.tokenLastCharacters,
        scopes: token.scopes.join(' '),
        createdAt: Date.now(),
        expiresAt: token.expiresAt,
        lastUsedAt: null,
        organizationId: token.organizationId,
        kind: token.kind,
      })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
  }

  listUserTokens(userId: number): Promise<StoredToken[]> {
    return this.#db
      .selectFrom('apiTokens')
      .select(COLUMNS)
      .where('userId', '=', userId)
      .where('kind', '=', 'user')
      .orderBy('id')
      .execute();
  }

  findUserToken(userId: number, id: number): Promise<StoredToken | undefined> {
    return this.#db
      .selectFrom('apiTokens')
      .select(COLUMNS)
      .where('id', '=', id)
      .where('userId', '=', userId)
      .where('kind', '=', 'user')
      .executeTakeFirst();
  }

  /** Deletes a user token; returns whether the user had it. */
  async deleteUserToken(userId: number, id: number): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('apiTokens')
      .where('id', '=', id)
      .where('userId', '=', userId)
      .where('kind', '=', 'user')
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  listOrgTokens(organizationId: number): Promise<StoredToken[]> {
    return this.#db
      .selectFrom('apiTokens')
      .select(COLUMNS)
      .where('organizationId', '=', organizationId)
      .where('kind', '=', 'org')
      .orderBy('id')
      .execute();
  }

  findOrgToken(organizationId: number, id: number): Promise<StoredToken | undefined> {
    return this.#db
      .selectFrom('apiTokens')
      .select(COLUMNS)
      .where('id', '=', id)
      .where('organizationId', '=', organizationId)
      .where('kind', '=', 'org')
      .executeTakeFirst();
  }

  async renameOrgToken(
    organizationId: number,
    id: number,
    name: string,
  ): Promise<StoredToken | undefined> {
    await this.#db
      .updateTable('apiTokens')
      .set({ name })
      .where('id', '=', id)
      .where('organizationId', '=', organizationId)
      .where('kind', '=', 'org')
      .execute();
    return this.findOrgToken(organizationId, id);
  }

  /** Deletes an organization token; returns whether the organization had it. */
  async deleteOrgToken(organizationId: number, id: number): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('apiTokens')
      .where('id', '=', id)
      .where('organizationId', '=', organizationId)
      .where('kind', '=', 'org')
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
