import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PREFIX = 'pk1';
const KEY_FILE = 'secret.key';

/** A secret that cannot be decrypted with any configured key, or is not in the sealed form. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

interface Key {
  id: string;
  bytes: Buffer;
}

function keyId(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 8);
}

/**
 * Reads a 32-byte key written as 64 hex digits or as base64 (standard or URL-safe).
 * @throws SecretBoxError when the text is neither or has another length.
 */
export function parseSecretKey(text: string, name: string): Buffer {
  const trimmed = text.trim();
  const bytes = /^[0-9a-f]{64}$/i.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length !== KEY_BYTES) {
    throw new SecretBoxError(
      `${name} must be 32 random bytes as 64 hex digits or base64 (such as the output of "openssl rand -hex 32")`,
    );
  }
  return bytes;
}

/**
 * Encrypts secrets at rest with AES-256-GCM. A sealed value is
 * `pk1.<key id>.<iv>.<ciphertext and tag>` (base64url parts), so it names the key that sealed
 * it: values sealed with a previous key still open while `rotate` re-seals them with the current
 * one. `context` (such as `totp:42`) is bound as additional data, so a sealed value copied to
 * another row does not open there.
 */
export class SecretBox {
  readonly #current: Key;
  readonly #keys: Map<string, Key>;

  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    this.#current = { id: keyId(current), bytes: current };
    this.#keys = new Map(
      [this.#current, ...previous.map((bytes) => ({ id: keyId(bytes), bytes }))].map((key) => [
        key.id,
        key,
      ]),
    );
  }

  /** The id of the key that `seal` uses, as it appears in sealed values. */
  get currentKeyId(): string {
    return this.#current.id;
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#current.bytes, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([
      cipher.update(plaintext, 'utf8'),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return [PREFIX, this.#current.id, iv.toString('base64url'), body.toString('base64url')].join(
      '.',
    );
  }

  /**
   * @throws SecretBoxError when the value is malformed, names an unknown key, or was changed.
   */
  open(sealed: string, context: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== PREFIX) {
      throw new SecretBoxError('The value is not a sealed secret');
    }
    const key = this.#keys.get(parts[1] ?? '');
    if (key === undefined) {
      throw new SecretBoxError(
        `The secret was sealed with key ${parts[1] ?? ''}, which is not configured; add it to PICKET_SECRET_KEY_PREVIOUS`,
      );
    }
    const iv = Buffer.from(parts[2] ?? '', 'base64url');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    if (iv.length !== IV_BYTES || body.length < TAG_BYTES) {
      throw new SecretBoxError('The sealed secret is truncated');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.bytes, iv);
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(body.subarray(0, body.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretBoxError('The sealed secret does not match its key or context');
    }
  }

  /** Returns whether a sealed value was made with a key other than the current one. */
  needsRotation(sealed: string): boolean {
    return sealed.split('.')[1] !== this.#current.id;
  }
}

export function isSealed(value: string): boolean {
  return value.startsWith(`${PREFIX}.`);
}

/**
 * Builds the secret box from `PICKET_SECRET_KEY` and `PICKET_SECRET_KEY_PREVIOUS` (comma
 * separated). Without a configured key, a random key is created once in the data folder as
 * `secret.key` (mode 0600) and read from there afterwards. Processes that share a database
 * must then share that file, so setting `PICKET_SECRET_KEY` is better for them.
 */
export function openSecretBox(options: {
  secretKey: string | undefined;
  previousKeys: string | undefined;
  dataDir: string;
}): SecretBox {
  const previous = (options.previousKeys ?? '')
    .split(',')
    .map((text) => text.trim())
    .filter((text) => text !== '')
    .map((text) => parseSecretKey(text, 'PICKET_SECRET_KEY_PREVIOUS'));
  if (options.secretKey !== undefined && options.secretKey !== '') {
    return new SecretBox(parseSecretKey(options.secretKey, 'PICKET_SECRET_KEY'), previous);
  }
  const file = path.join(options.dataDir, KEY_FILE);
  fs.mkdirSync(options.dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, `${randomBytes(KEY_BYTES).toString('hex')}\n`, {
      flag: 'wx',
      mode: 0o600,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw error;
    }
  }
  return new SecretBox(parseSecretKey(fs.readFileSync(file, 'utf8'), file), previous);
}
