/**
 * Sends log items in envelopes to a running Picket and reads them back through
 * `GET /api/0/organizations/{org}/logs/`, on SQLite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Log } from '../../src/shared/api/logs.js';
import { SERVER_ENGINES } from '../helpers/engines.js';
import { listLogs, readOutcomes, waitForLogs, waitForOutcome } from '../helpers/logs.js';
import {
  sendEnvelope,
  setupProject,
  startPicket,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

const TRACE_A = '5b8efff798038103d269b633813fc60c';
const TRACE_B = '0af7651916cd43dd8448eb211c80319c';
const NOW_SECONDS = Math.floor(Date.now() / 1_000);
const LOG_CONTENT_TYPE = 'application/vnd.sentry.items.log+json';

function makeLog(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    timestamp: NOW_SECONDS - 60,
    level: 'info',
    body: 'a log',
    trace_id: TRACE_A,
    attributes: {
      'sentry.release': { type: 'string', value: 'shop@2.0.0' },
      'sentry.environment': { type: 'string', value: 'staging' },
      orderId: { type: 'string', value: 'A-1' },
    },
    ...overrides,
  };
}

function logItem(logs: unknown[], itemCount: number = logs.length) {
  return {
    headers: { type: 'log', item_count: itemCount, content_type: LOG_CONTENT_TYPE },
    payload: { items: logs },
  };
}

const SDK_HEADER = { sdk: { name: 'sentry.javascript.node', version: '11.12.0' } };

const STORED_LOGS = [
  makeLog({ timestamp: NOW_SECONDS - 50.123456, body: 'Payment FAILED for order', level: 'error' }),
  makeLog({
    timestamp: NOW_SECONDS - 40,
    body: 'disk 95% full_now',
    level: 'warn',
    span_id: 'b7ad6b7169203331',
  }),
  makeLog({ timestamp: NOW_SECONDS - 30, body: 'cache warmed', level: 'debug', trace_id: TRACE_B }),
  makeLog({ timestamp: NOW_SECONDS - 20, body: 'request served', level: 'info' }),
  makeLog({ timestamp: NOW_SECONDS - 3 * 86_400, body: 'three days old', level: 'fatal' }),
];

describe.each(SERVER_ENGINES)('logs API on $name', ({ databaseUrl }) => {
  let picket: PicketInstance;
  let project: TestProject;
  let outsider: TestProject;
  const responses: number[] = [];

  beforeAll(async () => {
    picket = await startPicket({ databaseUrl: await databaseUrl() });
    project = await setupProject(picket, 'logs');
    outsider = await setupProject(picket, 'outsider');

    const envelopes = [
      [logItem(STORED_LOGS)],
      [logItem([makeLog({ body: 'lying count one' }), makeLog({ body: 'lying count two' })], 5)],
      [
        logItem([
          makeLog({ body: 'kept beside bad ones', timestamp: NOW_SECONDS - 10 }),
          'not an object',
          makeLog({ body: 'loud', level: 'loud' }),
        ]),
      ],
    ];
    for (const items of envelopes) {
      responses.push((await sendEnvelope(project.dsn, items, SDK_HEADER)).status);
    }

    await waitForLogs(picket, project, {}, STORED_LOGS.length + 1);
  });

  afterAll(async () => {
    await picket?.stop();
  });

  it('acknowledges every envelope with 200', () => {
    expect(responses).toEqual([200, 200, 200]);
  });

  it('lists logs newest first with their fields', async () => {
    const { logs } = await listLogs(picket, project);

    expect(logs.map((log) => log.body)).toEqual([
      'kept beside bad ones',
      'request served',
      'cache warmed',
      'disk 95% full_now',
      'Payment FAILED for order',
      'three days old',
    ]);
    const failed = logs.find((log) => log.level === 'error')!;
    expect(failed).toEqual<Log>({
      id: expect.any(String) as string,
      projectId: String(project.projectId),
      timestamp: `${new Date((NOW_SECONDS - 51) * 1_000).toISOString().slice(0, 20)}876544Z`,
      traceId: TRACE_A,
      spanId: null,
      level: 'error',
      severityNumber: 17,
      body: 'Payment FAILED for order',
      attributes: {
        'sentry.release': { type: 'string', value: 'shop@2.0.0' },
        'sentry.environment': { type: 'string', value: 'staging' },
        orderId: { type: 'string', value: 'A-1' },
      },
      release: 'shop@2.0.0',
      environment: 'staging',
      sdk: { name: 'sentry.javascript.node', version: '11.12.0' },
    });
  });

  it('keeps the span id of a log', async () => {
    const { logs } = await listLogs(picket, project, { level: 'warn' });

    expect(logs.map((log) => log.spanId)).toEqual(['b7ad6b7169203331']);
  });

  it('filters by several levels, repeated or comma-separated', async () => {
    const repeated = await listLogs(picket, project, { level: ['error', 'warn'] });
    const commas = await listLogs(picket, project, { level: 'error,warn' });

    expect(repeated.logs.map((log) => log.level)).toEqual(['warn', 'error']);
    expect(commas.logs.map((log) => log.level)).toEqual(['warn', 'error']);
  });

  it('searches the body regardless of case', async () => {
    const { logs } = await listLogs(picket, project, { query: 'payment failed' });

    expect(logs.map((log) => log.body)).toEqual(['Payment FAILED for order']);
  });

  it('searches % and _ as plain characters', async () => {
    const percent = await listLogs(picket, project, { query: '5% f' });
    const underscore = await listLogs(picket, project, { query: 'l_n' });
    const lonePercent = await listLogs(picket, project, { query: '%' });

    expect(percent.logs.map((log) => log.body)).toEqual(['disk 95% full_now']);
    expect(underscore.logs.map((log) => log.body)).toEqual(['disk 95% full_now']);
    expect(lonePercent.logs.map((log) => log.body)).toEqual(['disk 95% full_now']);
  });

  it('filters by trace id, hyphenated or not', async () => {
    const plain = await listLogs(picket, project, { traceId: TRACE_B });
    const upper = await listLogs(picket, project, { traceId: TRACE_B.toUpperCase() });

    expect(plain.logs.map((log) => log.body)).toEqual(['cache warmed']);
    expect(upper.logs.map((log) => log.body)).toEqual(['cache warmed']);
  });

  it('leaves out logs older than statsPeriod', async () => {
    const { logs } = await listLogs(picket, project, { statsPeriod: '24h' });

    expect(logs.map((log) => log.body)).not.toContain('three days old');
    expect(logs).toHaveLength(5);
  });

  it('paginates with Link cursors', async () => {
    const first = await listLogs(picket, project, { per_page: '4' });
    const cursor = /cursor="([^"]+)"$/.exec(first.link.split(', ')[1] ?? '')?.[1];
    const second = await listLogs(picket, project, { per_page: '4', cursor: cursor ?? '' });

    expect(first.logs).toHaveLength(4);
    expect(first.link).toContain('rel="next"; results="true"');
    expect(second.logs.map((log) => log.body)).toEqual([
      'Payment FAILED for order',
      'three days old',
    ]);
    expect(second.link).toContain('rel="next"; results="false"');
  });

  it('filters by project id', async () => {
    const own = await listLogs(picket, project, { project: String(project.projectId) });
    const foreign = await listLogs(picket, project, { project: String(outsider.projectId) });

    expect(own.logs).toHaveLength(6);
    expect(foreign.logs).toEqual([]);
  });

  it.each([
    [{ level: 'verbose' }, 'Invalid level'],
    [{ traceId: 'not-a-trace' }, 'Invalid traceId'],
    [{ statsPeriod: 'yesterday' }, 'Invalid statsPeriod'],
    [{ per_page: '0' }, 'Invalid page size'],
    [{ project: 'web' }, 'Invalid project'],
    [{ query: ['a', 'b'] }, 'Send query once'],
  ])('rejects %o with 400', async (params, detail) => {
    const error = await listLogs(picket, project, params).catch((caught: unknown) => caught);

    expect(String(error)).toContain('answered 400');
    expect(String(error)).toContain(detail);
  });

  it('answers 404 to a user outside the organization', async () => {
    const response = await fetch(`${picket.url}/api/0/organizations/${project.orgSlug}/logs/`, {
      headers: { authorization: `Bearer ${outsider.token}` },
    });

    expect(response.status).toBe(404);
  });

  it('answers 401 without credentials', async () => {
    const response = await fetch(`${picket.url}/api/0/organizations/${project.orgSlug}/logs/`);

    expect(response.status).toBe(401);
  });

  it('rejects a container whose item_count lies and stores none of it', async () => {
    const outcome = await waitForOutcome(picket, project.projectId, {
      reason: 'invalid_item_count',
    });
    const { logs } = await listLogs(picket, project, { query: 'lying count' });

    expect(outcome).toEqual({
      outcome: 'invalid',
      reason: 'invalid_item_count',
      category: 'log_item',
      quantity: 2,
    });
    expect(logs).toEqual([]);
  });

  it('counts invalid logs beside the stored ones', async () => {
    await waitForOutcome(picket, project.projectId, { reason: 'invalid_level' });
    const outcomes = await readOutcomes(picket, project.projectId);

    expect(outcomes).toEqual(
      expect.arrayContaining([
        { outcome: 'invalid', reason: 'invalid_log', category: 'log_item', quantity: 1 },
        { outcome: 'invalid', reason: 'invalid_level', category: 'log_item', quantity: 1 },
        { outcome: 'accepted', reason: '', category: 'log_item', quantity: 6 },
      ]),
    );
  });

  it('counts the bytes of accepted logs', async () => {
    const outcome = await waitForOutcome(picket, project.projectId, { category: 'log_byte' });

    expect(outcome.outcome).toBe('accepted');
    expect(outcome.quantity).toBeGreaterThan(6 * 100);
  });
});
