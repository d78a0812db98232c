import {
  AccountRepository,
  createApiTokenValue,
  hashPassword,
  hashSecret,
} from '../../src/server/features/accounts/index.js';
import { connectDb } from '../../src/server/platform/db/index.js';
import type { PicketInstance } from './picket.js';

/**
 * Creates a user (when `password` is given) and an API token for it by writing to the running
 * server's database, as `picket createuser` and `picket token create` do. Starting the CLI
 * twice cost each test setup one to three seconds; the CLI itself has tests of its own.
 */
export async function createUserAndToken(
  picket: PicketInstance,
  options: { email: string; password?: string; scopes: readonly string[]; superuser?: boolean },
): Promise<string> {
  const db = connectDb({
    databaseUrl: picket.env.DATABASE_URL,
    dataDir: picket.dataDir,
    poolSize: 1,
  });
  try {
    const accounts = new AccountRepository(db.kysely);
    const user =
      options.password === undefined
        ? await accounts.findUserByEmail(options.email)
        : await accounts.createUser({
            email: options.email,
            name: options.email,
            passwordHash: await hashPassword(options.password),
            isSuperuser: options.superuser === true,
          });
    if (user === undefined) {
      throw new Error(`no user ${options.email}`);
    }
    const token = createApiTokenValue();
    await accounts.createToken({
      userId: user.id,
      name: 'test',
      tokenHash: hashSecret(token),
      tokenLastCharacters: token.slice(-4),
      scopes: options.scopes.join(' '),
      expiresAt: null,
    });
    return token;
  } finally {
    await db.close();
  }
}
