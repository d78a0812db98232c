import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { normalizeEvent } from '../processing/normalize.js';

import { computeGrouping } from './compute-grouping.js';
import { normalizeMessageForGrouping } from './parameterize-message.js';

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

function group(raw: Record<string, unknown>, enhancements?: string) {
  const event = normalizeEvent(raw, {
    eventId: undefined,
    receivedAt: Date.UTC(2026, 0, 1),
    sentAt: undefined,
    clientIp: undefined,
    client: undefined,
  });
  return computeGrouping(event, { enhancements });
}

function nodeError(frames: Record<string, unknown>[], value = 'boom'): Record<string, unknown> {
  return {
    platform: 'node',
    exception: { values: [{ type: 'TypeError', value, stacktrace: { frames } }] },
  };
}

const APP_FRAME = {
  filename: '/srv/app/orders.js',
  module: 'orders',
  function: 'Orders.total',
  in_app: true,
};

describe('computeGrouping messages', () => {
  it('groups a message with other numbers into the same issue', () => {
    const first = group({ logentry: { formatted: 'Order 1234 failed after 3 retries' } });
    const second = group({ logentry: { formatted: 'Order 98 failed after 7 retries' } });

    expect(first.hashes).toEqual(second.hashes);
    expect(first.hashes).toEqual([md5('Order <int> failed after <int> retries')]);
  });

  it('groups by the message template rather than the formatted text', () => {
    const first = group({ logentry: { message: 'user %s logged in', params: ['alice'] } });
    const second = group({ logentry: { message: 'user %s logged in', params: ['bob'] } });

    expect(first.hashes).toEqual(second.hashes);
  });

  it.each([
    ['0xdeadbeef at 10.0.0.1', '<hex> at <ip>'],
    ['id 123e4567-e89b-12d3-a456-426614174000', 'id <uuid>'],
    ['mail bob@example.com now', 'mail <email> now'],
    ['see https://example.com/a?b=1 later', 'see <url> later'],
    ['at 2024-01-02T03:04:05Z', 'at <date>'],
    ['took 1.5s and 30ms', 'took <duration> and <duration>'],
    ['value=-3.25', 'value=<float>'],
    ['line one\n\nline two\nline three', 'line one\nline two...'],
  ])('parameterizes %j', (input, expected) => {
    expect(normalizeMessageForGrouping(input)).toBe(expected);
  });
});

describe('computeGrouping stack traces', () => {
  it('groups exceptions that differ only in a non-app frame', () => {
    const first = group(
      nodeError([{ filename: '/srv/app/node_modules/lib/a.js', function: 'runA' }, APP_FRAME]),
    );
    const second = group(
      nodeError([{ filename: '/srv/app/node_modules/lib/b.js', function: 'runB' }, APP_FRAME]),
    );

    expect(first.hashes[0]).toBe(second.hashes[0]);
    expect(first.variants.app?.hash).toBe(second.variants.app?.hash);
    expect(first.variants.system?.hash).not.toBe(second.variants.system?.hash);
  });

  it('hashes module, trimmed function and context line of a frame', () => {
    const result = group(nodeError([{ ...APP_FRAME, context_line: '  return  total();' }]));

    expect(result.hashes).toEqual([
      md5(['orders', 'total', 'return total();', 'TypeError'].join('')),
    ]);
  });

  it('ignores the exception value when a stack trace contributes', () => {
    const first = group(nodeError([APP_FRAME], 'order 1 missing'));
    const second = group(nodeError([APP_FRAME], 'completely different'));

    expect(first.hashes).toEqual(second.hashes);
  });

  it('uses the system stack trace when no frame is in app', () => {
    const result = group(
      nodeError([{ filename: '/srv/app/node_modules/lib/a.js', function: 'run' }], 'bad 42'),
    );

    expect(result.variants.app?.contributes).toBe(false);
    expect(result.variants.system?.contributes).toBe(true);
    expect(result.hashes).toEqual([md5('a.jsrunTypeError')]);
  });

  it('uses type and parameterized value without a stack trace', () => {
    const result = group({ exception: [{ type: 'ValueError', value: 'bad id 42' }] });

    expect(result.hashes).toEqual([md5('ValueErrorbad id <int>')]);
  });

  it('combines chained exceptions oldest first', () => {
    const result = group({
      exception: [
        { type: 'KeyError', value: 'a' },
        { type: 'RuntimeError', value: 'b' },
      ],
    });

    expect(result.variants.app?.component?.values[0]).toMatchObject({ id: 'chained-exception' });
    expect(result.hashes).toEqual([md5('KeyErroraRuntimeErrorb')]);
  });

  it('groups by the crashed thread when there is no exception', () => {
    const result = group({
      platform: 'python',
      threads: {
        values: [
          {
            id: 1,
            crashed: true,
            stacktrace: { frames: [{ module: 'worker', function: 'run', in_app: true }] },
          },
          { id: 2 },
        ],
      },
    });

    expect(result.hashes).toEqual([md5('workerrun')]);
  });

  it('applies project stack-trace rules', () => {
    const frames = [
      APP_FRAME,
      { filename: '/srv/app/helpers.js', module: 'helpers', function: 'wrap', in_app: true },
    ];
    const result = group(nodeError(frames), 'function:wrap -group');

    expect(result.hashes).toEqual([md5('orderstotalTypeError')]);
  });

  it('drops Node task-queue frames from grouping', () => {
    const result = group(
      nodeError([
        { filename: 'node:internal/process/task_queues', function: 'processTicksAndRejections' },
        APP_FRAME,
      ]),
    );

    expect(result.variants.system?.contributes).toBe(false);
    expect(result.hashes).toEqual([md5('orderstotalTypeError')]);
  });
});

describe('computeGrouping fingerprints', () => {
  it('keeps the default hash for {{ default }} alone', () => {
    const plain = group({ exception: [{ type: 'E', value: 'x' }] });
    const withDefault = group({
      exception: [{ type: 'E', value: 'x' }],
      fingerprint: ['{{ default }}'],
    });

    expect(withDefault.hashes).toEqual(plain.hashes);
  });

  it('salts the default hash with extra fingerprint values', () => {
    const result = group({
      exception: [{ type: 'E', value: 'x' }],
      fingerprint: ['{{ default }}', 'tenant-a'],
    });

    expect(result.variants.app?.type).toBe('salted_component');
    expect(result.hashes).toEqual([md5('Extenant-a')]);
  });

  it('replaces the hash with a custom fingerprint', () => {
    const result = group({
      exception: [{ type: 'E', value: 'x' }],
      fingerprint: ['db', 'timeout'],
    });

    expect(result.variants['custom-fingerprint']).toMatchObject({
      type: 'custom_fingerprint',
      values: ['db', 'timeout'],
    });
    expect(result.variants.app?.contributes).toBe(false);
    expect(result.hashes).toEqual([md5('dbtimeout')]);
  });

  it('resolves fingerprint variables', () => {
    const result = group({
      transaction: '/checkout',
      exception: [{ type: 'E', value: 'x' }],
      fingerprint: ['{{ transaction }}', '{{ type }}'],
    });

    expect(result.variants['custom-fingerprint']?.values).toEqual(['/checkout', 'E']);
  });

  it('groups JavaScript chunk load errors by the built-in rule', () => {
    const result = group({
      platform: 'javascript',
      exception: [{ type: 'ChunkLoadError', value: 'Loading chunk 7 failed' }],
    });

    expect(result.variants['built-in-fingerprint']?.hash).toBe(md5('chunkloaderror'));
    expect(result.hashes).toEqual([md5('chunkloaderror')]);
  });
});

describe('computeGrouping special cases', () => {
  it('uses a hex checksum as the hash', () => {
    expect(group({ checksum: 'ABCDEF0123456789abcdef0123456789', message: 'x' }).hashes).toEqual([
      'abcdef0123456789abcdef0123456789',
    ]);
  });

  it('hashes a non-hex checksum', () => {
    expect(group({ checksum: 'legacy', message: 'x' }).hashes).toEqual([md5('legacy')]);
  });

  it('falls back to the hash of nothing for an empty event', () => {
    const result = group({});

    expect(result.variants.fallback?.hash).toBe(md5(''));
    expect(result.hashes).toEqual([md5('')]);
  });
});
