import { describe, expect, it } from 'vitest';

import { extractTags, getUserTagValue } from './event-tags.js';
import { normalizeEvent } from './normalize.js';

function tags(raw: Record<string, unknown>): Map<string, string> {
  const event = normalizeEvent(raw, {
    eventId: undefined,
    receivedAt: 0,
    sentAt: undefined,
    clientIp: undefined,
    client: undefined,
  });
  return new Map(extractTags(event));
}

describe('extractTags', () => {
  it('derives the Sentry tags from event fields', () => {
    const result = tags({
      level: 'warning',
      release: '1.2.3',
      dist: '7',
      environment: 'prod',
      transaction: 'GET /',
      server_name: 'web-1',
      logger: 'app.db',
      request: { url: 'https://example.com/a?b=1' },
      contexts: {
        browser: { name: 'Firefox', version: '120.0' },
        os: { name: 'Windows', version: '10' },
        runtime: { name: 'CPython', version: '3.12.1' },
        device: { model: 'Pixel 8', family: 'Pixel' },
      },
      exception: [{ type: 'E', mechanism: { type: 'onerror', handled: false } }],
    });

    expect(Object.fromEntries(result)).toEqual({
      level: 'warning',
      release: '1.2.3',
      dist: '7',
      environment: 'prod',
      transaction: 'GET /',
      server_name: 'web-1',
      logger: 'app.db',
      url: 'https://example.com/a',
      browser: 'Firefox 120.0',
      'browser.name': 'Firefox',
      os: 'Windows 10',
      'os.name': 'Windows',
      runtime: 'CPython 3.12.1',
      'runtime.name': 'CPython',
      device: 'Pixel 8',
      'device.family': 'Pixel',
      mechanism: 'onerror',
      handled: 'no',
    });
  });

  it('keeps a client tag over a context tag but not over level', () => {
    const result = tags({
      level: 'info',
      tags: { browser: 'custom', level: 'fatal', team: 'core' },
      contexts: { browser: { name: 'Chrome' } },
    });

    expect(result.get('browser')).toBe('custom');
    expect(result.get('level')).toBe('info');
    expect(result.get('team')).toBe('core');
  });

  it('omits dist without a release', () => {
    expect(tags({ dist: '7' }).has('dist')).toBe(false);
  });
});

describe('getUserTagValue', () => {
  it.each([
    [{ id: '1', email: 'a@b.c' }, 'id:1'],
    [{ email: 'a@b.c', username: 'a' }, 'email:a@b.c'],
    [{ username: 'a', ip_address: '10.0.0.1' }, 'username:a'],
    [{ ip_address: '10.0.0.1' }, 'ip:10.0.0.1'],
    [{}, undefined],
  ])('tags %j as %s', (user, expected) => {
    expect(getUserTagValue(user)).toBe(expected);
  });
});
