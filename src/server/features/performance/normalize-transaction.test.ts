import { describe, expect, it } from 'vitest';

import {
  normalizeTransaction,
  type PreparedTransaction,
  type TransactionContext,
} from './normalize-transaction.js';

const RECEIVED_AT = Date.UTC(2026, 11, 4, 12, 0, 0);
const NOW = RECEIVED_AT / 1000;
const TRACE_ID = 'abcdefabcdefabcdefabcdefabcdefab';
const CONTEXT: TransactionContext = {
  eventId: 'e'.repeat(32),
  receivedAt: RECEIVED_AT,
  sentAt: new Date(RECEIVED_AT).toISOString(),
  clientIp: undefined,
  client: undefined,
};

function payload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'transaction',
    transaction: 'process-order',
    start_timestamp: NOW - 1,
    timestamp: NOW - 0.5,
    contexts: { trace: { trace_id: TRACE_ID, span_id: '1234567890abcdef', op: 'task' } },
    spans: [
      {
        span_id: 'aaaaaaaaaaaaaaaa',
        parent_span_id: '1234567890abcdef',
        op: 'db.query',
        start_timestamp: NOW - 0.9,
        timestamp: NOW - 0.8,
      },
    ],
    ...overrides,
  };
}

/** Normalizes a transaction that must be accepted, failing with the reason otherwise. */
function accept(raw: Record<string, unknown>, context = CONTEXT): PreparedTransaction {
  const result = normalizeTransaction(raw, context);
  if (!result.ok) {
    throw new Error(`rejected: ${result.reason} (${result.detail})`);
  }
  return result.transaction;
}

function rejection(raw: Record<string, unknown>): string | undefined {
  const result = normalizeTransaction(raw, CONTEXT);
  return result.ok ? undefined : result.reason;
}

describe('normalizeTransaction', () => {
  it('reads name, ids, op and child spans', () => {
    const transaction = accept(payload());

    expect(transaction.name).toBe('process-order');
    expect(transaction.eventId).toBe('e'.repeat(32));
    expect(transaction.traceId).toBe(TRACE_ID);
    expect(transaction.op).toBe('task');
    expect(transaction.spans.map((span) => span.spanId)).toEqual(['aaaaaaaaaaaaaaaa']);
    expect(transaction.spans[0]!.traceId).toBe(TRACE_ID);
    expect(transaction.spans[0]!.segmentId).toBe('1234567890abcdef');
    expect(transaction.payload.type).toBe('transaction');
  });

  it('accepts RFC 3339 timestamps', () => {
    const transaction = accept(
      payload({
        start_timestamp: '2026-12-04T11:59:59.000001Z',
        timestamp: '2026-12-04T11:59:59.250002Z',
        spans: [],
      }),
      CONTEXT,
    );

    expect((transaction.end - transaction.start) * 1000).toBeCloseTo(250.001, 3);
  });

  it('rejects missing timestamps', () => {
    expect(rejection(payload({ start_timestamp: undefined }))).toBe('missing_timestamp');
    expect(rejection(payload({ timestamp: 'yesterday' }))).toBe('missing_timestamp');
  });

  it('rejects an end before the start', () => {
    expect(rejection(payload({ timestamp: NOW - 2 }))).toBe('end_before_start');
  });

  it('rejects a missing or broken trace context', () => {
    expect(rejection(payload({ contexts: {} }))).toBe('missing_trace_context');
    expect(rejection(payload({ contexts: { trace: 'x' } }))).toBe('missing_trace_context');
    expect(
      rejection(payload({ contexts: { trace: { trace_id: 'abc', span_id: '1234567890abcdef' } } })),
    ).toBe('invalid_trace_id');
    expect(rejection(payload({ contexts: { trace: { trace_id: TRACE_ID, span_id: 'z' } } }))).toBe(
      'invalid_span_id',
    );
  });

  it('rejects the transaction for one broken child span', () => {
    const broken = { span_id: 'bbbbbbbbbbbbbbbb', start_timestamp: NOW - 0.9 };

    expect(rejection(payload({ spans: [broken] }))).toBe('invalid_span');
    expect(rejection(payload({ spans: ['span'] }))).toBe('invalid_span');
    expect(rejection(payload({ spans: { span_id: 'x' } }))).toBe('invalid_spans');
  });

  it('accepts a hyphenated upper-case trace id', () => {
    const hyphenated = 'ABCDEFAB-CDEF-ABCD-EFAB-CDEFABCDEFAB';
    const transaction = accept(
      payload({ contexts: { trace: { trace_id: hyphenated, span_id: '1234567890ABCDEF' } } }),
      CONTEXT,
    );

    expect(transaction.traceId).toBe(TRACE_ID);
    expect(transaction.spanId).toBe('1234567890abcdef');
  });

  it('shifts every timestamp by the clock drift', () => {
    // The client's clock is an hour behind: its times and its sent_at are an hour early.
    const lateClock = payload({
      start_timestamp: NOW - 3600 - 1,
      timestamp: NOW - 3600 - 0.5,
      spans: [
        { span_id: 'aaaaaaaaaaaaaaaa', start_timestamp: NOW - 3600 - 0.9, timestamp: NOW - 3600 },
      ],
    });

    const transaction = accept(lateClock, {
      ...CONTEXT,
      sentAt: new Date(RECEIVED_AT - 3_600_000).toISOString(),
    });

    expect(transaction.start).toBeCloseTo(NOW - 1, 6);
    expect(transaction.spans[0]!.start).toBeCloseTo(NOW - 0.9, 6);
  });

  it('moves a future transaction to the receive time and keeps its duration', () => {
    const transaction = accept(
      payload({ start_timestamp: NOW + 86_400, timestamp: NOW + 86_400.25, spans: [] }),
      { ...CONTEXT, sentAt: undefined },
    );

    expect(transaction.end).toBeCloseTo(NOW, 6);
    expect(transaction.start).toBeCloseTo(NOW - 0.25, 6);
    const errors = transaction.payload.errors as { type: string }[];
    expect(errors.map((error) => error.type)).toContain('future_timestamp');
  });

  it('names a transaction without a name', () => {
    const transaction = accept(payload({ transaction: undefined }), CONTEXT);

    expect(transaction.name).toBe('<unlabeled transaction>');
  });
});
