import { createHmac, randomBytes } from 'node:crypto';

import { safeEqual } from './secrets.js';

/**
 * Time-based one-time passwords as RFC 6238 defines them, with the parameters every
 * authenticator app supports: HMAC-SHA-1, 6 digits, 30-second steps.
 * See https://www.rfc-editor.org/rfc/rfc6238 and https://www.rfc-editor.org/rfc/rfc4226.
 */
export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;

/** RFC 4226 requires at least 128 bits of shared secret and recommends 160. */
const SECRET_BYTES = 20;

/** Steps accepted on either side of the current one, for clock drift (RFC 6238 section 6). */
const DRIFT_STEPS = 1;

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Encodes bytes as RFC 4648 base32 without padding, the form authenticator apps read. */
export function encodeBase32(bytes: Uint8Array): string {
  let output = '';
  let buffer = 0;
  let bits = 0;

  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      output += BASE32_ALPHABET.charAt((buffer >>> (bits - 5)) & 31);
      bits -= 5;
    }
  }

  if (bits > 0) {
    output += BASE32_ALPHABET.charAt((buffer << (5 - bits)) & 31);
  }
  return output;
}

/**
 * Decodes RFC 4648 base32, ignoring case, spaces and padding.
 * @throws Error when the text contains a character outside the alphabet.
 */
export function decodeBase32(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;

  for (const character of clean) {
    const value = BASE32_ALPHABET.indexOf(character);
    if (value === -1) {
      throw new Error(`Invalid base32 character ${JSON.stringify(character)}`);
    }
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** Creates a random 160-bit TOTP secret, base32-encoded. */
export function createTotpSecret(): string {
  return encodeBase32(randomBytes(SECRET_BYTES));
}

/** Returns the time step that contains `timeMs`. */
export function totpStepAt(timeMs: number): number {
  return Math.floor(timeMs / 1000 / TOTP_STEP_SECONDS);
}

/**
 * Computes the HOTP value of a counter (RFC 4226 section 5.3): HMAC-SHA-1 of the 8-byte
 * big-endian counter, dynamically truncated to `digits` decimal digits.
 */
export function generateHotp(secret: Buffer, counter: number, digits = TOTP_DIGITS): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac('sha1', secret).update(message).digest();
  const offset = (digest[digest.length - 1] ?? 0) & 0x0f;
  const binary = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** Computes the TOTP code of a base32 secret at `timeMs`. */
export function generateTotp(secret: string, timeMs: number, digits = TOTP_DIGITS): string {
  return generateHotp(decodeBase32(secret), totpStepAt(timeMs), digits);
}

/**
 * Checks a code against the steps next to `timeMs` (one before, the current one, one after).
 * A step at or before `lastUsedStep` is never accepted again, so a code works once.
 * Returns the matching step, which the caller stores as the new `lastUsedStep`, or undefined.
 */
export function verifyTotp(
  secret: string,
  code: string,
  timeMs: number,
  lastUsedStep: number | null,
): number | undefined {
  const normalized = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(normalized)) {
    return undefined;
  }

  const key = decodeBase32(secret);
  const current = totpStepAt(timeMs);
  let matched: number | undefined;

  // Every candidate is computed, so the time taken does not depend on which step matched.
  for (let step = current - DRIFT_STEPS; step <= current + DRIFT_STEPS; step += 1) {
    const isUnused = lastUsedStep === null || step > lastUsedStep;
    if (safeEqual(generateHotp(key, step), normalized) && isUnused && matched === undefined) {
      matched = step;
    }
  }
  return matched;
}

/**
 * Builds the `otpauth://totp/` URI that authenticator apps import from a QR code, in the
 * Key Uri Format that Google Authenticator defined.
 */
export function buildOtpauthUri(options: { issuer: string; account: string; secret: string }) {
  const label = `${encodeURIComponent(options.issuer)}:${encodeURIComponent(options.account)}`;
  const params = new URLSearchParams({
    secret: options.secret,
    issuer: options.issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_STEP_SECONDS),
  });
  return `otpauth://totp/${label}?${params.toString()}`;
}
