import { describe, expect, it } from 'vitest';

import { readFilterableEvent } from './filterable-event.js';
import { isFromLocalhost } from './localhost.js';

function fromLocalhost(event: Record<string, unknown>): boolean {
  return isFromLocalhost(readFilterableEvent(event));
}

describe('isFromLocalhost', () => {
  it.each(['127.0.0.1', '::1'])('recognizes the user IP %s', (ip) => {
    expect(fromLocalhost({ user: { ip_address: ip } })).toBe(true);
  });

  it.each([
    'http://localhost:8080/',
    'http://app.localhost/x',
    'http://127.0.0.1/',
    'file:///tmp/a.html',
  ])('recognizes the URL %s', (url) => {
    expect(fromLocalhost({ request: { url } })).toBe(true);
  });

  it.each(['http://localhost.com/', 'http://mylocalhost/', 'http://[::1]:3000/', 'not a url'])(
    'does not count the URL %s',
    (url) => {
      expect(fromLocalhost({ request: { url } })).toBe(false);
    },
  );

  it('recognizes a loopback X-Forwarded-For', () => {
    expect(fromLocalhost({ request: { headers: [['X-Forwarded-For', '::1']] } })).toBe(true);
  });

  it('recognizes a localhost Host header when there is no URL', () => {
    expect(fromLocalhost({ request: { headers: [['Host', 'localhost:3000']] } })).toBe(true);
  });

  it('ignores the Host header when a URL is present', () => {
    const request = { url: 'https://shop.example.com/', headers: [['Host', 'localhost:3000']] };

    expect(fromLocalhost({ request })).toBe(false);
  });

  it('does not count a subdomain in the Host header', () => {
    expect(fromLocalhost({ request: { headers: [['Host', 'localhost.sentry.io:3000']] } })).toBe(
      false,
    );
  });
});
