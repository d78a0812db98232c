/**
 * Stores queued `log` records through the worker's log processor and lists them through the
 * repository, on SQLite and on PostgreSQL.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { OutcomeCount } from '../../src/server/features/ingest/outcome-recorder.js';
import { LogRepository, processLogRecords } from '../../src/server/features/logs/index.js';
import type { LogListOptions } from '../../src/server/features/logs/log-repository.js';
import { createProcessorContext } from '../../src/server/features/worker/record-processors.js';
import { migrateToLatest, type Db } from '../../src/server/platform/db/index.js';
import { createLogger } from '../../src/server/platform/logger.js';
import type { ClaimedRecord } from '../../src/server/platform/queue/index.js';
import {
  STORAGE_ENGINES,
  addTestProject,
  createTestOrganization,
  explainCompiledQuery,
  explainQuery,
} from '../helpers/engines.js';

const TRACE_A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const TRACE_B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const BASE_SECONDS = 1_796_398_645;

let recordId = 0;

function makeLog(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    timestamp: BASE_SECONDS,
    level: 'info',
    body: 'order processed',
    trace_id: TRACE_A,
    attributes: {
      'sentry.release': { type: 'string', value: 'shop@1.0.0' },
      'sentry.environment': { type: 'string', value: 'production' },
      'sentry.sdk.name': { type: 'string', value: 'sentry.javascript.node' },
      'sentry.sdk.version': { type: 'string', value: '11.12.0' },
    },
    ...overrides,
  };
}

function makeRecord(
  projectId: number,
  item: unknown,
  itemHeaders: Record<string, unknown>,
): ClaimedRecord {
  recordId += 1;
  const meta = { sdk: { name: 'sentry.javascript.node', version: '11.12.0' }, itemHeaders };
  return {
    id: recordId,
    projectId,
    kind: 'log',
    receivedAt: BASE_SECONDS * 1_000,
    body: JSON.stringify({ meta, item }),
  };
}

function logRecord(projectId: number, logs: unknown[], itemCount: unknown = logs.length) {
  return makeRecord(projectId, { items: logs }, { type: 'log', item_count: itemCount });
}

describe.each(STORAGE_ENGINES)('logs on $name', ({ open }) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let projectId: number;
  let otherProjectId: number;
  let repository: LogRepository;

  async function process(records: ClaimedRecord[]): Promise<OutcomeCount[]> {
    const outcomes: OutcomeCount[] = [];
    await db.kysely.transaction().execute(async (trx) => {
      const context = createProcessorContext(trx, db.dialect, createLogger('silent'), outcomes);
      await processLogRecords(records, context);
    });
    return outcomes;
  }

  function list(overrides: Partial<LogListOptions> = {}) {
    return repository.list({
      projectIds: [projectId],
      levels: [],
      traceId: undefined,
      text: undefined,
      sinceUs: undefined,
      offset: 0,
      limit: 50,
      ...overrides,
    });
  }

  beforeAll(async () => {
    ({ db, cleanup } = await open());
    await migrateToLatest(db.kysely, db.dialect);
    repository = new LogRepository(db.kysely, db.dialect);
    const acme = await createTestOrganization(db);
    projectId = await addTestProject(acme, 'web');
    otherProjectId = await addTestProject(acme, 'api');

    await process([
      logRecord(projectId, [
        makeLog({ timestamp: BASE_SECONDS + 0.000_001, body: 'first', level: 'debug' }),
        makeLog({ timestamp: BASE_SECONDS + 0.000_002, body: 'Payment FAILED', level: 'error' }),
        makeLog({ timestamp: BASE_SECONDS + 0.000_002, body: '100% done_now', level: 'warn' }),
        makeLog({ timestamp: BASE_SECONDS + 10, body: 'latest', trace_id: TRACE_B }),
      ]),
      logRecord(otherProjectId, [makeLog({ body: 'elsewhere' })]),
    ]);
  });

  afterAll(async () => {
    await cleanup();
  });

  it('stores the fields of a log', async () => {
    const rows = await list({ text: 'latest' });

    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      projectId,
      traceId: TRACE_B,
      spanId: null,
      level: 'info',
      body: 'latest',
      release: 'shop@1.0.0',
      environment: 'production',
      sdkName: 'sentry.javascript.node',
      sdkVersion: '11.12.0',
    });
    expect(Number(rows[0]!.timestampUs)).toBe((BASE_SECONDS + 10) * 1_000_000);
    expect(Number(rows[0]!.severityNumber)).toBe(9);
    expect(JSON.parse(rows[0]!.attributes)).toMatchObject({
      'sentry.release': { type: 'string', value: 'shop@1.0.0' },
    });
  });

  it('lists newest first with microsecond order and ties by arrival', async () => {
    const rows = await list();

    expect(rows.map((row) => row.body)).toEqual([
      'latest',
      '100% done_now',
      'Payment FAILED',
      'first',
    ]);
  });

  it('pages with offset and one extra row', async () => {
    const first = await list({ limit: 2 });
    const second = await list({ limit: 2, offset: 2 });

    expect(first.map((row) => row.body)).toEqual(['latest', '100% done_now', 'Payment FAILED']);
    expect(second.map((row) => row.body)).toEqual(['Payment FAILED', 'first']);
  });

  it('filters by several levels', async () => {
    const rows = await list({ levels: ['error', 'warn'] });

    expect(rows.map((row) => row.level).sort()).toEqual(['error', 'warn']);
  });

  it('filters by trace id', async () => {
    const rows = await list({ traceId: TRACE_B });

    expect(rows.map((row) => row.body)).toEqual(['latest']);
  });

  it('matches body text regardless of case', async () => {
    const lower = await list({ text: 'payment failed' });
    const upper = await list({ text: 'PAYMENT' });

    expect(lower.map((row) => row.body)).toEqual(['Payment FAILED']);
    expect(upper.map((row) => row.body)).toEqual(['Payment FAILED']);
  });

  it('treats % and _ in the text as literal characters', async () => {
    const percent = await list({ text: '0%' });
    const underscore = await list({ text: 'e_n' });
    const wildcardOnly = await list({ text: '%' });

    expect(percent.map((row) => row.body)).toEqual(['100% done_now']);
    expect(underscore.map((row) => row.body)).toEqual(['100% done_now']);
    expect(wildcardOnly.map((row) => row.body)).toEqual(['100% done_now']);
  });

  it('filters by the oldest timestamp', async () => {
    const rows = await list({ sinceUs: (BASE_SECONDS + 5) * 1_000_000 });

    expect(rows.map((row) => row.body)).toEqual(['latest']);
  });

  it('keeps the logs of each project apart', async () => {
    const both = await list({ projectIds: [projectId, otherProjectId], text: 'elsewhere' });
    const none = await list({ projectIds: [] });

    expect(both.map((row) => Number(row.projectId))).toEqual([otherProjectId]);
    expect(none).toEqual([]);
  });

  it('counts accepted logs and their bytes', async () => {
    const logs = [makeLog({ body: 'counted one' }), makeLog({ body: 'counted two' })];
    const bytes = logs.reduce((total, log) => total + Buffer.byteLength(JSON.stringify(log)), 0);

    const outcomes = await process([logRecord(projectId, logs)]);

    expect(outcomes).toEqual([
      expect.objectContaining({ outcome: 'accepted', category: 'log_item', quantity: 2 }),
      expect.objectContaining({ outcome: 'accepted', category: 'log_byte', quantity: bytes }),
    ]);
  });

  it('keeps valid logs beside invalid ones', async () => {
    const outcomes = await process([
      logRecord(projectId, [
        makeLog({ body: 'valid neighbour' }),
        makeLog({ level: 'loud' }),
        'not an object',
        makeLog({ trace_id: 'short' }),
      ]),
    ]);

    expect(await list({ text: 'valid neighbour' })).toHaveLength(1);
    expect(outcomes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ outcome: 'invalid', reason: 'invalid_level', quantity: 1 }),
        expect.objectContaining({ outcome: 'invalid', reason: 'invalid_log', quantity: 1 }),
        expect.objectContaining({ outcome: 'invalid', reason: 'invalid_trace_id', quantity: 1 }),
        expect.objectContaining({ outcome: 'accepted', category: 'log_item', quantity: 1 }),
      ]),
    );
  });

  it('stores a log with NUL characters beside a valid log', async () => {
    const nul = String.fromCharCode(0);
    const outcomes = await process([
      logRecord(projectId, [
        makeLog({
          body: `nul${nul}body`,
          attributes: {
            'sentry.release': { type: 'string', value: `shop${nul}@1` },
            'sentry.environment': { type: 'string', value: `prod${nul}` },
            'sentry.sdk.name': { type: 'string', value: `sdk${nul}` },
            'sentry.sdk.version': { type: 'string', value: `1${nul}` },
            [`key${nul}`]: { type: 'string', value: `value${nul}` },
          },
        }),
        makeLog({ body: 'clean neighbour' }),
      ]),
    ]);

    const cleaned = await list({ text: 'nul' });
    expect(cleaned.map((row) => row.body)).toEqual(['nul\uFFFDbody']);
    expect(cleaned[0]).toMatchObject({
      release: 'shop\uFFFD@1',
      environment: 'prod\uFFFD',
      sdkName: 'sdk\uFFFD',
      sdkVersion: '1\uFFFD',
    });
    expect(JSON.parse(cleaned[0]!.attributes)).toMatchObject({
      [`key${nul}`]: { type: 'string', value: `value${nul}` },
    });
    expect(await list({ text: 'clean neighbour' })).toHaveLength(1);
    expect(outcomes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ outcome: 'accepted', category: 'log_item', quantity: 2 }),
      ]),
    );
  });

  it('rejects a container whose item_count lies', async () => {
    const outcomes = await process([
      logRecord(projectId, [makeLog({ body: 'lying count' }), makeLog()], 3),
    ]);

    expect(await list({ text: 'lying count' })).toEqual([]);
    expect(outcomes).toEqual([
      expect.objectContaining({
        outcome: 'invalid',
        reason: 'invalid_item_count',
        category: 'log_item',
        quantity: 2,
      }),
    ]);
  });

  it('rejects a payload without items', async () => {
    const outcomes = await process([makeRecord(projectId, { logs: [] }, { item_count: 0 })]);

    expect(outcomes).toEqual([
      expect.objectContaining({ outcome: 'invalid', reason: 'invalid_log_container' }),
    ]);
  });

  it('stores the first 1,000 logs of a larger container', async () => {
    const logs = Array.from({ length: 1_003 }, () => makeLog({ body: 'bulk log' }));

    const outcomes = await process([logRecord(projectId, logs)]);

    const stored = await db.kysely
      .selectFrom('logs')
      .select(sql<number>`count(*)`.as('count'))
      .where('body', '=', 'bulk log')
      .executeTakeFirstOrThrow();
    expect(Number(stored.count)).toBe(1_000);
    expect(outcomes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ outcome: 'invalid', reason: 'too_many_items', quantity: 3 }),
        expect.objectContaining({ outcome: 'accepted', category: 'log_item', quantity: 1_000 }),
      ]),
    );
  });

  it('merges several projects newest first', async () => {
    const organization = await createTestOrganization(db, 'merge');
    const shop = await addTestProject(organization, 'shop');
    const mail = await addTestProject(organization, 'mail');
    const at = (seconds: number, body: string) =>
      makeLog({ timestamp: BASE_SECONDS + 100 + seconds, body });
    await process([
      logRecord(shop, [at(1, 'shop 1'), at(4, 'shop 4'), at(5, 'shop 5')]),
      logRecord(mail, [at(2, 'mail 2'), at(3, 'mail 3'), at(6, 'mail 6')]),
    ]);

    const both = { projectIds: [shop, mail], limit: 2 };
    const pages = [
      await list({ ...both, offset: 0 }),
      await list({ ...both, offset: 2 }),
      await list({ ...both, offset: 4 }),
    ];

    expect(pages.map((page) => page.map((row) => row.body))).toEqual([
      ['mail 6', 'shop 5', 'shop 4'],
      ['shop 4', 'mail 3', 'mail 2'],
      ['mail 2', 'shop 1'],
    ]);
  });

  it('merges the projects of a list from their indexes', async () => {
    const query = repository.compileListQuery(
      [projectId, otherProjectId],
      { offset: 50, count: 51 },
      {
        projectIds: [],
        levels: [],
        traceId: undefined,
        text: undefined,
        sinceUs: undefined,
        offset: 0,
        limit: 0,
      },
    );

    const plan = await explainCompiledQuery(db, query, ['bitmapscan']);

    expect(plan).toContain('logs_project_timestamp');
    expect(plan).toMatch(/MERGE \(UNION ALL\)|Merge Append/);
    expect(plan).not.toMatch(/TEMP B-TREE|Seq Scan|Sort\s+\(cost/);
  });

  it.each([
    ['newest first', 'project_id = 1', 'logs_project_timestamp'],
    ['by level', "project_id = 1 AND level = 'error'", 'logs_project_level_timestamp'],
    ['by trace id', `project_id = 1 AND trace_id = '${TRACE_A}'`, 'logs_project_trace_timestamp'],
  ])('serves the list %s from an index', async (_name, where, index) => {
    const query = `SELECT * FROM logs WHERE ${where} ORDER BY timestamp_us DESC, id DESC LIMIT 51`;

    // Without bitmap scans and sorts, PostgreSQL's plan shows whether an index returns the rows
    // in order.
    const plan = await explainQuery(db, query, ['bitmapscan', 'sort']);

    expect(plan).toContain(index);
    expect(plan).not.toMatch(/TEMP B-TREE|Seq Scan|Sort/);
  });
});
