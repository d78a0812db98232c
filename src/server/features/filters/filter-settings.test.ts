import { describe, expect, it } from 'vitest';

import {
  decodeLegacyBrowsers,
  encodeLegacyBrowsers,
  NEW_PROJECT_FILTER_SETTINGS,
  parseFilterOptions,
  readFilterOptions,
  toFilterInput,
  UNSET_FILTER_SETTINGS,
} from './filter-settings.js';

describe('legacy-browser state', () => {
  it.each([true, false, ['ie', 'safari_pre_6']] as const)('survives a round trip: %j', (value) => {
    const state = typeof value === 'boolean' ? value : [...value];

    expect(decodeLegacyBrowsers(encodeLegacyBrowsers(state))).toEqual(state);
  });

  it('reads an unknown stored value as off', () => {
    expect(decodeLegacyBrowsers('{"x":1}')).toBe(false);
  });

  it('turns active into the default option', () => {
    expect(
      toFilterInput({ ...UNSET_FILTER_SETTINGS, legacyBrowsers: true }).legacyBrowsers,
    ).toEqual(['default']);
  });
});

describe('defaults', () => {
  it('enables only the health-check filter for projects without settings', () => {
    expect(UNSET_FILTER_SETTINGS).toMatchObject({
      browserExtensions: false,
      localhost: false,
      webCrawlers: false,
      filteredTransaction: true,
      legacyBrowsers: false,
    });
  });

  it('enables extensions, crawlers, health checks and current legacy browsers for new projects', () => {
    expect(NEW_PROJECT_FILTER_SETTINGS).toMatchObject({
      browserExtensions: true,
      localhost: false,
      webCrawlers: true,
      filteredTransaction: true,
      legacyBrowsers: [
        'android',
        'chrome',
        'edge',
        'firefox',
        'ie',
        'opera',
        'opera_mini',
        'safari',
      ],
    });
  });
});

describe('parseFilterOptions', () => {
  it('splits lines and drops blank ones', () => {
    const parsed = parseFilterOptions({ 'filters:releases': ' 1.*\n\r\n2.0.0 \n' });

    expect(parsed).toEqual({ ok: true, fields: { releases: ['1.*', '2.0.0'] } });
  });

  it('accepts IPv4 and IPv6 addresses and ranges', () => {
    const parsed = parseFilterOptions({
      'filters:blacklisted_ips': '10.0.0.1\n10.0.0.0/8\n::1\n2001:db8::/32',
    });

    expect(parsed.ok).toBe(true);
  });

  it('rejects an entry that is not an IP range', () => {
    const parsed = parseFilterOptions({ 'filters:blacklisted_ips': '10.0.0.1\nexample.com' });

    expect(parsed).toEqual({
      ok: false,
      problems: {
        'filters:blacklisted_ips':
          'filters:blacklisted_ips entry "example.com" is not an IP address or CIDR range',
      },
    });
  });

  it('rejects an invalid glob', () => {
    const parsed = parseFilterOptions({ 'filters:error_messages': 'TypeError: [oops' });

    expect(parsed.ok).toBe(false);
  });

  it('rejects a glob longer than 256 characters', () => {
    const parsed = parseFilterOptions({ 'filters:error_messages': `*${'x'.repeat(256)}` });

    expect(parsed).toEqual({
      ok: false,
      problems: {
        'filters:error_messages': expect.stringMatching(
          /has 257 characters; the maximum is 256$/,
        ) as unknown,
      },
    });
  });

  it('rejects patterns that expand past the list token limit', () => {
    const parsed = parseFilterOptions({
      'filters:error_messages': Array.from({ length: 129 }, () => 'x'.repeat(256)).join('\n'),
    });

    expect(parsed).toEqual({
      ok: false,
      problems: {
        'filters:error_messages': expect.stringContaining(
          'expand to 33024 tokens; the maximum is 32768',
        ) as unknown,
      },
    });
  });

  it('rejects more than 500 entries', () => {
    const parsed = parseFilterOptions({
      'filters:releases': Array.from({ length: 501 }, (_, i) => `${i}`).join('\n'),
    });

    expect(parsed.ok).toBe(false);
  });

  it('returns the lists as newline-joined options', () => {
    const options = readFilterOptions({ ...UNSET_FILTER_SETTINGS, releases: ['1.*', '2.0'] });

    expect(options).toEqual({
      'filters:blacklisted_ips': '',
      'filters:releases': '1.*\n2.0',
      'filters:error_messages': '',
    });
  });
});
