import { describe, expect, it } from 'vitest';

import {
  MAX_ATTRIBUTE_VALUE_BYTES,
  MAX_ITEM_ATTRIBUTE_BYTES,
  toSentryAttribute,
  truncateUtf8,
} from './otlp-attributes.js';
import type { KeyValue, OtlpSpan } from './otlp-model.js';
import { convertTraceRequest } from './span-conversion.js';

function stringValue(key: string, value: string): KeyValue {
  return { key, value: { kind: 'string', value } };
}

function makeSpan(attributes: KeyValue[]): OtlpSpan {
  return {
    traceId: '89143b0763095bd9c9955e8175d1fb23',
    spanId: '0c7a7dea069bf5a6',
    parentSpanId: '',
    name: 'GET /orders',
    kind: 2,
    startTimeUnixNano: 1_697_620_454_980_000_000n,
    endTimeUnixNano: 1_697_620_454_980_078_800n,
    attributes,
    statusCode: 0,
    statusMessage: '',
    flags: 0,
  };
}

describe('truncateUtf8', () => {
  it('keeps a string within the limit', () => {
    expect(truncateUtf8('short')).toBe('short');
  });

  it('cuts an ASCII string to the limit', () => {
    expect(truncateUtf8('a'.repeat(20_000))).toHaveLength(MAX_ATTRIBUTE_VALUE_BYTES);
  });

  it('cuts between multi-byte characters', () => {
    const cut = truncateUtf8('€'.repeat(5_000));

    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(MAX_ATTRIBUTE_VALUE_BYTES);
    expect(cut).toBe('€'.repeat(Math.floor(MAX_ATTRIBUTE_VALUE_BYTES / 3)));
  });
});

describe('toSentryAttribute', () => {
  it('cuts long bytes and list values', () => {
    const bytes = toSentryAttribute({ kind: 'bytes', value: new Uint8Array(20_000) });
    const list = toSentryAttribute({
      kind: 'array',
      values: Array.from({ length: 5_000 }, () => ({ kind: 'string', value: 'item' }) as const),
    });

    expect(Buffer.byteLength(String(bytes?.value))).toBeLessThanOrEqual(MAX_ATTRIBUTE_VALUE_BYTES);
    expect(Buffer.byteLength(String(list?.value))).toBe(MAX_ATTRIBUTE_VALUE_BYTES);
  });
});

describe('span attributes', () => {
  it('leaves out attributes past the per-span size', () => {
    const large = Array.from({ length: 20 }, (_, index) =>
      stringValue(`large.${index}`, 'v'.repeat(MAX_ATTRIBUTE_VALUE_BYTES)),
    );

    const { spans } = convertTraceRequest([
      {
        resource: large,
        scope: undefined,
        entries: [makeSpan([stringValue('http.method', 'GET')])],
      },
    ]);

    const attributes = spans[0]!.attributes;
    const largeKept = Object.keys(attributes).filter((key) => key.startsWith('large.'));
    expect(largeKept.length * MAX_ATTRIBUTE_VALUE_BYTES).toBeLessThanOrEqual(
      MAX_ITEM_ATTRIBUTE_BYTES,
    );
    expect(largeKept.length).toBe(7);
    expect(attributes['http.method']).toEqual({ type: 'string', value: 'GET' });
    expect(attributes['sentry.op']).toEqual({ type: 'string', value: 'http.server' });
  });

  it('cuts a long segment name copied to child spans', () => {
    const root = { ...makeSpan([]), name: 'n'.repeat(50_000) };
    const child = { ...makeSpan([]), spanId: 'e342abb1214ca181', parentSpanId: root.spanId };

    const { spans } = convertTraceRequest([
      { resource: [], scope: undefined, entries: [root, child] },
    ]);

    const segmentName = spans[1]!.attributes['sentry.segment.name']?.value as string;
    expect(segmentName).toHaveLength(MAX_ATTRIBUTE_VALUE_BYTES);
  });
});
