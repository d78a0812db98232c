import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import { hashRecoveryCode } from './recovery-codes.js';

export type AuthenticatorType = 'totp' | 'webauthn';

/** A second factor; `config` is the JSON text of the type's settings. */
export interface AuthenticatorRecord {
  id: number;
  userId: number;
  type: string;
  name: string;
  config: string;
  createdAt: number;
  lastUsedAt: number | null;
}

/** Queries for second factors and recovery codes. */
export class AuthenticatorRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  list(userId: number): Promise<AuthenticatorRecord[]> {
    return this.#db
      .selectFrom('userAuthenticators')
      .selectAll()
      .where('userId', '=', userId)
      .orderBy('id')
      .execute();
  }

  find(userId: number, id: number): Promise<AuthenticatorRecord | undefined> {
    return this.#db
      .selectFrom('userAuthenticators')
      .selectAll()
      .where('userId', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async create(input: {
    userId: number;
    type: AuthenticatorType;
    name: string;
    config: string;
  }): Promise<AuthenticatorRecord> {
    return this.#db
      .insertInto('userAuthenticators')
      .values({ ...input, createdAt: Date.now(), lastUsedAt: null })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /**
   * Replaces the config of an authenticator only if it still equals `expected`, so two requests
   * that use the same TOTP step or WebAuthn counter cannot both succeed. Returns whether it did.
   */
  async swapConfig(id: number, expected: string, config: string, usedAt: number) {
    const result = await this.#db
      .updateTable('userAuthenticators')
      .set({ config, lastUsedAt: usedAt })
      .where('id', '=', id)
      .where('config', '=', expected)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async delete(userId: number, id: number): Promise<void> {
    await this.#db
      .deleteFrom('userAuthenticators')
      .where('userId', '=', userId)
      .where('id', '=', id)
      .execute();
  }

  /** Replaces every recovery code of a user with the hashes of `codes`. */
  async replaceRecoveryCodes(userId: number, codes: readonly string[]): Promise<void> {
    const now = Date.now();
    await this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom('userRecoveryCodes').where('userId', '=', userId).execute();
      await trx
        .insertInto('userRecoveryCodes')
        .values(codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code), createdAt: now })))
        .execute();
    });
  }

  async deleteRecoveryCodes(userId: number): Promise<void> {
    await this.#db.deleteFrom('userRecoveryCodes').where('userId', '=', userId).execute();
  }

  /**
   * Marks an unused recovery code as used. The update is the check, so a code works once even
   * when two requests send it together. Returns whether the code was valid and unused.
   */
  async useRecoveryCode(userId: number, code: string, at: number): Promise<boolean> {
    const result = await this.#db
      .updateTable('userRecoveryCodes')
      .set({ usedAt: at })
      .where('userId', '=', userId)
      .where('codeHash', '=', hashRecoveryCode(code))
      .where('usedAt', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** Counts a user's recovery codes and those still unused, with when they were made. */
  async summarizeRecoveryCodes(userId: number) {
    const rows = await this.#db
      .selectFrom('userRecoveryCodes')
      .select(['usedAt', 'createdAt'])
      .where('userId', '=', userId)
      .execute();
    return {
      total: rows.length,
      remaining: rows.filter((row) => row.usedAt === null).length,
      createdAt: rows[0]?.createdAt ?? null,
    };
  }
}
