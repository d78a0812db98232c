import { gzipSync } from 'node:zlib';

import { describe, expect, it } from 'vitest';

import { readMinidumpContent } from './minidump-content.js';
import { buildMinidumpEvent } from './minidump-event.js';

const DUMP = Buffer.concat([Buffer.from('MDMP'), Buffer.alloc(60, 3)]);

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function* inChunks(content: Buffer, size: number) {
  for (let start = 0; start < content.length; start += size) {
    yield content.subarray(start, start + size);
  }
}

describe('readMinidumpContent', () => {
  it('passes a plain dump through, even in 1-byte chunks', async () => {
    await expect(collect(readMinidumpContent(inChunks(DUMP, 1), 1000))).resolves.toEqual(DUMP);
  });

  it('unwraps a gzip-compressed dump', async () => {
    const content = await collect(readMinidumpContent(inChunks(gzipSync(DUMP), 7), 1000));
    expect(content.equals(DUMP)).toBe(true);
  });

  it('accepts the big-endian signature', async () => {
    const dump = Buffer.concat([Buffer.from('PMDM'), Buffer.alloc(4)]);
    await expect(collect(readMinidumpContent(inChunks(dump, 3), 1000))).resolves.toEqual(dump);
  });

  it('rejects content without the signature', async () => {
    await expect(
      collect(readMinidumpContent(inChunks(Buffer.from('ELF...'), 2), 1000)),
    ).rejects.toMatchObject({
      status: 400,
    });
  });

  it('rejects an empty upload', async () => {
    await expect(
      collect(readMinidumpContent(inChunks(Buffer.alloc(0), 1), 1000)),
    ).rejects.toMatchObject({
      status: 400,
    });
  });

  it('rejects corrupt gzip data', async () => {
    const corrupt = Buffer.concat([gzipSync(DUMP).subarray(0, 12), Buffer.alloc(20, 0xff)]);
    await expect(collect(readMinidumpContent(inChunks(corrupt, 5), 1000))).rejects.toMatchObject({
      status: 400,
    });
  });

  it('stops a dump that inflates past the limit', async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.from('MDMP'), Buffer.alloc(10_000_000)]));
    await expect(collect(readMinidumpContent(inChunks(bomb, 1024), 100_000))).rejects.toMatchObject(
      {
        status: 413,
      },
    );
  });
});

describe('buildMinidumpEvent', () => {
  it('gives a fatal native Minidump event by default', () => {
    const { eventId, event } = buildMinidumpEvent([]);

    expect(eventId).toMatch(/^[0-9a-f]{32}$/);
    expect(event).toMatchObject({
      event_id: eventId,
      platform: 'native',
      level: 'fatal',
      exception: {
        values: [{ type: 'Minidump', mechanism: { type: 'minidump', handled: false } }],
      },
    });
  });

  it('merges bracket fields into the sentry event', () => {
    const { event } = buildMinidumpEvent([
      ['sentry', '{"event_id":"0123456789abcdef0123456789abcdef","tags":{"a":"1"}}'],
      ['sentry[tags][b]', '2'],
      ['sentry[release]', 'app@3'],
      ['ver', '3.0'],
    ]);

    expect(event).toMatchObject({
      event_id: '0123456789abcdef0123456789abcdef',
      tags: { a: '1', b: '2' },
      release: 'app@3',
      extra: { ver: '3.0' },
    });
  });

  it('keeps an exception the event names', () => {
    const { event } = buildMinidumpEvent([
      ['sentry', '{"exception":{"values":[{"type":"EXC_BAD_ACCESS"}]}}'],
    ]);
    expect(event.exception).toEqual({ values: [{ type: 'EXC_BAD_ACCESS' }] });
  });

  it('ignores prototype keys in field names', () => {
    const { event } = buildMinidumpEvent([
      ['sentry[__proto__][polluted]', 'yes'],
      ['sentry[constructor][prototype][polluted]', 'yes'],
      ['__proto__', 'yes'],
    ]);

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
    const extra = event.extra as Record<string, unknown>;
    expect(Object.getPrototypeOf(extra)).toBe(Object.prototype);
    expect(Object.keys(extra)).toEqual([
      'sentry[__proto__][polluted]',
      'sentry[constructor][prototype][polluted]',
    ]);
  });

  it('rejects a sentry field that is not an object', () => {
    expect(() => buildMinidumpEvent([['sentry', '[1,2]']])).toThrow(/must be a JSON object/);
  });

  it('rejects a deeply nested sentry field', () => {
    const depth = 100_000;
    const field = `{"extra":${'['.repeat(depth)}${']'.repeat(depth)}}`;

    expect(() => buildMinidumpEvent([['sentry', field]])).toThrow(/levels deep/);
  });
});
