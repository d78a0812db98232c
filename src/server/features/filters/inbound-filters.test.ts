import { describe, expect, it } from 'vitest';

import {
  compileFilterConfig,
  shouldFilterEvent,
  shouldFilterTransaction,
  type InboundFilterInput,
} from './inbound-filters.js';

const NOTHING_ENABLED: InboundFilterInput = {
  browserExtensions: false,
  localhost: false,
  webCrawlers: false,
  healthChecks: false,
  legacyBrowsers: [],
  blacklistedIps: [],
  releases: [],
  errorMessages: [],
};

function config(overrides: Partial<InboundFilterInput>) {
  return compileFilterConfig({ ...NOTHING_ENABLED, ...overrides });
}

function withUserAgent(userAgent: string, extra: Record<string, unknown> = {}) {
  return { request: { headers: [['User-Agent', userAgent]] }, ...extra };
}

const IE9 = 'Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 7.1; Trident/5.0)';

describe('shouldFilterEvent', () => {
  it('keeps an event when no filter is enabled', () => {
    const event = withUserAgent('Googlebot', { release: '1.0', user: { ip_address: '127.0.0.1' } });

    expect(shouldFilterEvent(event, config({}), '10.0.0.1')).toBeUndefined();
  });

  it('drops a blocked client IP', () => {
    expect(shouldFilterEvent({}, config({ blacklistedIps: ['10.0.0.0/8'] }), '10.2.3.4')).toBe(
      'ip-address',
    );
  });

  it('drops a blocked IPv6 client', () => {
    const filters = config({ blacklistedIps: ['2001:db8::/32'] });

    expect(shouldFilterEvent({}, filters, '2001:db8:1::7')).toBe('ip-address');
  });

  it('keeps a client outside the blocked ranges', () => {
    expect(shouldFilterEvent({}, config({ blacklistedIps: ['10.0.0.0/8'] }), '11.0.0.1')).toBe(
      undefined,
    );
  });

  it('falls back to the user IP', () => {
    const event = { user: { ip_address: '192.168.1.9' } };

    expect(
      shouldFilterEvent(event, config({ blacklistedIps: ['192.168.1.0/24'] }), undefined),
    ).toBe('ip-address');
  });

  it('drops a release matching a glob', () => {
    expect(
      shouldFilterEvent({ release: 'web@1.2.3' }, config({ releases: ['web@1.*'] }), undefined),
    ).toBe('release-version');
  });

  it('keeps a release matching no glob', () => {
    expect(
      shouldFilterEvent({ release: 'web@2.0' }, config({ releases: ['web@1.*'] }), undefined),
    ).toBe(undefined);
  });

  it('matches error messages on "type: value"', () => {
    const event = { exception: { values: [{ type: 'TypeError', value: 'x is undefined' }] } };

    expect(shouldFilterEvent(event, config({ errorMessages: ['TypeError: *'] }), undefined)).toBe(
      'error-message',
    );
  });

  it('matches error messages on any exception of the chain', () => {
    const event = {
      exception: { values: [{ type: 'Error', value: 'outer' }, { type: 'ChunkLoadError' }] },
    };

    expect(shouldFilterEvent(event, config({ errorMessages: ['chunkloaderror'] }), undefined)).toBe(
      'error-message',
    );
  });

  it('matches error messages on the formatted log message', () => {
    const event = { message: { formatted: 'Connection reset by peer', message: 'Connection %s' } };

    expect(shouldFilterEvent(event, config({ errorMessages: ['*reset by peer'] }), undefined)).toBe(
      'error-message',
    );
  });

  it('matches error messages on a raw logentry', () => {
    const event = { logentry: { message: 'disk full' } };

    expect(shouldFilterEvent(event, config({ errorMessages: ['disk*'] }), undefined)).toBe(
      'error-message',
    );
  });

  it('drops localhost events when enabled', () => {
    const event = { request: { url: 'http://localhost:3000/cart' } };

    expect(shouldFilterEvent(event, config({ localhost: true }), undefined)).toBe('localhost');
  });

  it('drops an extension error when enabled', () => {
    const event = {
      exception: { values: [{ type: 'Error', value: 'Extension context invalidated.' }] },
    };

    expect(shouldFilterEvent(event, config({ browserExtensions: true }), undefined)).toBe(
      'browser-extensions',
    );
  });

  it('drops an error thrown by extension code', () => {
    const frames = [
      { abs_path: 'https://app.example.com/main.js' },
      { abs_path: 'chrome-extension://abc/content.js' },
    ];
    const event = {
      exception: { values: [{ type: 'Error', value: 'x', stacktrace: { frames } }] },
    };

    expect(shouldFilterEvent(event, config({ browserExtensions: true }), undefined)).toBe(
      'browser-extensions',
    );
  });

  it('drops a legacy browser with a matching sub-filter', () => {
    expect(
      shouldFilterEvent(withUserAgent(IE9), config({ legacyBrowsers: ['ie9'] }), undefined),
    ).toBe('legacy-browsers');
  });

  it('reads the User-Agent header whatever its case', () => {
    const event = { request: { headers: { 'user-agent': IE9 } } };

    expect(shouldFilterEvent(event, config({ legacyBrowsers: ['ie'] }), undefined)).toBe(
      'legacy-browsers',
    );
  });

  it('drops a web crawler when enabled', () => {
    const event = withUserAgent(
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    );

    expect(shouldFilterEvent(event, config({ webCrawlers: true }), undefined)).toBe('web-crawlers');
  });

  it('reports the first filter in Relay order when several match', () => {
    const event = withUserAgent('Googlebot', { release: 'bad' });
    const filters = config({ webCrawlers: true, releases: ['bad'], blacklistedIps: ['1.2.3.4'] });

    expect(shouldFilterEvent(event, filters, '1.2.3.4')).toBe('ip-address');
  });

  it('does not apply the health-check filter to error events', () => {
    const event = { transaction: '/health', exception: { values: [{ type: 'Error' }] } };

    expect(shouldFilterEvent(event, config({ healthChecks: true }), undefined)).toBeUndefined();
  });

  it('keeps an event with malformed fields', () => {
    const event = { request: { headers: 'nope', url: 7 }, exception: 'x', user: [] };
    const filters = config({
      localhost: true,
      browserExtensions: true,
      webCrawlers: true,
      legacyBrowsers: ['default'],
      errorMessages: ['*'],
    });

    expect(shouldFilterEvent(event, filters, 'not an ip')).toBeUndefined();
  });
});

describe('shouldFilterTransaction', () => {
  it.each([
    '/health',
    'GET /healthz/',
    '/api/ping',
    '/k8s/readyz',
    'POST /heartbeat',
    '/status/up',
  ])('drops the health check %s', (name) => {
    expect(
      shouldFilterTransaction({ transaction: name }, config({ healthChecks: true }), undefined),
    ).toBe('filtered-transaction');
  });

  it.each(['/api/healthcare', '/pings', '/upload', 'GET /dashboard', 'HealthController.getInfo'])(
    'keeps %s',
    (name) => {
      expect(
        shouldFilterTransaction({ transaction: name }, config({ healthChecks: true }), undefined),
      ).toBe(undefined);
    },
  );

  it('keeps health checks when the filter is off', () => {
    expect(
      shouldFilterTransaction({ transaction: '/health' }, config({}), undefined),
    ).toBeUndefined();
  });

  it('applies the event filters to transactions too', () => {
    const transaction = { type: 'transaction', transaction: '/checkout', release: 'old' };

    expect(shouldFilterTransaction(transaction, config({ releases: ['old'] }), undefined)).toBe(
      'release-version',
    );
  });
});
