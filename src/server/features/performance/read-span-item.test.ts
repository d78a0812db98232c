import { describe, expect, it } from 'vitest';

import { MAX_SPANS_PER_CONTAINER, readSpanItem, SPAN_V2_CONTENT_TYPE } from './read-span-item.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

function span(spanId: string, overrides: Record<string, unknown> = {}) {
  return {
    trace_id: TRACE_ID,
    span_id: spanId,
    parent_span_id: 'ffffffffffffffff',
    name: 'GET /health',
    status: 'ok',
    start_timestamp: 1_796_000_000.25,
    end_timestamp: 1_796_000_000.5,
    attributes: {},
    ...overrides,
  };
}

function headers(itemCount: unknown) {
  return { type: 'span', content_type: SPAN_V2_CONTENT_TYPE, item_count: itemCount };
}

describe('readSpanItem', () => {
  it('reads op, release, environment and segment from attributes', () => {
    const item = span('1111111111111111', {
      kind: 'server',
      attributes: {
        'sentry.op': { type: 'string', value: 'http.server' },
        'sentry.release': { type: 'string', value: 'api@1.0.0' },
        'sentry.environment': { type: 'string', value: 'production' },
        'sentry.segment.name': { type: 'string', value: 'GET /health' },
        'http.response.status_code': { type: 'integer', value: 200 },
      },
    });

    const result = readSpanItem({ items: [item] }, headers(1), undefined);

    expect(result.rejected.size).toBe(0);
    expect(result.spans[0]).toMatchObject({
      op: 'http.server',
      release: 'api@1.0.0',
      environment: 'production',
      segmentName: 'GET /health',
      kind: 'server',
      data: { 'http.response.status_code': 200 },
    });
  });

  it('treats an OTLP root span as a segment', () => {
    const root = span('2222222222222222', { parent_span_id: undefined });
    const child = span('3333333333333333');
    const remoteChild = span('4444444444444444', { is_remote: true });

    const result = readSpanItem({ items: [root, child, remoteChild] }, headers(3), undefined);

    expect(result.spans.map((item) => item.isSegment)).toEqual([true, false, true]);
    expect(result.spans[0]!.segmentId).toBe('2222222222222222');
  });

  it('keeps valid spans and counts invalid ones by reason', () => {
    const items = [
      span('5555555555555555'),
      42,
      span('6666666666666666', { end_timestamp: 1_796_000_000 }),
      span('short'),
      span('7777777777777777', { start_timestamp: undefined }),
    ];

    const result = readSpanItem({ items }, headers(5), undefined);

    expect(result.spans.map((item) => item.spanId)).toEqual(['5555555555555555']);
    expect(Object.fromEntries(result.rejected)).toEqual({
      span_not_object: 1,
      end_before_start: 1,
      invalid_span_id: 1,
      missing_timestamp: 1,
    });
  });

  it('rejects a container whose item_count lies', () => {
    const result = readSpanItem({ items: [span('8888888888888888')] }, headers(2), undefined);

    expect(result.spans).toEqual([]);
    expect(Object.fromEntries(result.rejected)).toEqual({ invalid_item_count: 1 });
  });

  it('rejects a container without item_count', () => {
    const result = readSpanItem(
      { items: [span('8888888888888888')] },
      headers(undefined),
      undefined,
    );

    expect(Object.fromEntries(result.rejected)).toEqual({ invalid_item_count: 1 });
  });

  it('rejects more than 1000 spans', () => {
    const items = Array.from({ length: MAX_SPANS_PER_CONTAINER + 1 }, (_, index) =>
      span(index.toString(16).padStart(16, '0')),
    );

    const result = readSpanItem({ items }, headers(items.length), undefined);

    expect(result.spans).toEqual([]);
    expect(Object.fromEntries(result.rejected)).toEqual({ too_many_spans: 1001 });
  });

  it('rejects a container without items and caps its claimed count', () => {
    const result = readSpanItem({ spans: [] }, headers(1e9), undefined);

    expect(Object.fromEntries(result.rejected)).toEqual({ invalid_span_container: 1000 });
  });

  it('reads a v1 span with the trace id of the envelope', () => {
    const v1 = {
      span_id: '9999999999999999',
      op: 'ui.webvital.cls',
      description: 'body > div',
      start_timestamp: '2026-12-04T12:00:00.000Z',
      timestamp: '2026-12-04T12:00:00.000Z',
    };

    const result = readSpanItem(v1, { type: 'span' }, TRACE_ID);

    expect(result.spans[0]).toMatchObject({ traceId: TRACE_ID, op: 'ui.webvital.cls' });
  });

  it('matches the content type without parameters and case', () => {
    const result = readSpanItem(
      { items: [span('aaaaaaaaaaaaaaaa')] },
      { ...headers(1), content_type: `${SPAN_V2_CONTENT_TYPE.toUpperCase()}; charset=utf-8` },
      undefined,
    );

    expect(result.spans).toHaveLength(1);
  });
});
