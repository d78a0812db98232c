import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  buildOtpauthUri,
  createTotpSecret,
  decodeBase32,
  encodeBase32,
  generateHotp,
  generateTotp,
  verifyTotp,
} from './totp.js';

// RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890", 8 digits.
const RFC_SEED = encodeBase32(Buffer.from('12345678901234567890', 'ascii'));
const RFC_VECTORS: [seconds: number, code: string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

// RFC 4226 appendix D: HOTP values of the same seed for counters 0 to 9.
const RFC_4226_VALUES = [
  '755224',
  '287082',
  '359152',
  '969429',
  '338314',
  '254676',
  '287922',
  '162583',
  '399871',
  '520489',
];

describe('generateTotp', () => {
  it.each(RFC_VECTORS)('matches RFC 6238 at %i seconds', (seconds, code) => {
    expect(generateTotp(RFC_SEED, seconds * 1000, 8)).toBe(code);
  });

  it('matches the RFC 4226 HOTP values', () => {
    const key = Buffer.from('12345678901234567890', 'ascii');
    const values = RFC_4226_VALUES.map((_, counter) => generateHotp(key, counter));

    expect(values).toEqual(RFC_4226_VALUES);
  });
});

describe('verifyTotp', () => {
  const secret = createTotpSecret();
  const now = 1_700_000_015_000;
  const step = Math.floor(now / 30_000);
  const codeAt = (offsetSteps: number) => generateTotp(secret, now + offsetSteps * 30_000);

  it('accepts the current code and returns its step', () => {
    expect(verifyTotp(secret, codeAt(0), now, null)).toBe(step);
  });

  it('accepts one step of drift either way', () => {
    expect(verifyTotp(secret, codeAt(-1), now, null)).toBe(step - 1);
    expect(verifyTotp(secret, codeAt(1), now, null)).toBe(step + 1);
  });

  it('rejects two steps of drift', () => {
    expect(verifyTotp(secret, codeAt(-2), now, null)).toBeUndefined();
    expect(verifyTotp(secret, codeAt(2), now, null)).toBeUndefined();
  });

  it('rejects a code of a step already used', () => {
    expect(verifyTotp(secret, codeAt(0), now, step)).toBeUndefined();
  });

  it('rejects an older code after a newer one was used', () => {
    expect(verifyTotp(secret, codeAt(-1), now, step)).toBeUndefined();
  });

  it('accepts a code with spaces', () => {
    const code = codeAt(0);

    expect(verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, now, null)).toBe(step);
  });

  it('rejects text that is not six digits', () => {
    expect(verifyTotp(secret, '12345', now, null)).toBeUndefined();
    expect(verifyTotp(secret, 'abcdef', now, null)).toBeUndefined();
  });
});

describe('base32', () => {
  it('encodes the RFC 4648 test vectors', () => {
    expect(encodeBase32(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(encodeBase32(Buffer.from('f'))).toBe('MY');
  });

  it('decodes what it encodes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(decodeBase32(encodeBase32(bytes))).toEqual(Buffer.from(bytes));
      }),
    );
  });

  it('rejects characters outside the alphabet', () => {
    expect(() => decodeBase32('MZXW1')).toThrow('Invalid base32 character "1"');
  });
});

describe('createTotpSecret', () => {
  it('creates 160 bits as 32 base32 characters', () => {
    const secret = createTotpSecret();

    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(decodeBase32(secret)).toHaveLength(20);
  });
});

describe('buildOtpauthUri', () => {
  it('names the issuer and account and lists the parameters', () => {
    const uri = buildOtpauthUri({ issuer: 'Picket', account: 'a b@example.com', secret: 'ABC' });

    expect(uri).toBe(
      'otpauth://totp/Picket:a%20b%40example.com?secret=ABC&issuer=Picket&algorithm=SHA1&digits=6&period=30',
    );
  });
});
