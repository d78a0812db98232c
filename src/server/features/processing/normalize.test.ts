import { describe, expect, it } from 'vitest';

import type { NormalizeContext } from './normalize.js';
import { normalizeEvent } from './normalize.js';

const RECEIVED_AT_MS = Date.UTC(2026, 0, 15, 12, 0, 0);
const RECEIVED_SECONDS = RECEIVED_AT_MS / 1000;

const CONTEXT: NormalizeContext = {
  eventId: undefined,
  receivedAt: RECEIVED_AT_MS,
  sentAt: undefined,
  clientIp: '198.51.100.4',
  client: undefined,
};

function normalize(raw: Record<string, unknown>, context: Partial<NormalizeContext> = {}) {
  return normalizeEvent(raw, { ...CONTEXT, ...context });
}

describe('normalizeEvent timestamps', () => {
  it.each([
    ['a float', RECEIVED_SECONDS - 10.25, RECEIVED_SECONDS - 10.25],
    ['an ISO string with Z', '2026-01-15T11:59:50Z', RECEIVED_SECONDS - 10],
    ['an ISO string with an offset', '2026-01-15T13:59:50+02:00', RECEIVED_SECONDS - 10],
    ['a naive ISO string', '2026-01-15T11:59:50.5', RECEIVED_SECONDS - 9.5],
    ['microseconds', '2026-01-15T11:59:50.123456Z', RECEIVED_SECONDS - 10 + 0.123456],
    ['a numeric string', String(RECEIVED_SECONDS - 3), RECEIVED_SECONDS - 3],
  ])('reads %s', (_name, input, expected) => {
    const event = normalize({ timestamp: input });

    expect(event.timestamp).toBeCloseTo(expected, 6);
    expect(event.errors).toEqual([]);
  });

  it('uses the receive time when the timestamp is missing', () => {
    const event = normalize({});

    expect(event.timestamp).toBe(RECEIVED_SECONDS);
    expect(event.received).toBe(RECEIVED_SECONDS);
  });

  it('records an invalid timestamp and falls back to the receive time', () => {
    const event = normalize({ timestamp: 'yesterday' });

    expect(event.timestamp).toBe(RECEIVED_SECONDS);
    expect(event.errors).toContainEqual({
      type: 'invalid_data',
      name: 'timestamp',
      value: 'yesterday',
    });
  });

  it('replaces a timestamp far in the future', () => {
    const event = normalize({ timestamp: RECEIVED_SECONDS + 3600 });

    expect(event.timestamp).toBe(RECEIVED_SECONDS);
    expect(event.errors[0]?.type).toBe('future_timestamp');
  });

  it('replaces a timestamp older than 30 days', () => {
    const event = normalize({ timestamp: RECEIVED_SECONDS - 31 * 86400 });

    expect(event.timestamp).toBe(RECEIVED_SECONDS);
    expect(event.errors[0]?.type).toBe('past_timestamp');
  });
});

describe('normalizeEvent clock drift', () => {
  it('shifts event and breadcrumb times when sent_at is an hour behind', () => {
    const clientNow = RECEIVED_SECONDS - 3600;
    const event = normalize(
      { timestamp: clientNow - 5, breadcrumbs: [{ timestamp: clientNow - 20, message: 'step' }] },
      { sentAt: new Date(clientNow * 1000).toISOString() },
    );

    expect(event.timestamp).toBeCloseTo(RECEIVED_SECONDS - 5, 6);
    expect(event.breadcrumbs?.values[0]?.timestamp).toBeCloseTo(RECEIVED_SECONDS - 20, 6);
    expect(event.errors[0]).toMatchObject({ type: 'clock_drift', name: 'timestamp' });
  });

  it('leaves times alone when the clocks differ by less than 60 s', () => {
    const event = normalize(
      { timestamp: RECEIVED_SECONDS - 30 },
      { sentAt: new Date((RECEIVED_SECONDS - 30) * 1000).toISOString() },
    );

    expect(event.timestamp).toBe(RECEIVED_SECONDS - 30);
    expect(event.errors).toEqual([]);
  });
});

describe('normalizeEvent identity fields', () => {
  it('prefers the envelope event id and lowercases a hyphenated one', () => {
    const event = normalize(
      { event_id: 'ffffffffffffffffffffffffffffffff' },
      { eventId: '23063985-3411-4760-B9EF-DF97CA751921' },
    );

    expect(event.event_id).toBe('2306398534114760b9efdf97ca751921');
  });

  it('generates an event id when the payload id is invalid', () => {
    const event = normalize({ event_id: 'not-an-id' });

    expect(event.event_id).toMatch(/^[0-9a-f]{32}$/);
    expect(event.errors).toContainEqual({
      type: 'invalid_data',
      name: 'event_id',
      value: 'not-an-id',
    });
  });

  it.each([
    ['log', 'info'],
    ['critical', 'fatal'],
    ['warn', 'warning'],
    ['WARNING', 'warning'],
    [10, 'debug'],
    [20, 'info'],
    [30, 'warning'],
    [40, 'error'],
    [50, 'fatal'],
  ])('maps level %s to %s', (input, expected) => {
    expect(normalize({ level: input }).level).toBe(expected);
  });

  it('defaults an unknown level to error with an error entry', () => {
    const event = normalize({ level: 'loud' });

    expect(event.level).toBe('error');
    expect(event.errors).toContainEqual({ type: 'invalid_data', name: 'level', value: 'loud' });
  });

  it('turns an unknown platform into other', () => {
    expect(normalize({ platform: 'cobol' }).platform).toBe('other');
    expect(normalize({ platform: 'python' }).platform).toBe('python');
  });

  it('derives the sdk from the sentry_client value when missing', () => {
    expect(normalize({}, { client: 'sentry.python/1.9.10' }).sdk).toEqual({
      name: 'sentry.python',
      version: '1.9.10',
    });
  });

  it('removes an invalid release and trims an over-long logger', () => {
    const event = normalize({ release: 'a/b', logger: 'x'.repeat(100), dist: '  ' });

    expect(event.release).toBeUndefined();
    expect(event.logger).toHaveLength(64);
    expect(event.dist).toBeUndefined();
    expect(event.errors).toContainEqual({ type: 'invalid_data', name: 'release', value: 'a/b' });
  });
});

describe('normalizeEvent tags', () => {
  it('accepts tags as pairs and coerces values to strings', () => {
    const event = normalize({
      tags: [
        ['a', 'x'],
        ['b', 5],
        ['c', true],
      ],
    });

    expect(event.tags).toEqual([
      ['a', 'x'],
      ['b', '5'],
      ['c', 'true'],
    ]);
  });

  it('drops invalid and reserved tags and moves environment up', () => {
    const event = normalize({
      tags: {
        ok: 'yes',
        long: 'v'.repeat(201),
        release: '1.0',
        obj: { a: 1 },
        environment: 'staging',
      },
    });

    expect(event.tags).toEqual([['ok', 'yes']]);
    expect(event.environment).toBe('staging');
    expect(event.errors.map((error) => error.name)).toEqual(['tags.long', 'tags.obj']);
  });
});

describe('normalizeEvent breadcrumbs', () => {
  it('accepts a bare list and fills type and level', () => {
    const event = normalize({
      breadcrumbs: [{ message: 'a', level: 'log', timestamp: '2026-01-15T11:00:00Z' }],
    });

    expect(event.breadcrumbs?.values).toEqual([
      { type: 'default', level: 'info', message: 'a', timestamp: RECEIVED_SECONDS - 3600 },
    ]);
  });

  it('keeps the newest 100 breadcrumbs', () => {
    const crumbs = Array.from({ length: 150 }, (_, index) => ({ message: `crumb ${index}` }));
    const values = normalize({ breadcrumbs: { values: crumbs } }).breadcrumbs?.values ?? [];

    expect(values).toHaveLength(100);
    expect(values[0]?.message).toBe('crumb 50');
    expect(values[99]?.message).toBe('crumb 149');
  });
});

describe('normalizeEvent exceptions', () => {
  it('accepts a bare exception list and sets the type to error', () => {
    const event = normalize({ exception: [{ type: 'ValueError', value: 'bad' }] });

    expect(event.type).toBe('error');
    expect(event.exception?.values).toEqual([{ type: 'ValueError', value: 'bad' }]);
  });

  it('splits a type out of a value like "Foo: bar"', () => {
    const event = normalize({ exception: { values: [{ value: 'KeyError: missing' }] } });

    expect(event.exception?.values[0]).toEqual({ type: 'KeyError', value: 'missing' });
  });

  it('drops an exception with neither type nor value', () => {
    const event = normalize({ exception: { values: [{ module: 'x' }] } });

    expect(event.exception).toBeUndefined();
    expect(event.type).toBe('default');
    expect(event.errors[0]).toMatchObject({ type: 'missing_attribute' });
  });

  it('moves a top-level stack trace into the only exception', () => {
    const event = normalize({
      exception: [{ type: 'E' }],
      stacktrace: { frames: [{ function: 'f' }] },
    });

    expect(event.exception?.values[0]?.stacktrace?.frames).toEqual([{ function: 'f' }]);
    expect(event.stacktrace).toBeUndefined();
  });

  it('infers in_app only where the SDK left it out', () => {
    const frames = [
      { filename: '/app/node_modules/lib/index.js' },
      { filename: 'node:internal/process/task_queues' },
      { abs_path: '/usr/lib/python3/dist-packages/requests/api.py' },
      { abs_path: '/usr/lib/python3.11/json/decoder.py' },
      { abs_path: '/var/lib/gems/3.1.0/gems/rack-2.2.4/lib/rack.rb' },
      { filename: '/app/node_modules/mine.js', in_app: true },
      { filename: '/app/src/index.js' },
    ];
    const result = normalize({ exception: [{ type: 'E', stacktrace: { frames } }] });
    const inApp = result.exception?.values[0]?.stacktrace?.frames.map((frame) => frame.in_app);

    expect(inApp).toEqual([false, false, false, false, false, true, undefined]);
  });

  it('keeps the first and last 125 of 300 frames', () => {
    const frames = Array.from({ length: 300 }, (_, index) => ({ function: `f${index}` }));
    const stacktrace = normalize({ exception: [{ type: 'E', stacktrace: { frames } }] }).exception
      ?.values[0]?.stacktrace;

    expect(stacktrace?.frames).toHaveLength(250);
    expect(stacktrace?.frames[124]?.function).toBe('f124');
    expect(stacktrace?.frames[125]?.function).toBe('f175');
    expect(stacktrace?.frames_omitted).toEqual([125, 175]);
  });

  it('drops the placeholder function name "?"', () => {
    const event = normalize({
      exception: [{ type: 'E', stacktrace: { frames: [{ function: '?', lineno: 3 }] } }],
    });

    expect(event.exception?.values[0]?.stacktrace?.frames[0]).toEqual({ lineno: 3 });
  });
});

const RAW_STACK = [
  'TypeError: x is undefined',
  '    at render (https://app.example.com/static/app.js:1:200)',
  '    at https://app.example.com/static/app.js:1:50',
].join('\n');

describe('normalizeEvent raw stack strings', () => {
  it('parses a stacktrace sent as a string on a javascript event', () => {
    const event = normalize({
      platform: 'javascript',
      exception: [{ type: 'TypeError', stacktrace: RAW_STACK }],
    });

    expect(event.exception?.values[0]?.stacktrace?.frames).toEqual([
      {
        filename: '/static/app.js',
        abs_path: 'https://app.example.com/static/app.js',
        lineno: 1,
        colno: 50,
      },
      {
        filename: '/static/app.js',
        abs_path: 'https://app.example.com/static/app.js',
        function: 'render',
        lineno: 1,
        colno: 200,
      },
    ]);
    expect(event.errors).toEqual([]);
  });

  it('records a string stacktrace on a python event as invalid', () => {
    const event = normalize({
      platform: 'python',
      exception: [{ type: 'TypeError', stacktrace: RAW_STACK }],
    });

    expect(event.exception?.values[0]?.stacktrace).toBeUndefined();
    expect(event.errors).toContainEqual(
      expect.objectContaining({ type: 'invalid_data', name: 'exception.values.0.stacktrace' }),
    );
  });

  it('records a string stacktrace without frames as invalid', () => {
    const event = normalize({
      platform: 'node',
      exception: [{ type: 'Error', stacktrace: 'no frames here' }],
    });

    expect(event.exception?.values[0]?.stacktrace).toBeUndefined();
    expect(event.errors).toContainEqual(
      expect.objectContaining({ name: 'exception.values.0.stacktrace' }),
    );
  });

  it('takes the frames of extra.stack for the only exception', () => {
    const event = normalize({
      platform: 'node',
      exception: [{ type: 'TypeError', value: 'x is undefined' }],
      extra: { stack: RAW_STACK },
    });

    expect(event.exception?.values[0]?.stacktrace?.frames.map((frame) => frame.function)).toEqual([
      undefined,
      'render',
    ]);
    expect(event.extra.stack).toBe(RAW_STACK);
  });

  it('prefers a stack trace the event already has over extra.stack', () => {
    const event = normalize({
      platform: 'javascript',
      exception: [{ type: 'E', stacktrace: { frames: [{ function: 'sent' }] } }],
      extra: { stack: RAW_STACK },
    });

    expect(event.exception?.values[0]?.stacktrace?.frames).toEqual([{ function: 'sent' }]);
  });

  it('ignores extra.stack on other platforms and with several exceptions', () => {
    const python = normalize({
      platform: 'python',
      exception: [{ type: 'E' }],
      extra: { stack: RAW_STACK },
    });
    const chained = normalize({
      platform: 'javascript',
      exception: [{ type: 'E' }, { type: 'F' }],
      extra: { stack: RAW_STACK },
    });

    expect(python.exception?.values[0]?.stacktrace).toBeUndefined();
    expect(chained.exception?.values.map((value) => value.stacktrace)).toEqual([
      undefined,
      undefined,
    ]);
  });
});

describe('normalizeEvent message', () => {
  it('builds a logentry from a string message', () => {
    expect(normalize({ message: 'hello' }).message).toEqual({ formatted: 'hello' });
  });

  it('formats a logentry with parameters', () => {
    const event = normalize({
      logentry: { message: 'user %s failed %d times', params: ['bob', 3] },
    });

    expect(event.message).toEqual({
      formatted: 'user bob failed 3 times',
      message: 'user %s failed %d times',
      params: ['bob', 3],
    });
  });
});

describe('normalizeEvent user and request', () => {
  it('moves unknown user keys into data and fills {{auto}}', () => {
    const event = normalize({ user: { id: 42, ip_address: '{{auto}}', plan: 'pro' } });

    expect(event.user).toEqual({ id: '42', ip_address: '198.51.100.4', data: { plan: 'pro' } });
  });

  it('turns headers and cookies into pairs and splits the query from the url', () => {
    const event = normalize({
      request: {
        url: 'https://example.com/cart?item=1&x=a%20b#top',
        method: 'post',
        headers: { 'user-agent': 'curl/8', 'x-id': 5 },
        cookies: 'a=1; b=2',
      },
    });

    expect(event.request).toEqual({
      url: 'https://example.com/cart',
      method: 'POST',
      query_string: [
        ['item', '1'],
        ['x', 'a b'],
      ],
      fragment: 'top',
      headers: [
        ['User-Agent', 'curl/8'],
        ['X-Id', '5'],
      ],
      cookies: [
        ['a', '1'],
        ['b', '2'],
      ],
    });
  });

  it('accepts query_string as an object or as pairs', () => {
    expect(normalize({ request: { query_string: { a: '1' } } }).request?.query_string).toEqual([
      ['a', '1'],
    ]);
    expect(normalize({ request: { query_string: [['b', '2']] } }).request?.query_string).toEqual([
      ['b', '2'],
    ]);
  });
});

describe('normalizeEvent databags', () => {
  it('drops values nested deeper than 7 levels', () => {
    const deep = { l1: { l2: { l3: { l4: { l5: { l6: { l7: { l8: 'x' } } } } } } } };
    const extra = normalize({ extra: { deep } }).extra;

    expect(extra).toEqual({ deep: { l1: { l2: { l3: { l4: { l5: {} } } } } } });
  });

  it('cuts strings longer than 16 KiB', () => {
    const extra = normalize({ extra: { big: 'x'.repeat(20000) } }).extra;

    expect((extra.big as string).length).toBe(16 * 1024);
  });

  it('defaults each context type to its key', () => {
    const contexts = normalize({
      contexts: { os: { name: 'Linux' }, custom: { type: 'thing', a: 1 } },
    }).contexts;

    expect(contexts).toEqual({
      os: { name: 'Linux', type: 'os' },
      custom: { type: 'thing', a: 1 },
    });
  });
});

describe('normalizeEvent with garbage input', () => {
  const GARBAGE: unknown[] = [
    null,
    0,
    -1,
    1e308,
    NaN,
    true,
    'text',
    [],
    [1, 'a', null],
    {},
    { values: 5 },
    [[1, 2, 3]],
  ];
  const FIELDS = [
    'event_id',
    'timestamp',
    'level',
    'platform',
    'logger',
    'transaction',
    'server_name',
    'release',
    'dist',
    'environment',
    'message',
    'logentry',
    'tags',
    'extra',
    'contexts',
    'user',
    'request',
    'exception',
    'threads',
    'breadcrumbs',
    'fingerprint',
    'modules',
    'sdk',
    'debug_meta',
    'stacktrace',
    'checksum',
    'csp',
    'culprit',
  ];

  it('never throws for any field of any type', () => {
    for (const field of FIELDS) {
      for (const value of GARBAGE) {
        const event = normalize({ [field]: value });

        expect(event.event_id).toMatch(/^[0-9a-f]{32}$/);
        expect(Array.isArray(event.errors)).toBe(true);
      }
    }
  });

  it('never throws for garbage nested inside exceptions and requests', () => {
    for (const value of GARBAGE) {
      const raw = {
        exception: {
          values: [
            value,
            {
              type: value,
              value,
              mechanism: value,
              stacktrace: { frames: [value, { lineno: value, vars: value, pre_context: value }] },
            },
          ],
        },
        request: { headers: value, cookies: value, query_string: value, data: value, env: value },
        user: { id: value, geo: value, data: value },
        breadcrumbs: [value, { timestamp: value, level: value, data: value }],
      };

      expect(() => normalize(raw)).not.toThrow();
    }
  });

  it('keeps a __proto__ key as data without touching prototypes', () => {
    const raw = JSON.parse('{"extra": {"__proto__": {"polluted": true}}}') as Record<
      string,
      unknown
    >;
    const event = normalize(raw);

    expect(Object.keys(event.extra)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('records the path of a wrongly typed field', () => {
    const event = normalize({
      transaction: 42,
      exception: [{ type: 'E', stacktrace: { frames: [{ lineno: 'x' }] } }],
    });

    expect(event.transaction).toBeUndefined();
    expect(event.errors).toEqual([
      { type: 'invalid_data', name: 'exception.values.0.stacktrace.frames.0.lineno', value: 'x' },
      { type: 'invalid_data', name: 'transaction', value: 42 },
    ]);
  });
});
