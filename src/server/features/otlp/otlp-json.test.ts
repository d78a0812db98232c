import { describe, expect, it } from 'vitest';

import { readLogsRequest, readTraceRequest } from './otlp-json.js';

function spanRequest(span: Record<string, unknown>) {
  return { resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] };
}

describe('readTraceRequest', () => {
  it('fills protobuf defaults for missing fields', () => {
    const [group] = readTraceRequest(spanRequest({}));

    expect(group).toEqual({
      resource: [],
      scope: undefined,
      entries: [
        {
          traceId: '',
          spanId: '',
          parentSpanId: '',
          name: '',
          kind: 0,
          startTimeUnixNano: 0n,
          endTimeUnixNano: 0n,
          attributes: [],
          statusCode: 0,
          statusMessage: '',
          flags: 0,
        },
      ],
    });
  });

  it('accepts the proto field names and enum names', () => {
    const [group] = readTraceRequest({
      resource_spans: [
        {
          scope_spans: [
            {
              spans: [
                {
                  trace_id: 'AB',
                  start_time_unix_nano: '5',
                  kind: 'SPAN_KIND_CLIENT',
                  status: { code: 'STATUS_CODE_ERROR' },
                },
              ],
            },
          ],
        },
      ],
    });

    expect(group!.entries[0]).toMatchObject({
      traceId: 'ab',
      startTimeUnixNano: 5n,
      kind: 3,
      statusCode: 2,
    });
  });

  it('reads an empty request', () => {
    expect(readTraceRequest({})).toEqual([]);
  });

  it.each([
    ['a request that is an array', [], 'request must be an object'],
    [
      'spans that are not an array',
      { resourceSpans: [{ scopeSpans: [{ spans: {} }] }] },
      'resourceSpans[0].scopeSpans[0].spans must be an array',
    ],
    [
      'a time that is not an integer',
      spanRequest({ startTimeUnixNano: 'soon' }),
      'resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano must be an integer',
    ],
    [
      'a negative time',
      spanRequest({ endTimeUnixNano: '-5' }),
      'endTimeUnixNano must be an unsigned 64-bit integer',
    ],
    ['an unknown kind name', spanRequest({ kind: 'toString' }), 'kind must be an integer'],
    ['a name that is a number', spanRequest({ name: 5 }), 'spans[0].name must be a string'],
    [
      'an attribute list that is an object',
      spanRequest({ attributes: { key: 'a' } }),
      'spans[0].attributes must be an array',
    ],
    [
      'a boolean attribute that is a string',
      spanRequest({ attributes: [{ key: 'a', value: { boolValue: 'yes' } }] }),
      'attributes[0].value.boolValue must be true or false',
    ],
  ])('rejects %s', (_name, json, message) => {
    expect(() => readTraceRequest(json)).toThrow(message);
  });
});

describe('readLogsRequest', () => {
  it('reads attribute values of every kind', () => {
    const [group] = readLogsRequest({
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                {
                  attributes: [
                    // A JSON number past 2^53 arrives rounded, as JSON.parse reads it.
                    { key: 'int', value: JSON.parse('{"intValue":9007199254740993}') as unknown },
                    { key: 'big', value: { intValue: '18446744073709551615' } },
                    { key: 'nan', value: { doubleValue: 'NaN' } },
                    { key: 'empty', value: {} },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });

    expect(group!.entries[0]!.attributes).toEqual([
      { key: 'int', value: { kind: 'int', value: 9007199254740992n } },
      { key: 'big', value: { kind: 'int', value: -1n } },
      { key: 'nan', value: { kind: 'double', value: Number.NaN } },
      { key: 'empty', value: undefined },
    ]);
  });
});
