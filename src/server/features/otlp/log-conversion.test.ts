import { describe, expect, it } from 'vitest';

import { convertLogsRequest, mapSeverity } from './log-conversion.js';
import type { LogsRequest, OtlpLogRecord } from './otlp-model.js';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';
const RECEIVED_AT_MS = 1_700_000_000_000;

function makeRecord(overrides: Partial<OtlpLogRecord> = {}): OtlpLogRecord {
  return {
    timeUnixNano: 1_544_712_660_300_000_000n,
    observedTimeUnixNano: 0n,
    severityNumber: 10,
    severityText: 'Information',
    body: { kind: 'string', value: 'Example log record' },
    attributes: [],
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    eventName: '',
    ...overrides,
  };
}

function convertOne(record: OtlpLogRecord, resource: LogsRequest[number]['resource'] = []) {
  const [log] = convertLogsRequest(
    [{ resource, scope: undefined, entries: [record] }],
    RECEIVED_AT_MS,
  );
  return log!;
}

describe('convertLogsRequest', () => {
  it('converts a log record to a Sentry log', () => {
    const log = convertOne(makeRecord(), [
      { key: 'service.name', value: { kind: 'string', value: 'checkout' } },
      { key: 'service.version', value: { kind: 'string', value: '1.2.3' } },
    ]);

    expect(JSON.parse(JSON.stringify(log))).toEqual({
      timestamp: 1_544_712_660.3,
      trace_id: TRACE_ID,
      span_id: SPAN_ID,
      level: 'info',
      severity_number: 10,
      body: 'Example log record',
      attributes: {
        'service.name': { type: 'string', value: 'checkout' },
        'service.version': { type: 'string', value: '1.2.3' },
        'sentry.release': { type: 'string', value: '1.2.3' },
        'sentry.origin': { type: 'string', value: 'auto.otlp.logs' },
      },
    });
  });

  it('uses the observed time, then the receive time', () => {
    const observed = convertOne(
      makeRecord({ timeUnixNano: 0n, observedTimeUnixNano: 1_544_712_661_000_001_000n }),
    );
    const received = convertOne(makeRecord({ timeUnixNano: 0n }));

    expect(observed.timestamp).toBe(1_544_712_661.000001);
    expect(received.timestamp).toBe(RECEIVED_AT_MS / 1_000);
  });

  it('gives a missing trace id a random one', () => {
    const log = convertOne(makeRecord({ traceId: '' }));

    expect(log.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(log.trace_id).not.toBe(TRACE_ID);
  });

  it('drops a malformed span id', () => {
    const log = convertOne(makeRecord({ spanId: '00' }));

    expect(log).not.toHaveProperty('span_id');
  });

  it('writes a structured body as JSON', () => {
    const log = convertOne(
      makeRecord({
        body: {
          kind: 'kvlist',
          values: [{ key: 'user', value: { kind: 'int', value: 7n } }],
        },
      }),
    );

    expect(log.body).toBe('{"user":7}');
  });

  it('writes a missing body as an empty string', () => {
    expect(convertOne(makeRecord({ body: undefined })).body).toBe('');
  });

  it('keeps the event name as an attribute', () => {
    const log = convertOne(makeRecord({ eventName: 'order.created' }));

    expect(log.attributes['event.name']).toEqual({ type: 'string', value: 'order.created' });
  });

  it('leaves out a severity number outside 1 to 24', () => {
    const log = convertOne(makeRecord({ severityNumber: 0, severityText: 'WARNING' }));

    expect(log.level).toBe('warn');
    expect(log).not.toHaveProperty('severity_number');
  });
});

describe('mapSeverity', () => {
  it.each([
    [1, '', 'trace'],
    [4, '', 'trace'],
    [5, '', 'debug'],
    [9, '', 'info'],
    [13, '', 'warn'],
    [17, '', 'error'],
    [21, '', 'fatal'],
    [24, '', 'fatal'],
    [0, 'Error', 'error'],
    [0, 'warning', 'warn'],
    [0, 'constructor', 'info'],
    [30, 'unknown', 'info'],
  ])('maps number %i and text %j to %s', (severityNumber, severityText, level) => {
    expect(mapSeverity(severityNumber, severityText)).toBe(level);
  });
});
