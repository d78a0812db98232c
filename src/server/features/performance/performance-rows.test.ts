import { describe, expect, it } from 'vitest';

import type { PreparedSpan } from './normalize-span.js';
import { segmentTransactionName } from './performance-rows.js';

function segment(name: string | null, data: PreparedSpan['data']): PreparedSpan {
  return {
    traceId: 'a'.repeat(32),
    spanId: 'b'.repeat(16),
    parentSpanId: null,
    segmentId: 'b'.repeat(16),
    isSegment: true,
    name,
    op: 'http.server',
    status: 'ok',
    kind: 'server',
    origin: null,
    start: 1,
    end: 2,
    release: null,
    environment: null,
    segmentName: name,
    data,
    tags: null,
    extra: {},
  };
}

describe('segmentTransactionName', () => {
  it('builds a server name from method and path', () => {
    const span = segment('GET', {
      'sentry.segment.name.source': 'url',
      'http.request.method': 'get',
      'url.path': '/users/42',
    });
    expect(segmentTransactionName(span)).toBe('GET /users/42');
  });

  it('prefers the route over the path', () => {
    const span = segment('POST', {
      'sentry.segment.name.source': 'url',
      'http.method': 'POST',
      'http.route': '/users/:id',
      'url.path': '/users/42',
    });
    expect(segmentTransactionName(span)).toBe('POST /users/:id');
  });

  it('names a page load after its path', () => {
    const span = segment('Pageload', { 'sentry.segment.name.source': 'url', 'url.path': '/' });
    expect(segmentTransactionName(span)).toBe('/');
  });

  it('keeps a custom or route name', () => {
    const custom = segment('process-order', {
      'sentry.segment.name.source': 'custom',
      'url.path': '/x',
    });
    const withPath = segment('GET /orders', {
      'sentry.segment.name.source': 'url',
      'url.path': '/orders',
    });
    expect(segmentTransactionName(custom)).toBe('process-order');
    expect(segmentTransactionName(withPath)).toBe('GET /orders');
  });
});
