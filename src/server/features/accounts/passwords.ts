import type * as Argon2 from '@node-rs/argon2';

// The argon2 addon is loaded with the first password to hash or check: most processes (the
// worker thread, an idle server) never need it.
let argon2: Promise<typeof Argon2> | undefined;

function loadArgon2(): Promise<typeof Argon2> {
  argon2 ??= import('@node-rs/argon2');
  return argon2;
}

// OWASP's argon2id baseline: 19 MiB of memory, 2 iterations, 1 lane.
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

// Verified against when the account does not exist, so that an unknown e-mail costs the same
// time as a wrong password.
let dummyHash: Promise<string> | undefined;

export const MIN_PASSWORD_LENGTH = 8;
/** Longer passwords are rejected, so a huge body cannot make hashing expensive. */
export const MAX_PASSWORD_LENGTH = 1024;

/** Hashes a password with argon2id; the result embeds its salt and parameters. */
export async function hashPassword(password: string): Promise<string> {
  const { hash } = await loadArgon2();
  return hash(password, ARGON2_OPTIONS);
}

/** Checks a password against a stored hash; a missing hash still costs one verification. */
export async function verifyPassword(passwordHash: string | undefined, password: string) {
  const { verify } = await loadArgon2();
  if (passwordHash === undefined) {
    dummyHash ??= hashPassword('picket-timing-equalizer');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }

  return verify(passwordHash, password).catch(() => false);
}
