import { randomInt } from 'node:crypto';

import { hashSecret } from './secrets.js';

/** How many recovery codes a user gets at once (Sentry also gives 10). */
export const RECOVERY_CODE_COUNT = 10;

// Crockford's base32 without I, L, O and U, so that a code copied by hand reads back correctly.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const GROUP_LENGTH = 5;

/**
 * Creates one recovery code of two groups of 5 characters, such as `4kz9q-a7m2x`: 50 random
 * bits, which one-time use and login throttling make far beyond guessing.
 */
export function createRecoveryCode(): string {
  const group = () =>
    Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `${group()}-${group()}`;
}

/** Creates a fresh set of {@link RECOVERY_CODE_COUNT} distinct codes. */
export function createRecoveryCodes(): string[] {
  const codes = new Set<string>();
  while (codes.size < RECOVERY_CODE_COUNT) {
    codes.add(createRecoveryCode());
  }
  return [...codes];
}

/**
 * Puts a typed code in its stored form: lower case, without spaces and dashes, with the letters
 * people confuse with digits (o, i, l) read as those digits.
 */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '').replace(/o/g, '0').replace(/[il]/g, '1');
}

/** SHA-256 of the normalized code; only this form is stored. */
export function hashRecoveryCode(code: string): string {
  return hashSecret(`recovery:${normalizeRecoveryCode(code)}`);
}
