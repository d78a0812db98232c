import { describe, expect, it } from 'vitest';

import type { KeyValue, OtlpSpan, TraceRequest } from './otlp-model.js';
import { convertTraceRequest, deriveOp } from './span-conversion.js';
import { createAttributes } from './otlp-attributes.js';

const TRACE_ID = '89143b0763095bd9c9955e8175d1fb23';
const ROOT_ID = '0c7a7dea069bf5a6';
const CHILD_ID = 'e342abb1214ca181';
const GRANDCHILD_ID = 'a1b2c3d4e5f60718';

function stringValue(key: string, value: string): KeyValue {
  return { key, value: { kind: 'string', value } };
}

function makeSpan(overrides: Partial<OtlpSpan> = {}): OtlpSpan {
  return {
    traceId: TRACE_ID,
    spanId: ROOT_ID,
    parentSpanId: '',
    name: 'GET /orders',
    kind: 2,
    startTimeUnixNano: 1_697_620_454_980_000_000n,
    endTimeUnixNano: 1_697_620_454_980_078_800n,
    attributes: [],
    statusCode: 0,
    statusMessage: '',
    flags: 0,
    ...overrides,
  };
}

function request(spans: OtlpSpan[], resource: KeyValue[] = []): TraceRequest {
  return [
    { resource, scope: { name: 'my-scope', version: '0.1.0', attributes: [] }, entries: spans },
  ];
}

describe('convertTraceRequest', () => {
  it('converts a server span to a span v2 item', () => {
    const { spans } = convertTraceRequest(
      request(
        [makeSpan({ attributes: [stringValue('http.request.method', 'GET')] })],
        [
          stringValue('service.name', 'checkout'),
          stringValue('service.version', '1.2.3'),
          stringValue('deployment.environment.name', 'production'),
        ],
      ),
    );

    expect(JSON.parse(JSON.stringify(spans))).toEqual([
      {
        trace_id: TRACE_ID,
        span_id: ROOT_ID,
        name: 'GET /orders',
        status: 'ok',
        kind: 'server',
        start_timestamp: 1_697_620_454.98,
        end_timestamp: 1_697_620_454.980078,
        is_remote: false,
        attributes: {
          'service.name': { type: 'string', value: 'checkout' },
          'service.version': { type: 'string', value: '1.2.3' },
          'deployment.environment.name': { type: 'string', value: 'production' },
          'instrumentation.name': { type: 'string', value: 'my-scope' },
          'instrumentation.version': { type: 'string', value: '0.1.0' },
          'http.request.method': { type: 'string', value: 'GET' },
          'sentry.op': { type: 'string', value: 'http.server' },
          'sentry.release': { type: 'string', value: '1.2.3' },
          'sentry.environment': { type: 'string', value: 'production' },
          'sentry.segment.name': { type: 'string', value: 'GET /orders' },
          'sentry.segment.id': { type: 'string', value: ROOT_ID },
        },
      },
    ]);
  });

  it('lets span attributes override resource attributes', () => {
    const { spans } = convertTraceRequest(
      request(
        [makeSpan({ attributes: [stringValue('service.version', '2.0.0')] })],
        [stringValue('service.version', '1.2.3')],
      ),
    );

    expect(spans[0]!.attributes['sentry.release']).toEqual({ type: 'string', value: '2.0.0' });
  });

  it('keeps a release the span sets itself', () => {
    const { spans } = convertTraceRequest(
      request(
        [makeSpan({ attributes: [stringValue('sentry.release', 'web@5')] })],
        [stringValue('service.version', '1.2.3')],
      ),
    );

    expect(spans[0]!.attributes['sentry.release']).toEqual({ type: 'string', value: 'web@5' });
  });

  it('reads the older deployment.environment', () => {
    const { spans } = convertTraceRequest(
      request([makeSpan()], [stringValue('deployment.environment', 'staging')]),
    );

    expect(spans[0]!.attributes['sentry.environment']?.value).toBe('staging');
  });

  it('finds the segment of nested spans in any order', () => {
    const { spans } = convertTraceRequest(
      request([
        makeSpan({ spanId: GRANDCHILD_ID, parentSpanId: CHILD_ID, name: 'SELECT orders' }),
        makeSpan({ spanId: CHILD_ID, parentSpanId: ROOT_ID, name: 'load orders', kind: 1 }),
        makeSpan({ spanId: ROOT_ID, name: 'GET /orders' }),
      ]),
    );

    for (const span of spans) {
      expect(span.attributes['sentry.segment.name']?.value, span.name).toBe('GET /orders');
      expect(span.attributes['sentry.segment.id']?.value, span.name).toBe(ROOT_ID);
    }
    expect(spans[0]!.parent_span_id).toBe(CHILD_ID);
  });

  it('starts a segment at a span whose parent is remote', () => {
    const { spans } = convertTraceRequest(
      request([
        makeSpan({ spanId: ROOT_ID, name: 'browser' }),
        makeSpan({ spanId: CHILD_ID, parentSpanId: ROOT_ID, name: 'api', flags: 0x300 }),
      ]),
    );

    expect(spans[1]!.is_remote).toBe(true);
    expect(spans[1]!.attributes['sentry.segment.name']?.value).toBe('api');
  });

  it('starts a segment at a span whose parent is not in the request', () => {
    const { spans } = convertTraceRequest(
      request([makeSpan({ spanId: CHILD_ID, parentSpanId: ROOT_ID, name: 'worker job' })]),
    );

    expect(spans[0]!.attributes['sentry.segment.id']?.value).toBe(CHILD_ID);
  });

  it('starts no segment at orphan inner spans', () => {
    const { spans } = convertTraceRequest(
      request([
        makeSpan({ spanId: CHILD_ID, parentSpanId: ROOT_ID, name: 'SELECT orders', kind: 3 }),
        makeSpan({ spanId: GRANDCHILD_ID, parentSpanId: CHILD_ID, name: 'parse', kind: 1 }),
      ]),
    );

    for (const span of spans) {
      expect(span.attributes['sentry.segment.id'], span.name).toBeUndefined();
      expect(span.attributes['sentry.segment.name'], span.name).toBeUndefined();
    }
  });

  it('stops at a cycle of parent ids', () => {
    const { spans } = convertTraceRequest(
      request([
        makeSpan({ spanId: ROOT_ID, parentSpanId: CHILD_ID, name: 'a' }),
        makeSpan({ spanId: CHILD_ID, parentSpanId: ROOT_ID, name: 'b' }),
      ]),
    );

    expect(spans).toHaveLength(2);
  });

  it('maps an error status and keeps its message', () => {
    const { spans } = convertTraceRequest(
      request([makeSpan({ statusCode: 2, statusMessage: 'connection reset' })]),
    );

    expect(spans[0]!.status).toBe('error');
    expect(spans[0]!.attributes['sentry.status.message']?.value).toBe('connection reset');
  });

  it('names a span without a name by its operation', () => {
    const { spans } = convertTraceRequest(
      request([makeSpan({ name: '', kind: 3, attributes: [stringValue('db.system', 'pg')] })]),
    );

    expect(spans[0]!.name).toBe('db');
  });

  it('reads an unspecified or unknown kind as internal', () => {
    const { spans } = convertTraceRequest(
      request([makeSpan({ kind: 0 }), makeSpan({ spanId: CHILD_ID, kind: 42 })]),
    );

    expect(spans.map((span) => span.kind)).toEqual(['internal', 'internal']);
  });

  it('counts spans with bad ids or times and keeps the others', () => {
    const { spans, rejected } = convertTraceRequest(
      request([
        makeSpan({ traceId: 'abc' }),
        makeSpan({ traceId: '0'.repeat(32) }),
        makeSpan({ spanId: 'xyz' }),
        makeSpan({ parentSpanId: '12' }),
        makeSpan({ startTimeUnixNano: 0n }),
        makeSpan({ endTimeUnixNano: 1n }),
        makeSpan({ name: 'kept' }),
      ]),
    );

    expect(spans.map((span) => span.name)).toEqual(['kept']);
    expect(Object.fromEntries(rejected)).toEqual({
      invalid_trace_id: 2,
      invalid_span_id: 2,
      invalid_timestamp: 2,
    });
  });

  it('converts attribute values of every kind', () => {
    const { spans } = convertTraceRequest(
      request([
        makeSpan({
          attributes: [
            { key: 'int', value: { kind: 'int', value: 42n } },
            { key: 'huge', value: { kind: 'int', value: 9_007_199_254_740_993n } },
            { key: 'double', value: { kind: 'double', value: 0.25 } },
            { key: 'infinite', value: { kind: 'double', value: Number.POSITIVE_INFINITY } },
            { key: 'bool', value: { kind: 'bool', value: false } },
            { key: 'bytes', value: { kind: 'bytes', value: Uint8Array.from([1, 2, 3]) } },
            {
              key: 'array',
              value: {
                kind: 'array',
                values: [
                  { kind: 'string', value: 'a' },
                  { kind: 'int', value: 1n },
                ],
              },
            },
            {
              key: 'map',
              value: { kind: 'kvlist', values: [stringValue('__proto__', 'x')] },
            },
            { key: 'empty', value: undefined },
            stringValue('', 'no key'),
          ],
        }),
      ]),
    );
    const attributes = spans[0]!.attributes;

    expect(attributes.int).toEqual({ type: 'integer', value: 42 });
    expect(attributes.huge).toEqual({ type: 'integer', value: '9007199254740993' });
    expect(attributes.double).toEqual({ type: 'double', value: 0.25 });
    expect(attributes.bool).toEqual({ type: 'boolean', value: false });
    expect(attributes.bytes).toEqual({ type: 'string', value: 'AQID' });
    expect(attributes.array).toEqual({ type: 'string', value: '["a",1]' });
    expect(attributes.map).toEqual({ type: 'string', value: '{"__proto__":"x"}' });
    expect(Object.keys(attributes)).not.toContain('infinite');
    expect(Object.keys(attributes)).not.toContain('empty');
    expect(Object.keys(attributes)).not.toContain('');
  });
});

describe('deriveOp', () => {
  const withKeys = (...keys: string[]) => {
    const attributes = createAttributes();
    for (const key of keys) {
      attributes[key] = { type: 'string', value: 'x' };
    }
    return attributes;
  };

  it.each([
    [['http.request.method'], 'server', 'http.server'],
    [['http.method'], 'client', 'http.client'],
    [['http.request.method'], 'internal', 'http'],
    [['db.system.name'], 'client', 'db'],
    [['db.system'], 'client', 'db'],
    [['gen_ai.system'], 'client', 'gen_ai'],
    [['rpc.service'], 'server', 'rpc'],
    [['messaging.system'], 'producer', 'message'],
    [[], 'server', 'default'],
  ] as const)('maps %o of a %s span to %s', (keys, kind, op) => {
    expect(deriveOp(withKeys(...keys), kind)).toBe(op);
  });

  it('uses the FaaS trigger', () => {
    const attributes = createAttributes();
    attributes['faas.trigger'] = { type: 'string', value: 'http' };

    expect(deriveOp(attributes, 'server')).toBe('http');
  });
});
