import { describe, expect, it } from 'vitest';

import { validateContainer, validateLog, type ValidLog } from './log-item.js';

const TRACE_ID = '11a43620d506448c9f2ac0dab145cffe';

/** Validates a log that the test expects to pass, and returns the valid log. */
function expectValid(value: unknown): ValidLog {
  const result = validateLog(value);
  if (!result.ok) {
    throw new Error(`log rejected with ${result.reason}`);
  }
  return result.log;
}

function makeLog(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    timestamp: 1_796_398_645.2562122,
    level: 'info',
    body: 'order processed',
    trace_id: TRACE_ID,
    severity_number: 9,
    attributes: { orderId: { value: 'A-1', type: 'string' } },
    ...overrides,
  };
}

describe('validateContainer', () => {
  it('accepts a container whose item_count matches', () => {
    const result = validateContainer({ items: [makeLog(), makeLog()] }, 2);

    expect(result).toEqual({ ok: true, logs: [makeLog(), makeLog()] });
  });

  it('rejects a lying item_count with the number of logs', () => {
    const result = validateContainer({ items: [makeLog(), makeLog()] }, 5);

    expect(result).toEqual({ ok: false, reason: 'invalid_item_count', quantity: 2 });
  });

  it('rejects a missing item_count', () => {
    const result = validateContainer({ items: [makeLog()] }, undefined);

    expect(result).toMatchObject({ ok: false, reason: 'invalid_item_count' });
  });

  it('rejects a payload without an items array', () => {
    expect(validateContainer({ items: 'x' }, 1)).toMatchObject({
      ok: false,
      reason: 'invalid_log_container',
    });
    expect(validateContainer([makeLog()], 1)).toMatchObject({
      ok: false,
      reason: 'invalid_log_container',
    });
  });
});

describe('validateLog', () => {
  it('keeps microseconds of the timestamp', () => {
    const log = expectValid(makeLog());

    expect(log.timestampUs).toBe(1_796_398_645_256_212);
  });

  it('lower-cases ids and keeps a valid span id', () => {
    const log = expectValid(
      makeLog({ trace_id: TRACE_ID.toUpperCase(), span_id: 'ABCDEF0123456789' }),
    );

    expect(log.traceId).toBe(TRACE_ID);
    expect(log.spanId).toBe('abcdef0123456789');
  });

  it('drops a malformed span id and keeps the log', () => {
    const log = expectValid(makeLog({ span_id: 'not-a-span' }));

    expect(log.spanId).toBeNull();
  });

  it.each([
    ['not an object', 'x', 'invalid_log'],
    ['an array', [makeLog()], 'invalid_log'],
    ['a missing timestamp', makeLog({ timestamp: undefined }), 'invalid_timestamp'],
    ['a string timestamp', makeLog({ timestamp: '2026-01-01' }), 'invalid_timestamp'],
    ['a negative timestamp', makeLog({ timestamp: -1 }), 'invalid_timestamp'],
    ['a short trace id', makeLog({ trace_id: 'abc' }), 'invalid_trace_id'],
    ['a missing trace id', makeLog({ trace_id: undefined }), 'invalid_trace_id'],
    ['an unknown level', makeLog({ level: 'warning' }), 'invalid_level'],
    ['an upper-case level', makeLog({ level: 'INFO' }), 'invalid_level'],
    ['a numeric body', makeLog({ body: 42 }), 'invalid_body'],
  ])('rejects %s', (_name, value, reason) => {
    expect(validateLog(value)).toEqual({ ok: false, reason });
  });

  it('derives the severity number from the level when it is missing', () => {
    const log = expectValid(makeLog({ level: 'warn', severity_number: undefined }));

    expect(log.severityNumber).toBe(13);
  });

  it('derives the severity number when it is out of range', () => {
    const log = expectValid(makeLog({ level: 'fatal', severity_number: 99 }));

    expect(log.severityNumber).toBe(21);
  });

  it('keeps typed attributes and drops malformed ones', () => {
    const log = expectValid(
      makeLog({
        attributes: {
          total: { value: 12.5, type: 'double', unit: 'euro' },
          untyped: { value: 1 },
          scalar: 'x',
        },
      }),
    );

    expect({ ...log.attributes }).toEqual({
      total: { value: 12.5, type: 'double', unit: 'euro' },
    });
  });

  it('stores an attribute named __proto__ as a plain key', () => {
    const log = JSON.parse(
      `{"timestamp":1,"level":"info","body":"b","trace_id":"${TRACE_ID}","attributes":{"__proto__":{"type":"string","value":"x"}}}`,
    ) as unknown;

    const valid = expectValid(log);

    expect(JSON.stringify(valid.attributes)).toBe('{"__proto__":{"type":"string","value":"x"}}');
  });
});
