import { describe, expect, it } from 'vitest';

import { compilePiiConfig } from './compile-config.js';
import { scrubPayload } from './pii-processor.js';
import type { PiiConfig } from './pii-rules.js';
import { EVENT_SPEC } from './pii-schema.js';

/** Scrubs `event` with one rule applied to `selector`, and returns the event. */
function scrubWith(
  event: Record<string, unknown>,
  selector: string,
  rule: string | PiiConfig['rules'],
): Record<string, unknown> {
  const config: PiiConfig =
    typeof rule === 'string'
      ? { applications: { [selector]: [rule] } }
      : { rules: rule, applications: { [selector]: Object.keys(rule ?? {}) } };
  scrubPayload(event, EVENT_SPEC, compilePiiConfig(config, { strict: true }));
  return event;
}

const extraOf = (event: Record<string, unknown>) => event.extra as Record<string, unknown>;

describe('built-in rules', () => {
  it.each([
    ['@creditcard', 'card 4111 1111 1111 1111 ok', 'card [creditcard] ok'],
    ['@creditcard:filter', '4111-1111-1111-1111', '[Filtered]'],
    ['@ip', 'from 10.1.2.3 at noon', 'from [ip] at noon'],
    ['@ip', 'v6 2001:db8::1 here', 'v6 [ip] here'],
    ['@email', 'mail jane@example.com now', 'mail [email] now'],
    ['@urlauth', 'https://user:pw@host/x', 'https://[auth]@host/x'],
    ['@urlauth:legacy', 'https://user:pw@host/x', 'https://user:[Filtered]@host/x'],
    ['@usssn:replace', 'ssn 078-05-1120', 'ssn [us-ssn]'],
    ['@usssn', '078-05-1120', '***********'],
    ['@userpath', 'C:\\Users\\jane\\file.txt', 'C:\\Users\\[user]\\file.txt'],
    ['@userpath', '/home/jane/app', '/home/[user]/app'],
    ['@mac', 'nic 00:1a:2b:3c:4d:5e', 'nic *****************'],
    ['@mac:replace', '00-1a-2b-3c-4d-5e', '[mac]'],
    ['@uuid:replace', 'id 550e8400-e29b-41d4-a716-446655440000', 'id [uuid]'],
    ['@imei', 'imei 356938035643809', 'imei [imei]'],
    ['@iban', 'DE89370400440532013000', '[iban]'],
    ['@bearer', 'Authorization: Bearer abc.def', 'Authorization: Bearer [token]'],
    ['@password:replace', 'my password is x', '[password]'],
    [
      '@pemkey',
      '-----BEGIN PRIVATE KEY-----\nMIIabc\n-----END PRIVATE KEY-----',
      '-----BEGIN PRIVATE KEY-----\n[pemkey]\n-----END PRIVATE KEY-----',
    ],
    ['@anything', 'anything at all', '[Filtered]'],
  ])('%s turns %j into %j', (rule, input, output) => {
    const event = scrubWith({ extra: { value: input } }, '$string', rule);

    expect(extraOf(event).value).toBe(output);
  });

  it('skips card numbers that fail the Luhn check', () => {
    const event = scrubWith({ extra: { value: '4111 1111 1111 1112' } }, '$string', '@creditcard');

    expect(extraOf(event).value).toBe('4111 1111 1111 1112');
  });

  it('filters a value by its sensitive key', () => {
    const event = scrubWith(
      { extra: { API_KEY: 'k1', nested: { Client_Secret: 's1', plain: 'p' } } },
      '$string',
      '@password:filter',
    );

    expect(event.extra).toEqual({
      API_KEY: '[Filtered]',
      nested: { Client_Secret: '[Filtered]', plain: 'p' },
    });
  });

  it('removes containers and numbers under a sensitive key', () => {
    const event = scrubWith(
      { extra: { password: { a: 1 }, token_count: 5, list: [1, 2] } },
      '$object || $number || $array',
      '@password:filter',
    );

    expect(event.extra).toEqual({ list: [1, 2] });
  });
});

describe('redaction methods', () => {
  const rules = (method: string, text?: string): PiiConfig['rules'] => ({
    secret: { type: 'pattern', pattern: 'S3CRET', redaction: { method, text } as never },
  });

  it('replaces with the given text', () => {
    const event = scrubWith({ extra: { v: 'a S3CRET b' } }, '$string', rules('replace', '<gone>'));

    expect(extraOf(event).v).toBe('a <gone> b');
  });

  it('masks every character', () => {
    const event = scrubWith({ extra: { v: 'a S3CRET b' } }, '$string', rules('mask'));

    expect(extraOf(event).v).toBe('a ****** b');
  });

  it('hashes with HMAC-SHA256 in upper-case hex', () => {
    const event = scrubWith({ extra: { v: 'S3CRET' } }, '$string', rules('hash'));

    expect(extraOf(event).v).toMatch(/^[0-9A-F]{64}$/);
  });

  it('removes the match', () => {
    const event = scrubWith({ extra: { v: 'a S3CRET b' } }, '$string', rules('remove'));

    expect(extraOf(event).v).toBe('a  b');
  });

  it('stops a runaway user pattern inside one match and redacts the value whole', () => {
    // `\w+\w+!` backtracks over every split of a long word without a "!", for many seconds.
    const long = 'a'.repeat(10_000);
    const event = scrubWith({ extra: { v: long, w: 'short' } }, '$string', {
      slow: { type: 'pattern', pattern: '\\w+\\w+!', redaction: { method: 'replace', text: 'X' } },
    });

    expect(extraOf(event).v).toBe('X');
    expect(extraOf(event).w).toBe('X');
  });

  it('replaces only the chosen groups', () => {
    const event = scrubWith({ extra: { v: 'user=jane;' } }, '$string', {
      group: {
        type: 'pattern',
        pattern: 'user=([a-z]+)',
        replaceGroups: [1],
        redaction: { method: 'replace', text: 'X' },
      },
    });

    expect(extraOf(event).v).toBe('user=X;');
  });

  it('filters values under keys that a redact_pair pattern matches', () => {
    const event = scrubWith({ extra: { internal_ref: 'r-1', other: 'o' } }, '$string', {
      pair: {
        type: 'redact_pair',
        keyPattern: 'internal_.*',
        redaction: { method: 'replace', text: 'X' },
      },
    });

    expect(event.extra).toEqual({ internal_ref: 'X', other: 'o' });
  });
});

describe('selectors', () => {
  const event = () => ({
    extra: { foo: 'secret-a', bar: 'secret-b' },
    request: {
      headers: [
        ['X-Custom', 'secret-c'],
        ['Accept', 'secret-d'],
      ],
    },
    exception: {
      values: [
        {
          value: 'secret-e',
          stacktrace: { frames: [{ function: 'f', vars: { deep: { inner: 'secret-f' } } }] },
        },
      ],
    },
    event_id: 'secret-g',
  });

  it.each([
    ['extra.foo', ['secret-b', 'secret-c', 'secret-d', 'secret-e', 'secret-f', 'secret-g']],
    [
      '$http.headers.x-custom',
      ['secret-a', 'secret-b', 'secret-d', 'secret-e', 'secret-f', 'secret-g'],
    ],
    ['$frame.vars.**', ['secret-a', 'secret-b', 'secret-c', 'secret-d', 'secret-e', 'secret-g']],
    ['$error.value', ['secret-a', 'secret-b', 'secret-c', 'secret-d', 'secret-f', 'secret-g']],
    ['extra.foo || extra.bar', ['secret-c', 'secret-d', 'secret-e', 'secret-f', 'secret-g']],
    ['$string && !extra.foo', ['secret-a', 'secret-g']],
    ['**', ['secret-g']],
  ])('%s leaves exactly %j', (selector, kept) => {
    const text = JSON.stringify(scrubWith(event(), selector, '@anything:replace'));
    const survivors = ['a', 'b', 'c', 'd', 'e', 'f', 'g']
      .map((letter) => `secret-${letter}`)
      .filter((secret) => text.includes(secret));

    expect(survivors).toEqual(kept);
  });

  it('never scrubs fields that are not PII, such as event_id', () => {
    const scrubbed = scrubWith({ event_id: 'abc', level: 'error' }, '$string', '@anything:remove');

    expect(scrubbed).toEqual({ event_id: 'abc', level: 'error' });
  });
});

describe('_meta remarks', () => {
  it('records the rule, the range and the original length', () => {
    const event = { extra: { v: 'ip 10.0.0.1' } };
    const report = scrubPayload(
      event,
      EVENT_SPEC,
      compilePiiConfig({ applications: { $string: ['@ip'] } }),
    );

    expect(report.meta).toEqual({ extra: { v: { '': { rem: [['@ip', 's', 3, 7]], len: 11 } } } });
    expect(report.changedPaths).toEqual(['extra.v']);
  });
});
