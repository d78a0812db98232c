import { describe, expect, it } from 'vitest';

import { blockedSource, describeViolation } from './csp-report.js';
import { buildSecurityEvent, type SecurityEventResult } from './security-event.js';

const CONTEXT = { release: 'web@1.0.0', environment: 'prod', userAgent: 'Mozilla/5.0 Test' };

/** Returns the built event, failing the test when the report was rejected. */
function eventOf(result: SecurityEventResult): Record<string, unknown> {
  if (!result.ok) {
    throw new Error(`report rejected: ${result.message}`);
  }
  return result.event;
}

describe('describeViolation', () => {
  it.each([
    [
      { effective_directive: 'script-src', blocked_uri: 'https://evil.example/x.js' },
      "Blocked 'script' from 'evil.example'",
    ],
    [{ effective_directive: 'img-src', blocked_uri: 'data' }, "Blocked 'image' from 'data:'"],
    [
      { effective_directive: 'style-src-elem', blocked_uri: 'inline' },
      "Blocked unsafe inline 'style'",
    ],
    [
      { violated_directive: "script-src 'self'", blocked_uri: 'eval' },
      "Blocked unsafe eval() 'script'",
    ],
    [
      { effective_directive: 'connect-src', blocked_uri: 'wss://live.example:8443/ws' },
      "Blocked 'connection' from 'live.example:8443'",
    ],
    [{ effective_directive: 'font-src' }, "Blocked 'font' from 'self'"],
    [
      { effective_directive: 'navigate-to', blocked_uri: 'https://a.example/' },
      "Blocked 'navigate-to' from 'a.example'",
    ],
  ])('describes %j', (csp, message) => {
    expect(describeViolation(csp)).toBe(message);
  });
});

describe('blockedSource', () => {
  it('returns the scheme of a URI without host', () => {
    expect(blockedSource('blob:')).toBe('blob:');
  });

  it('keeps an unparsable value, cut to 200 characters', () => {
    expect(blockedSource(`not a url ${'x'.repeat(300)}`)).toHaveLength(200);
  });
});

describe('buildSecurityEvent', () => {
  it('builds a CSP event with tags, request and release', () => {
    const result = buildSecurityEvent(
      {
        'csp-report': {
          'document-uri': 'https://shop.example/',
          'effective-directive': 'script-src',
          'violated-directive': "script-src 'self'",
          'blocked-uri': 'https://evil.example/x.js',
          'line-number': 12,
          'status-code': 'not a number',
        },
      },
      CONTEXT,
    );

    expect(result).toEqual({
      ok: true,
      event: {
        logger: 'csp',
        level: 'error',
        message: "Blocked 'script' from 'evil.example'",
        culprit: "script-src 'self'",
        release: 'web@1.0.0',
        environment: 'prod',
        request: {
          url: 'https://shop.example/',
          headers: [['User-Agent', 'Mozilla/5.0 Test']],
        },
        tags: { 'effective-directive': 'script-src', 'blocked-uri': 'https://evil.example/x.js' },
        csp: {
          document_uri: 'https://shop.example/',
          effective_directive: 'script-src',
          violated_directive: "script-src 'self'",
          blocked_uri: 'https://evil.example/x.js',
          line_number: 12,
        },
      },
    });
  });

  it('reads a Reporting API report with its own URL and user agent', () => {
    const result = buildSecurityEvent(
      {
        type: 'csp-violation',
        url: 'https://shop.example/a',
        user_agent: 'Reporter/1.0',
        body: { effectiveDirective: 'img-src', blockedURL: 'https://cdn.example/p.gif' },
      },
      CONTEXT,
    );

    const event = eventOf(result);
    expect(event.request).toEqual({
      url: 'https://shop.example/a',
      headers: [['User-Agent', 'Reporter/1.0']],
    });
    expect(event.csp).toMatchObject({ violated_directive: 'img-src' });
  });

  it('turns Expect-CT report keys into snake_case', () => {
    const result = buildSecurityEvent(
      { 'expect-ct-report': { hostname: 'shop.example', port: 443, 'date-time': 'x' } },
      CONTEXT,
    );

    const event = eventOf(result);
    expect(event.expectct).toEqual({
      hostname: 'shop.example',
      port: 443,
      date_time: 'x',
    });
    expect(event.message).toBe("Expect-CT failed for 'shop.example'");
  });

  it('rejects other Reporting API types', () => {
    expect(buildSecurityEvent({ type: 'deprecation', body: {} }, CONTEXT)).toMatchObject({
      ok: false,
      reason: 'invalid_security_report',
    });
  });

  it('rejects an object of no known shape', () => {
    expect(buildSecurityEvent({ hello: 'world' }, CONTEXT).ok).toBe(false);
  });

  it('leaves out a release that is not a string', () => {
    const result = buildSecurityEvent(
      { 'csp-report': { 'blocked-uri': 'inline' } },
      { release: ['a'], environment: '', userAgent: undefined },
    );
    const event = eventOf(result);
    expect(event).not.toHaveProperty('release');
    expect(event).not.toHaveProperty('environment');
  });
});
