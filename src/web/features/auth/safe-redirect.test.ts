import { describe, expect, it } from 'vitest';

import { readSafeRedirect } from './safe-redirect';

describe('readSafeRedirect', () => {
  it('keeps a path inside the app', () => {
    expect(readSafeRedirect('/organizations/acme/issues/?query=is:resolved')).toBe(
      '/organizations/acme/issues/?query=is:resolved',
    );
  });

  it.each([
    'https://evil.example/',
    '//evil.example/',
    '/\\evil.example/',
    'javascript:alert(1)',
    '/\t/evil.example/',
    '/\n/evil.example/',
    '/\r\n/evil.example/',
    '/\t\\evil.example/',
  ])('rejects %s', (next) => {
    expect(readSafeRedirect(next)).toBe('/');
  });

  it('returns the root without a target', () => {
    expect(readSafeRedirect(null)).toBe('/');
  });
});
