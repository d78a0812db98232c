import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';

/** Whether the user has at least one second factor (a TOTP app or a security key). */
export async function userHasTwoFactor(db: Kysely<Database>, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('userAuthenticators')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('userId', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.count) > 0;
}
