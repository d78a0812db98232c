import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Returns `bytes` random bytes as lowercase hex. */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** SHA-256 of a secret as hex; session ids and API tokens are stored only in this form. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Compares two strings in constant time for equal lengths. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Creates a user API token in sentry-cli's recognised `sntryu_` + 64 hex form. */
export function createApiTokenValue(): string {
  return `sntryu_${randomHex(32)}`;
}
