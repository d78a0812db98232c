/**
 * Stores transaction and span queue records through the worker's `processRecords` on real
 * SQLite and PostgreSQL, and reads them back with the repository the API uses.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ItemMeta } from '../../src/server/features/ingest/item-kinds.js';
import { segmentEventId } from '../../src/server/features/performance/performance-rows.js';
import { TransactionRepository } from '../../src/server/features/performance/transaction-repository.js';
import { processRecords } from '../../src/server/features/worker/process-records.js';
import type { Db } from '../../src/server/platform/db/index.js';
import { createLogger } from '../../src/server/platform/logger.js';
import type { ClaimedRecord } from '../../src/server/platform/queue/index.js';
import {
  STORAGE_ENGINES,
  countOutcomes,
  addTestProject,
  createTestProject,
  explainCompiledQuery,
  explainQuery,
  type TestProjectRows,
} from '../helpers/engines.js';

const RECEIVED_AT = Date.UTC(2026, 11, 4, 12, 0, 0);
const RECEIVED_SECONDS = RECEIVED_AT / 1000;
const SENT_AT = new Date(RECEIVED_AT).toISOString();
const TRACE_ID = '0123456789abcdef0123456789abcdef';
const OTHER_TRACE_ID = 'fedcba9876543210fedcba9876543210';
const SPAN_V2 = 'application/vnd.sentry.items.span.v2+json';
const log = createLogger('silent');

let nextRecordId = 1;

function itemRecord(
  projectId: number,
  kind: string,
  item: unknown,
  meta: Partial<ItemMeta> = {},
): ClaimedRecord {
  const fullMeta: ItemMeta = {
    eventId: undefined,
    sentAt: SENT_AT,
    clientIp: '127.0.0.1',
    client: 'sentry.javascript.node/11.12.0',
    sdk: { name: 'sentry.javascript.node', version: '11.12.0' },
    trace: undefined,
    itemHeaders: { type: kind },
    ...meta,
  };
  nextRecordId += 1;
  return {
    id: nextRecordId,
    projectId,
    kind,
    receivedAt: RECEIVED_AT,
    body: JSON.stringify({ meta: fullMeta, item }),
  };
}

function transactionPayload(overrides: Record<string, unknown> = {}) {
  return {
    type: 'transaction',
    transaction: 'GET /orders/:id',
    start_timestamp: RECEIVED_SECONDS - 2,
    timestamp: RECEIVED_SECONDS - 1.999456,
    release: 'shop@1.2.3',
    environment: 'production',
    platform: 'node',
    user: { id: '42' },
    contexts: {
      trace: { trace_id: TRACE_ID, span_id: 'aaaaaaaaaaaaaaaa', op: 'http.server', status: 'ok' },
    },
    spans: [
      {
        span_id: 'bbbbbbbbbbbbbbbb',
        parent_span_id: 'aaaaaaaaaaaaaaaa',
        op: 'db.query',
        description: 'SELECT * FROM orders WHERE id = $1',
        start_timestamp: RECEIVED_SECONDS - 1.9999,
        timestamp: RECEIVED_SECONDS - 1.9995,
        data: { 'db.system': 'postgresql' },
      },
    ],
    ...overrides,
  };
}

function v2Span(spanId: string, overrides: Record<string, unknown> = {}) {
  return {
    trace_id: OTHER_TRACE_ID,
    span_id: spanId,
    parent_span_id: 'cccccccccccccccc',
    name: `work ${spanId}`,
    status: 'ok',
    start_timestamp: RECEIVED_SECONDS - 5,
    end_timestamp: RECEIVED_SECONDS - 4.5,
    attributes: {
      'sentry.op': { type: 'string', value: 'function' },
      'sentry.segment.id': { type: 'string', value: 'cccccccccccccccc' },
      'sentry.segment.name': { type: 'string', value: 'checkout' },
      'sentry.release': { type: 'string', value: 'shop@2.0.0' },
    },
    ...overrides,
  };
}

function container(items: unknown[], itemCount: unknown = items.length) {
  return {
    itemHeaders: { type: 'span', content_type: SPAN_V2, item_count: itemCount },
  };
}

describe.each(STORAGE_ENGINES)('performance storage on $name', ({ open }) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let projectId: number;
  let organization: TestProjectRows;
  let repository: TransactionRepository;

  async function process(records: ClaimedRecord[]) {
    await db.kysely.transaction().execute((trx) => processRecords(trx, db.dialect, records, log));
  }

  function outcome(outcomeKind: string, reason: string, category: string) {
    return countOutcomes(db, { projectId, outcome: outcomeKind, reason, category });
  }

  beforeAll(async () => {
    ({ db, cleanup } = await open());
    organization = await createTestProject(db, { platform: 'node' });
    projectId = organization.projectId;
    repository = new TransactionRepository(db.kysely, db.dialect);
  });

  afterAll(async () => {
    await cleanup();
  });

  it('stores a transaction with sub-millisecond times', async () => {
    const eventId = '1'.repeat(32);

    await process([itemRecord(projectId, 'transaction', transactionPayload(), { eventId })]);

    const row = await repository.findByEventId(projectId, eventId);
    expect(row?.name).toBe('GET /orders/:id');
    expect(row?.traceId).toBe(TRACE_ID);
    expect(row?.op).toBe('http.server');
    expect(row?.status).toBe('ok');
    expect(row?.release).toBe('shop@1.2.3');
    expect(row?.userTag).toBe('id:42');
    expect(row?.startMs).toBe(RECEIVED_AT - 2000);
    expect(row?.durationMs).toBeCloseTo(0.544, 6);
  });

  it('stores the child spans of a transaction', async () => {
    const spans = await repository.listSpansByTrace([projectId], TRACE_ID, 100);

    expect(spans.map((span) => span.spanId)).toEqual(['bbbbbbbbbbbbbbbb']);
    expect(spans[0]!.transactionEventId).toBe('1'.repeat(32));
    expect(spans[0]!.segmentId).toBe('aaaaaaaaaaaaaaaa');
    expect(spans[0]!.durationMs).toBeCloseTo(0.4, 6);
    expect(JSON.parse(spans[0]!.data)).toEqual({ 'db.system': 'postgresql' });
  });

  it('counts a transaction and its spans as accepted', async () => {
    expect(await outcome('accepted', '', 'transaction')).toBe(1);
    expect(await outcome('accepted', '', 'span')).toBe(2);
  });

  it('stores a resent transaction once', async () => {
    const eventId = '2'.repeat(32);
    const payload = transactionPayload({
      contexts: { trace: { trace_id: 'ab'.repeat(16), span_id: 'dddddddddddddddd' } },
      spans: [],
    });

    await process([
      itemRecord(projectId, 'transaction', payload, { eventId }),
      itemRecord(projectId, 'transaction', payload, { eventId }),
    ]);
    await process([itemRecord(projectId, 'transaction', payload, { eventId })]);

    const rows = await repository.listByTrace([projectId], 'ab'.repeat(16));
    expect(rows).toHaveLength(1);
    expect(await outcome('accepted', '', 'transaction')).toBe(2);
  });

  it('rejects a transaction that ends before it starts', async () => {
    const eventId = '3'.repeat(32);
    const payload = transactionPayload({ timestamp: RECEIVED_SECONDS - 3 });

    await process([itemRecord(projectId, 'transaction', payload, { eventId })]);

    expect(await repository.findByEventId(projectId, eventId)).toBeUndefined();
    expect(await outcome('invalid', 'end_before_start', 'transaction')).toBe(1);
  });

  it('corrects clock drift from sent_at', async () => {
    const eventId = '4'.repeat(32);
    const hourAhead = new Date(RECEIVED_AT + 3_600_000).toISOString();
    const payload = transactionPayload({
      start_timestamp: RECEIVED_SECONDS + 3600 - 1,
      timestamp: RECEIVED_SECONDS + 3600 - 0.5,
      contexts: { trace: { trace_id: 'cd'.repeat(16), span_id: 'eeeeeeeeeeeeeeee' } },
      spans: [],
    });

    await process([itemRecord(projectId, 'transaction', payload, { eventId, sentAt: hourAhead })]);

    const row = await repository.findByEventId(projectId, eventId);
    expect(row?.startMs).toBe(RECEIVED_AT - 1000);
    expect(row?.endMs).toBe(RECEIVED_AT - 500);
  });

  it('stores a v2 container and lists its segment as a transaction', async () => {
    const segment = v2Span('cccccccccccccccc', {
      parent_span_id: undefined,
      is_segment: true,
      name: 'checkout',
      start_timestamp: RECEIVED_SECONDS - 6,
      end_timestamp: RECEIVED_SECONDS - 4,
    });
    const items = [v2Span('1111111111111111'), v2Span('2222222222222222'), segment];

    await process([itemRecord(projectId, 'span', { items }, container(items))]);

    const spans = await repository.listSpansByTrace([projectId], OTHER_TRACE_ID, 100);
    expect(spans.map((span) => span.spanId).sort()).toEqual([
      '1111111111111111',
      '2222222222222222',
      'cccccccccccccccc',
    ]);
    expect(spans.every((span) => span.release === 'shop@2.0.0')).toBe(true);
    const [transaction] = await repository.listByTrace([projectId], OTHER_TRACE_ID);
    expect(transaction?.name).toBe('checkout');
    expect(transaction?.eventId).toBe(segmentEventId(OTHER_TRACE_ID, 'cccccccccccccccc'));
    expect(transaction?.platform).toBe('node');
    expect(spans.every((span) => span.transactionEventId === transaction?.eventId)).toBe(true);
  });

  it('keeps valid spans of a container beside invalid ones', async () => {
    const items = [
      v2Span('3333333333333333'),
      'not a span',
      v2Span('4444444444444444', { end_timestamp: RECEIVED_SECONDS - 6 }),
      v2Span('5555555555555555', { trace_id: 'xyz' }),
    ];
    const before = await outcome('accepted', '', 'span');

    await process([itemRecord(projectId, 'span', { items }, container(items))]);

    const spans = await repository.listSpansByTrace([projectId], OTHER_TRACE_ID, 100);
    expect(spans.map((span) => span.spanId)).toContain('3333333333333333');
    expect(spans.map((span) => span.spanId)).not.toContain('4444444444444444');
    expect((await outcome('accepted', '', 'span')) - before).toBe(1);
    expect(await outcome('invalid', 'span_not_object', 'span')).toBe(1);
    expect(await outcome('invalid', 'end_before_start', 'span')).toBe(1);
    expect(await outcome('invalid', 'invalid_trace_id', 'span')).toBe(1);
  });

  it('rejects a container whose item_count does not match', async () => {
    const items = [v2Span('6666666666666666'), v2Span('7777777777777777')];

    await process([itemRecord(projectId, 'span', { items }, container(items, 5))]);

    const spans = await repository.listSpansByTrace([projectId], OTHER_TRACE_ID, 100);
    expect(spans.map((span) => span.spanId)).not.toContain('6666666666666666');
    expect(await outcome('invalid', 'invalid_item_count', 'span')).toBe(2);
  });

  it('stores a v1 standalone span with the trace of the envelope', async () => {
    const span = {
      span_id: '8888888888888888',
      op: 'ui.interaction.click',
      description: 'button#pay',
      start_timestamp: RECEIVED_SECONDS - 1,
      timestamp: RECEIVED_SECONDS - 0.9,
      is_segment: true,
    };

    await process([
      itemRecord(projectId, 'span', span, {
        trace: { trace_id: 'ef'.repeat(16), environment: 'staging' },
      }),
    ]);

    const spans = await repository.listSpansByTrace([projectId], 'ef'.repeat(16), 100);
    expect(spans.map((stored) => stored.op)).toEqual(['ui.interaction.click']);
    expect(spans[0]!.environment).toBe('staging');
    const transactions = await repository.listByTrace([projectId], 'ef'.repeat(16));
    expect(transactions.map((row) => row.name)).toEqual(['button#pay']);
  });

  it('stores text with NUL characters', async () => {
    const eventId = '5'.repeat(32);
    const payload = transactionPayload({
      transaction: 'nul\u0000name',
      contexts: { trace: { trace_id: '12'.repeat(16), span_id: 'ffffffffffffffff' } },
      spans: [
        {
          span_id: '9999999999999999',
          description: 'nul\u0000span',
          start_timestamp: RECEIVED_SECONDS - 2,
          timestamp: RECEIVED_SECONDS - 2,
        },
      ],
    });

    await process([itemRecord(projectId, 'transaction', payload, { eventId })]);

    expect((await repository.findByEventId(projectId, eventId))?.name).toBe('nul\uFFFDname');
  });

  it('lists transactions newest first and searches names', async () => {
    const all = await repository.list({
      projectIds: [projectId],
      nameContains: undefined,
      offset: 0,
      limit: 100,
    });
    const search = await repository.list({
      projectIds: [projectId],
      nameContains: 'ORDERS/:',
      offset: 0,
      limit: 100,
    });
    const wildcard = await repository.list({
      projectIds: [projectId],
      nameContains: '%',
      offset: 0,
      limit: 100,
    });

    const starts = all.map((row) => row.startMs);
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
    expect(search.length).toBeGreaterThanOrEqual(2);
    expect(search.every((row) => row.name === 'GET /orders/:id')).toBe(true);
    expect(wildcard).toEqual([]);
  });

  it('pages the transaction list', async () => {
    const first = await repository.list({
      projectIds: [projectId],
      nameContains: undefined,
      offset: 0,
      limit: 2,
    });
    const second = await repository.list({
      projectIds: [projectId],
      nameContains: undefined,
      offset: 2,
      limit: 2,
    });

    expect(first).toHaveLength(3);
    expect(second[0]?.eventId).toBe(first[2]?.eventId);
  });

  it('reads no transactions of other projects', async () => {
    const rows = await repository.listByTrace([projectId + 1000], TRACE_ID);
    const spans = await repository.listSpansByTrace([projectId + 1000], TRACE_ID, 100);

    expect(rows).toEqual([]);
    expect(spans).toEqual([]);
  });

  it('merges several projects newest first', async () => {
    const shop = await addTestProject(organization, 'shop', 'node');
    const mail = await addTestProject(organization, 'mail', 'node');
    const started = (seconds: number, name: string, digit: string) =>
      itemRecord(
        seconds % 2 === 0 ? mail : shop,
        'transaction',
        transactionPayload({
          transaction: name,
          start_timestamp: RECEIVED_SECONDS - 100 + seconds,
          timestamp: RECEIVED_SECONDS - 99 + seconds,
        }),
        { eventId: digit.repeat(32) },
      );
    await process([
      started(1, 'shop 1', 'a'),
      started(2, 'mail 2', 'b'),
      started(3, 'shop 3', 'c'),
      started(4, 'mail 4', 'd'),
      started(5, 'shop 5', 'e'),
    ]);

    const both = { projectIds: [shop, mail], nameContains: undefined, limit: 2 };
    const pages = [
      await repository.list({ ...both, offset: 0 }),
      await repository.list({ ...both, offset: 2 }),
      await repository.list({ ...both, offset: 4 }),
    ];

    expect(pages.map((page) => page.map((row) => row.name))).toEqual([
      ['shop 5', 'mail 4', 'shop 3'],
      ['shop 3', 'mail 2', 'shop 1'],
      ['shop 1'],
    ]);
  });

  it('merges the projects of a list from their indexes', async () => {
    const query = repository.compileListQuery([1, 2], { offset: 50, count: 51 }, undefined);

    const plan = await explainCompiledQuery(db, query, ['bitmapscan']);

    expect(plan).toContain('transactions_project_start');
    expect(plan).toMatch(/MERGE \(UNION ALL\)|Merge Append/);
    expect(plan).not.toMatch(/TEMP B-TREE|Seq Scan|Sort\s+\(cost/);
  });

  it('serves the list and trace queries from indexes', async () => {
    const listSql =
      'SELECT id FROM transactions WHERE project_id IN (1) ORDER BY start_ms DESC, id DESC LIMIT 51';
    const traceSql = `SELECT id FROM transactions WHERE trace_id = '${TRACE_ID}' AND project_id IN (1)`;
    const spansSql = `SELECT id FROM spans WHERE trace_id = '${TRACE_ID}' AND project_id IN (1) ORDER BY start_ms`;

    const plans = await explain([listSql, traceSql, spansSql]);

    expect(plans[0]).toContain('transactions_project_start');
    expect(plans[0]).not.toMatch(/TEMP B-TREE|Sort/i);
    expect(plans[1]).toContain('transactions_trace');
    expect(plans[2]).toMatch(/spans_trace_span_project/);
  });

  async function explain(statements: string[]): Promise<string[]> {
    if (db.sqlite === undefined) {
      // PostgreSQL plans from table statistics, so they are collected first.
      await sql`ANALYZE transactions`.execute(db.kysely);
      await sql`ANALYZE spans`.execute(db.kysely);
    }
    const plans: string[] = [];
    for (const statement of statements) {
      plans.push(await explainQuery(db, statement));
    }
    return plans;
  }
});
