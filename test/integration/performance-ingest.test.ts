/**
 * Sends broken transactions and span containers next to valid items in the same envelope, on
 * SQLite and PostgreSQL: each broken item is counted as an `invalid` outcome with its reason,
 * and the valid items of the envelope are still stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { connectDb, type Db } from '../../src/server/platform/db/index.js';
import { SERVER_ENGINES, countOutcomes } from '../helpers/engines.js';
import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { apiGet, sendEnvelope, setupProject, startPicket, waitFor } from '../helpers/picket.js';
import { waitForEvent } from '../live/api.js';
import { getTrace, waitForTrace, waitForTransactionEvent } from '../live/performance-api.js';

const SPAN_V2 = 'application/vnd.sentry.items.span.v2+json';
const TRACE_ID = '5b8efff798038103d269b633813fc60c';

let counter = 0;

function nextId(): string {
  counter += 1;
  return counter.toString(16).padStart(32, '0');
}

function spanId(index: number): string {
  return (index + 1).toString(16).padStart(16, 'a');
}

function errorEvent() {
  return {
    event_id: nextId(),
    level: 'error',
    platform: 'node',
    exception: { values: [{ type: 'Error', value: `kept next to a broken item ${counter}` }] },
  };
}

function transaction(overrides: Record<string, unknown> = {}) {
  const now = Date.now() / 1000;
  return {
    event_id: nextId(),
    type: 'transaction',
    transaction: 'GET /checkout',
    start_timestamp: now - 1,
    timestamp: now - 0.5,
    contexts: { trace: { trace_id: TRACE_ID, span_id: 'cafecafecafecafe', op: 'http.server' } },
    spans: [],
    ...overrides,
  };
}

function v2Span(index: number, traceId = TRACE_ID) {
  const now = Date.now() / 1000;
  return {
    trace_id: traceId,
    span_id: spanId(index),
    parent_span_id: 'cafecafecafecafe',
    name: `span ${index}`,
    status: 'ok',
    start_timestamp: now - 0.9,
    end_timestamp: now - 0.8,
    attributes: { 'sentry.op': { type: 'string', value: 'function' } },
  };
}

function spanContainer(items: unknown[], itemCount = items.length) {
  return {
    headers: { type: 'span', content_type: SPAN_V2, item_count: itemCount },
    payload: { items },
  };
}

describe.each(SERVER_ENGINES)('broken performance items on $name', ({ databaseUrl }) => {
  let picket: PicketInstance;
  let project: TestProject;
  let db: Db;

  function waitForInvalid(reason: string, category: string, quantity: number) {
    return waitFor(async () => {
      const count = await countOutcomes(db, {
        projectId: project.projectId,
        outcome: 'invalid',
        reason,
        category,
      });
      return count >= quantity ? count : undefined;
    });
  }

  async function sendWithEvent(item: { headers: Record<string, unknown>; payload: unknown }) {
    const event = errorEvent();
    const response = await sendEnvelope(project.dsn, [
      { headers: { type: 'event' }, payload: event },
      item,
    ]);
    expect(response.status).toBe(200);
    return event;
  }

  beforeAll(async () => {
    const url = await databaseUrl();
    picket = await startPicket(url === undefined ? {} : { databaseUrl: url });
    project = await setupProject(picket, 'perf-bad');
    db = connectDb({ databaseUrl: url, dataDir: picket.dataDir });
  });

  afterAll(async () => {
    await db?.close();
    await picket?.stop();
  });

  it('counts a transaction that ends before it starts', async () => {
    const now = Date.now() / 1000;
    const bad = transaction({ start_timestamp: now, timestamp: now - 5 });

    const event = await sendWithEvent({ headers: { type: 'transaction' }, payload: bad });

    await waitForEvent(picket, project, event.event_id, 15_000);
    expect(await waitForInvalid('end_before_start', 'transaction', 1)).toBe(1);
    await expect(getTransaction(bad.event_id)).rejects.toThrow(/404/);
  });

  it('counts a transaction without trace context', async () => {
    const bad = transaction({ contexts: { os: { name: 'Linux' } } });

    const event = await sendWithEvent({ headers: { type: 'transaction' }, payload: bad });

    await waitForEvent(picket, project, event.event_id, 15_000);
    expect(await waitForInvalid('missing_trace_context', 'transaction', 1)).toBe(1);
    await expect(getTransaction(bad.event_id)).rejects.toThrow(/404/);
  });

  it('counts a container whose item_count lies', async () => {
    const items = [v2Span(0), v2Span(1)];

    const event = await sendWithEvent(spanContainer(items, 7));

    await waitForEvent(picket, project, event.event_id, 15_000);
    expect(await waitForInvalid('invalid_item_count', 'span', 2)).toBe(2);
    await expect(getTrace(picket, project, TRACE_ID)).rejects.toThrow(/404/);
  });

  it('keeps valid spans beside non-object items', async () => {
    const items = [v2Span(2), 'span', null, [v2Span(3)]];

    const event = await sendWithEvent(spanContainer(items));

    await waitForEvent(picket, project, event.event_id, 15_000);
    expect(await waitForInvalid('span_not_object', 'span', 3)).toBe(3);
    const trace = await waitForTrace(picket, project, TRACE_ID, (candidate) =>
      candidate.spans.some((span) => span.spanID === spanId(2)),
    );
    expect(trace.spans.map((span) => span.spanID)).not.toContain(spanId(3));
  });

  it('counts a container of 1001 spans', async () => {
    const traceId = 'f'.repeat(32);
    const items = Array.from({ length: 1001 }, (_, index) => v2Span(index, traceId));

    const event = await sendWithEvent(spanContainer(items));

    await waitForEvent(picket, project, event.event_id, 15_000);
    expect(await waitForInvalid('too_many_spans', 'span', 1001)).toBe(1001);
    await expect(getTrace(picket, project, traceId)).rejects.toThrow(/404/);
  });

  it('stores a transaction sent to the store endpoint', async () => {
    const stored = transaction({ transaction: 'GET /legacy-store' });
    const url = new URL(project.dsn);
    const response = await fetch(
      `${url.protocol}//${url.host}/api/${project.projectId}/store/?sentry_key=${url.username}`,
      { method: 'POST', body: JSON.stringify(stored) },
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: stored.event_id });
    const event = await waitForTransactionEvent(picket, project, stored.event_id);
    expect(event.title).toBe('GET /legacy-store');
  });

  it('filters health-check transactions and keeps the others', async () => {
    const health = transaction({ transaction: '/healthz' });
    const kept = transaction({ transaction: 'GET /orders' });
    const response = await sendEnvelope(project.dsn, [
      { headers: { type: 'transaction' }, payload: health },
    ]);
    expect(response.status).toBe(200);
    expect(
      (await sendEnvelope(project.dsn, [{ headers: { type: 'transaction' }, payload: kept }]))
        .status,
    ).toBe(200);

    await waitForTransactionEvent(picket, project, kept.event_id);
    const filtered = await waitFor(async () => {
      const count = await countOutcomes(db, {
        projectId: project.projectId,
        outcome: 'filtered',
        reason: 'filtered-transaction',
        category: 'transaction',
      });
      return count > 0 ? count : undefined;
    });
    expect(filtered).toBe(1);
    await expect(getTransaction(health.event_id)).rejects.toThrow(/404/);
  });

  it('names streamed segments from the URL and filters streamed health checks', async () => {
    const traceId = 'c'.repeat(32);
    const now = Date.now() / 1000;
    const segment = (spanId: string, path: string) => ({
      trace_id: traceId,
      span_id: spanId,
      name: 'GET',
      status: 'ok',
      is_segment: true,
      start_timestamp: now - 0.5,
      end_timestamp: now - 0.4,
      attributes: {
        'sentry.op': { type: 'string', value: 'http.server' },
        'sentry.segment.name': { type: 'string', value: 'GET' },
        'sentry.segment.name.source': { type: 'string', value: 'url' },
        'sentry.segment.id': { type: 'string', value: spanId },
        'http.request.method': { type: 'string', value: 'GET' },
        'url.path': { type: 'string', value: path },
      },
    });

    const response = await sendEnvelope(project.dsn, [
      spanContainer([
        segment('1111111111111111', '/orders/7'),
        segment('2222222222222222', '/health'),
      ]),
    ]);

    expect(response.status).toBe(200);
    const trace = await waitForTrace(picket, project, traceId, (candidate) =>
      candidate.spans.some((span) => span.spanID === '1111111111111111'),
    );
    expect(trace.spans.map((span) => span.spanID)).toEqual(['1111111111111111']);
    const filtered = await waitFor(async () => {
      const count = await countOutcomes(db, {
        projectId: project.projectId,
        outcome: 'filtered',
        reason: 'filtered-transaction',
        category: 'span',
      });
      return count > 0 ? count : undefined;
    });
    expect(filtered).toBe(1);
    const listed = await apiGet(
      picket,
      project.token,
      `/api/0/organizations/${project.orgSlug}/transactions/?query=orders`,
    );
    expect((listed as { transaction: string }[]).map((row) => row.transaction)).toContain(
      'GET /orders/7',
    );
  });

  it('stores a valid transaction beside a broken container', async () => {
    const valid = transaction({ contexts: transaction().contexts });
    const response = await sendEnvelope(project.dsn, [
      { headers: { type: 'transaction' }, payload: valid },
      spanContainer([v2Span(4)], 3),
    ]);

    expect(response.status).toBe(200);
    const stored = await waitForTransactionEvent(picket, project, valid.event_id);
    expect(stored.title).toBe('GET /checkout');
    expect(await waitForInvalid('invalid_item_count', 'span', 3)).toBe(3);
  });

  it('answers 400 for a trace id that is not hex', async () => {
    await expect(
      apiGet(picket, project.token, `/api/0/organizations/${project.orgSlug}/traces/not-hex/`),
    ).rejects.toThrow(/400/);
  });

  function getTransaction(eventId: string) {
    return apiGet(
      picket,
      project.token,
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${eventId}/`,
    );
  }
});
