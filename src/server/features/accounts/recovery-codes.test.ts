import { describe, expect, it } from 'vitest';

import {
  RECOVERY_CODE_COUNT,
  createRecoveryCodes,
  hashRecoveryCode,
  normalizeRecoveryCode,
} from './recovery-codes.js';

describe('createRecoveryCodes', () => {
  it('creates ten distinct codes of two groups of five', () => {
    const codes = createRecoveryCodes();

    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) {
      expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
    }
  });

  it('creates another set each time', () => {
    expect(createRecoveryCodes()).not.toEqual(createRecoveryCodes());
  });
});

describe('normalizeRecoveryCode', () => {
  it('ignores case, spaces and dashes', () => {
    expect(normalizeRecoveryCode(' 4KZ9Q - A7M2X ')).toBe('4kz9qa7m2x');
  });

  it('reads o, i and l as digits', () => {
    expect(normalizeRecoveryCode('oIl')).toBe('011');
  });
});

describe('hashRecoveryCode', () => {
  it('hashes typed variants of a code alike', () => {
    expect(hashRecoveryCode('4KZ9Q A7M2X')).toBe(hashRecoveryCode('4kz9q-a7m2x'));
  });

  it('hashes different codes differently', () => {
    expect(hashRecoveryCode('4kz9q-a7m2x')).not.toBe(hashRecoveryCode('4kz9q-a7m2y'));
  });

  it('stores no plain text', () => {
    expect(hashRecoveryCode('4kz9q-a7m2x')).toMatch(/^[0-9a-f]{64}$/);
  });
});
