import { describe, expect, it } from 'vitest';

import { WireWriter } from '../../platform/protobuf/index.js';
import { readLogsRequest, readTraceRequest } from './otlp-json.js';
import { OtlpDecodeError } from './otlp-model.js';
import { decodeLogsRequest, decodeTraceRequest } from './otlp-protobuf.js';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';
const PARENT_ID = '0c7a7dea069bf5a6';

function keyValue(key: string, value: WireWriter): WireWriter {
  return new WireWriter().string(1, key).message(2, value);
}

function hex(value: string): Uint8Array {
  return Buffer.from(value, 'hex');
}

/** Encodes the trace request of TRACE_JSON as protobuf. */
function traceProtobuf(): Uint8Array {
  const resource = new WireWriter()
    .message(1, keyValue('service.name', new WireWriter().string(1, 'checkout')))
    .message(1, keyValue('service.version', new WireWriter().string(1, '1.2.3')));
  const scope = new WireWriter().string(1, 'my-scope').string(2, '0.1.0');
  const span = new WireWriter()
    .bytes(1, hex(TRACE_ID))
    .bytes(2, hex(SPAN_ID))
    .string(3, 'vendor=state')
    .bytes(4, hex(PARENT_ID))
    .string(5, 'GET /orders')
    .varint(6, 2)
    .fixed64(7, 1_697_620_454_980_000_000n)
    .fixed64(8, 1_697_620_454_980_078_800n)
    .message(9, keyValue('http.request.method', new WireWriter().string(1, 'GET')))
    .message(9, keyValue('retries', new WireWriter().varint(3, -1n)))
    .message(9, keyValue('ratio', new WireWriter().double(4, 0.5)))
    .message(9, keyValue('cached', new WireWriter().varint(2, 1)))
    .message(
      9,
      keyValue(
        'tags',
        new WireWriter().message(
          5,
          new WireWriter()
            .message(1, new WireWriter().string(1, 'a'))
            .message(1, new WireWriter().varint(3, 7)),
        ),
      ),
    )
    .message(
      9,
      keyValue(
        'headers',
        new WireWriter().message(
          6,
          new WireWriter().message(1, keyValue('accept', new WireWriter().string(1, '*/*'))),
        ),
      ),
    )
    .message(9, keyValue('raw', new WireWriter().bytes(7, Uint8Array.from([1, 2, 3]))))
    .message(11, new WireWriter().string(2, 'an event'))
    .message(15, new WireWriter().string(2, 'boom').varint(3, 2))
    .fixed32(16, 0x301);
  const scopeSpans = new WireWriter().message(1, scope).message(2, span);
  const resourceSpans = new WireWriter().message(1, resource).message(2, scopeSpans);
  return new WireWriter().message(1, resourceSpans).finish();
}

const TRACE_JSON = {
  resourceSpans: [
    {
      resource: {
        attributes: [
          { key: 'service.name', value: { stringValue: 'checkout' } },
          { key: 'service.version', value: { stringValue: '1.2.3' } },
        ],
      },
      scopeSpans: [
        {
          scope: { name: 'my-scope', version: '0.1.0' },
          spans: [
            {
              traceId: TRACE_ID.toUpperCase(),
              spanId: SPAN_ID,
              traceState: 'vendor=state',
              parentSpanId: PARENT_ID,
              name: 'GET /orders',
              kind: 2,
              startTimeUnixNano: '1697620454980000000',
              endTimeUnixNano: 1_697_620_454_980_078_800,
              attributes: [
                { key: 'http.request.method', value: { stringValue: 'GET' } },
                { key: 'retries', value: { intValue: '-1' } },
                { key: 'ratio', value: { doubleValue: 0.5 } },
                { key: 'cached', value: { boolValue: true } },
                {
                  key: 'tags',
                  value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: 7 }] } },
                },
                {
                  key: 'headers',
                  value: {
                    kvlistValue: { values: [{ key: 'accept', value: { stringValue: '*/*' } }] },
                  },
                },
                { key: 'raw', value: { bytesValue: 'AQID' } },
              ],
              events: [{ name: 'an event' }],
              status: { message: 'boom', code: 2 },
              flags: 0x301,
            },
          ],
        },
      ],
    },
  ],
};

describe('decodeTraceRequest', () => {
  it('decodes what the JSON reader reads from the same request', () => {
    const decoded = decodeTraceRequest(traceProtobuf());
    const fromJson = readTraceRequest(TRACE_JSON);

    // A JSON number this large loses its last digits, as any double does.
    fromJson[0]!.entries[0]!.endTimeUnixNano = 1_697_620_454_980_078_800n;
    expect(decoded).toEqual(fromJson);
  });

  it('reads ids as lowercase hex and times as nanoseconds', () => {
    const [group] = decodeTraceRequest(traceProtobuf());
    const span = group!.entries[0]!;

    expect(span).toMatchObject({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      parentSpanId: PARENT_ID,
      kind: 2,
      startTimeUnixNano: 1_697_620_454_980_000_000n,
      statusCode: 2,
      statusMessage: 'boom',
      flags: 0x301,
    });
  });

  it('decodes an empty body as an empty request', () => {
    expect(decodeTraceRequest(new Uint8Array())).toEqual([]);
  });

  it('rejects a truncated body', () => {
    const bytes = traceProtobuf();

    expect(() => decodeTraceRequest(bytes.subarray(0, bytes.length - 3))).toThrow(OtlpDecodeError);
  });

  it('rejects bytes that are not protobuf', () => {
    expect(() => decodeTraceRequest(Buffer.from('{"resourceSpans":[]}'))).toThrow(
      /^Invalid protobuf ExportTraceServiceRequest: /,
    );
  });

  it('rejects values nested too deeply', () => {
    let value = new WireWriter().string(1, 'leaf');
    for (let depth = 0; depth < 40; depth += 1) {
      value = new WireWriter().message(5, new WireWriter().message(1, value));
    }
    const span = new WireWriter().message(9, keyValue('deep', value));
    const bytes = new WireWriter()
      .message(1, new WireWriter().message(2, new WireWriter().message(2, span)))
      .finish();

    expect(() => decodeTraceRequest(bytes)).toThrow(/nest more than 16 levels/);
  });
});

describe('decodeLogsRequest', () => {
  it('decodes the fields of a log record', () => {
    const record = new WireWriter()
      .fixed64(1, 1_544_712_660_300_000_000n)
      .varint(2, 10)
      .string(3, 'Information')
      .message(5, new WireWriter().string(1, 'Example log record'))
      .message(6, keyValue('user.id', new WireWriter().string(1, '7')))
      .fixed32(8, 1)
      .bytes(9, hex(TRACE_ID))
      .bytes(10, hex(SPAN_ID))
      .fixed64(11, 1_544_712_660_400_000_000n)
      .string(12, 'order.created');
    const scopeLogs = new WireWriter().message(2, record);
    const bytes = new WireWriter().message(1, new WireWriter().message(2, scopeLogs)).finish();

    const decoded = decodeLogsRequest(bytes);

    expect(decoded).toEqual(
      readLogsRequest({
        resourceLogs: [
          {
            scopeLogs: [
              {
                logRecords: [
                  {
                    timeUnixNano: '1544712660300000000',
                    observedTimeUnixNano: '1544712660400000000',
                    severityNumber: 'SEVERITY_NUMBER_INFO2',
                    severityText: 'Information',
                    body: { stringValue: 'Example log record' },
                    attributes: [{ key: 'user.id', value: { stringValue: '7' } }],
                    flags: 1,
                    traceId: TRACE_ID,
                    spanId: SPAN_ID,
                    eventName: 'order.created',
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
  });

  it('rejects a string field of invalid UTF-8', () => {
    const record = new WireWriter().bytes(3, Uint8Array.from([0xc3, 0x28]));
    const bytes = new WireWriter()
      .message(1, new WireWriter().message(2, new WireWriter().message(2, record)))
      .finish();

    expect(() => decodeLogsRequest(bytes)).toThrow(/not valid UTF-8/);
  });
});
