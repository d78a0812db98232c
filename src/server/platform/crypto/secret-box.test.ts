import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  isSealed,
  openSecretBox,
  parseSecretKey,
  SecretBox,
  SecretBoxError,
} from './secret-box.js';

const keyA = randomBytes(32);
const keyB = randomBytes(32);

/** Flips one bit of the byte at `index` of a base64url part. */
function flipBit(part: string, index: number): string {
  const bytes = Buffer.from(part, 'base64url');
  bytes[index] = (bytes[index] ?? 0) ^ 1;
  return bytes.toString('base64url');
}

describe('SecretBox', () => {
  it('opens what it sealed', () => {
    const box = new SecretBox(keyA);
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'totp:7');

    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed, 'totp:7')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('uses a fresh IV per seal', () => {
    const box = new SecretBox(keyA);

    expect(box.seal('same', 'c')).not.toBe(box.seal('same', 'c'));
  });

  it('rejects a changed ciphertext', () => {
    const box = new SecretBox(keyA);
    const [prefix, id, iv, body] = box.seal('secret value', 'totp:7').split('.');
    const tampered = [prefix, id, iv, flipBit(body ?? '', 0)].join('.');

    expect(() => box.open(tampered, 'totp:7')).toThrow(SecretBoxError);
  });

  it('rejects a changed tag', () => {
    const box = new SecretBox(keyA);
    const [prefix, id, iv, body] = box.seal('secret value', 'totp:7').split('.');
    const bodyBytes = Buffer.from(body ?? '', 'base64url');
    const tampered = [prefix, id, iv, flipBit(body ?? '', bodyBytes.length - 1)].join('.');

    expect(() => box.open(tampered, 'totp:7')).toThrow(SecretBoxError);
  });

  it('rejects a changed IV', () => {
    const box = new SecretBox(keyA);
    const [prefix, id, iv, body] = box.seal('secret value', 'totp:7').split('.');
    const tampered = [prefix, id, flipBit(iv ?? '', 3), body].join('.');

    expect(() => box.open(tampered, 'totp:7')).toThrow(SecretBoxError);
  });

  it('rejects a truncated value', () => {
    const box = new SecretBox(keyA);
    const [prefix, id, iv] = box.seal('secret value', 'totp:7').split('.');

    expect(() => box.open([prefix, id, iv, 'AAAA'].join('.'), 'totp:7')).toThrow(/truncated/);
    expect(() => box.open('pk1.abc', 'totp:7')).toThrow(/not a sealed secret/);
    expect(() => box.open('plain text', 'totp:7')).toThrow(/not a sealed secret/);
  });

  it('rejects the wrong context', () => {
    const box = new SecretBox(keyA);
    const sealed = box.seal('secret value', 'totp:7');

    expect(() => box.open(sealed, 'totp:8')).toThrow(/does not match its key or context/);
    expect(() => box.open(sealed, 'instance:smtp')).toThrow(SecretBoxError);
  });

  it('names an unknown key', () => {
    const sealed = new SecretBox(keyA).seal('secret value', 'c');
    const other = new SecretBox(keyB);
    const keyId = sealed.split('.')[1] ?? '';

    expect(() => other.open(sealed, 'c')).toThrow(keyId);
    expect(() => other.open(sealed, 'c')).toThrow(/PICKET_SECRET_KEY_PREVIOUS/);
  });

  it('rejects a forged key id', () => {
    const sealedA = new SecretBox(keyA).seal('secret value', 'c');
    const boxB = new SecretBox(keyB, [keyA]);
    const [prefix, , iv, body] = sealedA.split('.');
    const relabelled = [prefix, boxB.currentKeyId, iv, body].join('.');

    expect(() => boxB.open(relabelled, 'c')).toThrow(/does not match/);
  });

  it('opens values of a previous key during rotation', () => {
    const sealedA = new SecretBox(keyA).seal('secret value', 'c');
    const rotating = new SecretBox(keyB, [keyA]);

    expect(rotating.needsRotation(sealedA)).toBe(true);
    const resealed = rotating.seal(rotating.open(sealedA, 'c'), 'c');
    expect(rotating.needsRotation(resealed)).toBe(false);
    expect(new SecretBox(keyB).open(resealed, 'c')).toBe('secret value');
    expect(() => new SecretBox(keyA).open(resealed, 'c')).toThrow(SecretBoxError);
  });

  it('seals with the current key only', () => {
    const rotating = new SecretBox(keyB, [keyA]);

    expect(rotating.seal('x', 'c').split('.')[1]).toBe(rotating.currentKeyId);
    expect(rotating.currentKeyId).toBe(new SecretBox(keyB).currentKeyId);
    expect(rotating.currentKeyId).not.toBe(new SecretBox(keyA).currentKeyId);
  });
});

describe('parseSecretKey', () => {
  it('reads hex and base64 forms', () => {
    const key = randomBytes(32);

    expect(parseSecretKey(key.toString('hex'), 'K').equals(key)).toBe(true);
    expect(parseSecretKey(key.toString('base64'), 'K').equals(key)).toBe(true);
    expect(parseSecretKey(key.toString('base64url'), 'K').equals(key)).toBe(true);
  });

  it('rejects a short key', () => {
    expect(() => parseSecretKey(randomBytes(16).toString('hex'), 'PICKET_SECRET_KEY')).toThrow(
      /PICKET_SECRET_KEY must be 32 random bytes/,
    );
  });
});

describe('openSecretBox', () => {
  it('creates the key file once', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-secret-box-'));
    try {
      const first = openSecretBox({ secretKey: undefined, previousKeys: undefined, dataDir });
      const second = openSecretBox({ secretKey: undefined, previousKeys: undefined, dataDir });
      const mode = fs.statSync(path.join(dataDir, 'secret.key')).mode & 0o777;

      expect(second.currentKeyId).toBe(first.currentKeyId);
      expect(mode).toBe(0o600);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('prefers PICKET_SECRET_KEY and reads previous keys', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-secret-box-'));
    try {
      const box = openSecretBox({
        secretKey: keyB.toString('hex'),
        previousKeys: ` ${keyA.toString('hex')} ,${randomBytes(32).toString('base64')}`,
        dataDir,
      });
      const sealedA = new SecretBox(keyA).seal('v', 'c');

      expect(box.currentKeyId).toBe(new SecretBox(keyB).currentKeyId);
      expect(box.open(sealedA, 'c')).toBe('v');
      expect(fs.existsSync(path.join(dataDir, 'secret.key'))).toBe(false);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
