import { describe, expect, it } from 'vitest';

import { isOriginAllowed, parseAllowedDomains, requestOrigin } from './allowed-domains.js';

const origin = (value: string) => new URL(value);

describe('isOriginAllowed', () => {
  it.each([
    ['*', 'https://anything.example.org'],
    ['example.com', 'https://example.com'],
    ['example.com', 'http://example.com:8080'],
    ['*.example.com', 'https://example.com'],
    ['*.example.com', 'https://app.example.com'],
    ['*.example.com', 'https://a.b.example.com'],
    ['https://example.com', 'https://example.com'],
    ['https://example.com', 'https://example.com:8443'],
    ['https://example.com:8443', 'https://example.com:8443'],
    ['*:8080', 'http://localhost:8080'],
    ['EXAMPLE.com', 'https://example.COM'],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000'],
  ])('pattern %s allows %s', (pattern, value) => {
    expect(isOriginAllowed(origin(value), [pattern])).toBe(true);
  });

  it.each([
    ['example.com', 'https://app.example.com'],
    ['example.com', 'https://example.com.evil.test'],
    ['*.example.com', 'https://badexample.com'],
    ['*.example.com', 'https://example.com.evil.test'],
    ['https://example.com', 'http://example.com'],
    ['https://example.com:8443', 'https://example.com'],
    ['*:8080', 'http://localhost:8081'],
  ])('pattern %s rejects %s', (pattern, value) => {
    expect(isOriginAllowed(origin(value), [pattern])).toBe(false);
  });

  it('allows a request without an origin', () => {
    expect(isOriginAllowed(undefined, [])).toBe(true);
  });

  it('rejects every origin when the list is empty', () => {
    expect(isOriginAllowed(origin('https://example.com'), [])).toBe(false);
  });

  it('allows when any pattern of the list matches', () => {
    expect(isOriginAllowed(origin('https://b.test'), ['a.test', 'b.test'])).toBe(true);
  });
});

describe('requestOrigin', () => {
  it('prefers the Origin header', () => {
    expect(requestOrigin('https://a.test', 'https://b.test/page')?.hostname).toBe('a.test');
  });

  it('falls back to the Referer header', () => {
    expect(requestOrigin(undefined, 'https://b.test/page?x=1')?.hostname).toBe('b.test');
  });

  it('treats Origin "null" as absent', () => {
    expect(requestOrigin('null', undefined)).toBeUndefined();
  });
});

describe('parseAllowedDomains', () => {
  it('accepts the documented pattern forms', () => {
    const parsed = parseAllowedDomains([
      '*',
      ' example.com ',
      '*.example.com',
      'https://example.com:8443',
      '*:8080',
      '',
    ]);

    expect(parsed).toEqual({
      ok: true,
      domains: ['*', 'example.com', '*.example.com', 'https://example.com:8443', '*:8080'],
    });
  });

  it.each(['exa mple.com', 'https://example.com/path', 'ex*ample.com', 'http://', '**'])(
    'rejects %s',
    (pattern) => {
      const parsed = parseAllowedDomains([pattern]);

      expect(parsed.ok).toBe(false);
    },
  );
});
