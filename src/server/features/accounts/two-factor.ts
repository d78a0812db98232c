import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';

/**
 * Tells whether a user has at least one second factor (a TOTP app or a security key). Recovery
 * codes alone do not count: they exist only next to a factor.
 *
 * Organizations that require two-factor authentication check this for each member, and the
 * organization settings route checks it before the caller may turn the requirement on.
 */
export async function userHasTwoFactor(db: Kysely<Database>, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('userAuthenticators')
    .select('id')
    .where('userId', '=', userId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
