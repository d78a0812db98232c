import { describe, expect, it } from 'vitest';

import { parseLinkHeader } from './link-header';

const SENTRY_LINK =
  '<http://127.0.0.1:8000/api/0/organizations/acme/issues/?cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1", ' +
  '<http://127.0.0.1:8000/api/0/organizations/acme/issues/?cursor=0:25:0>; rel="next"; results="true"; cursor="0:25:0"';

describe('parseLinkHeader', () => {
  it('reads the next cursor and its results flag', () => {
    const links = parseLinkHeader(SENTRY_LINK);

    expect(links.next).toEqual({
      url: 'http://127.0.0.1:8000/api/0/organizations/acme/issues/?cursor=0:25:0',
      cursor: '0:25:0',
      hasResults: true,
    });
  });

  it('marks a previous link without results', () => {
    const links = parseLinkHeader(SENTRY_LINK);

    expect(links.previous?.hasResults).toBe(false);
  });

  it('returns no links for a missing header', () => {
    expect(parseLinkHeader(null)).toEqual({ previous: null, next: null });
  });

  it('skips a link without a cursor', () => {
    const links = parseLinkHeader('<http://x/>; rel="next"; results="true"');

    expect(links.next).toBeNull();
  });
});
