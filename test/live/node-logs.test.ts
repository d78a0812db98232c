/**
 * Sends logs with the real @sentry/node SDK's logger (test/clients/node/node-logs-app.mjs) and
 * searches them through the log list by level, text and trace id.
 */
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Log } from '../../src/shared/api/logs.js';
import { listLogs, waitForLogs } from '../helpers/logs.js';
import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { setupProject, startPicket } from '../helpers/picket.js';
import { NODE_CLIENT_DIR, runProgram } from './clients.js';

const SCRIPT = path.join(NODE_CLIENT_DIR, 'node-logs-app.mjs');
const CLIENT_TIMEOUT_MS = 20_000;

let picket: PicketInstance | undefined;
let project: TestProject;
let traceId: string;
let logs: Log[];

function findLog(body: string): Log {
  const log = logs.find((candidate) => candidate.body === body);
  if (log === undefined) {
    throw new Error(`no stored log "${body}" among ${JSON.stringify(logs.map((l) => l.body))}`);
  }
  return log;
}

beforeAll(async () => {
  picket = await startPicket();
  project = await setupProject(picket, 'nodelogs');
  const stdout = await runProgram(process.execPath, [SCRIPT, project.dsn], {
    timeoutMs: CLIENT_TIMEOUT_MS,
  });
  traceId = (JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { traceId: string }).traceId;
  logs = await waitForLogs(picket, project, { traceId }, 3);
});

afterAll(async () => {
  await picket?.stop();
});

describe('@sentry/node 11.12.0 logger', () => {
  it('stores every log under the span trace id', () => {
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(logs.map((log) => log.body).sort()).toEqual([
      'Payment gateway timeout',
      'order accepted',
      'stock low for sku-7',
    ]);
  });

  it('finds logs by level', async () => {
    const errors = await listLogs(picket!, project, { level: 'error' });
    const warnings = await listLogs(picket!, project, { level: 'warn' });

    expect(errors.logs.map((log) => log.body)).toEqual(['Payment gateway timeout']);
    expect(warnings.logs.map((log) => log.body)).toEqual(['stock low for sku-7']);
  });

  it('finds logs by text regardless of case', async () => {
    const { logs: found } = await listLogs(picket!, project, { query: 'GATEWAY time' });

    expect(found.map((log) => log.body)).toEqual(['Payment gateway timeout']);
  });

  it('finds no logs of another trace id', async () => {
    const { logs: found } = await listLogs(picket!, project, { traceId: 'f'.repeat(32) });

    expect(found).toEqual([]);
  });

  it('keeps severity, release, environment and SDK', () => {
    const log = findLog('Payment gateway timeout');

    expect(log.severityNumber).toBe(17);
    expect(log.release).toBe('picket-node-logs@1.0.0');
    expect(log.environment).toBe('live-test');
    expect(log.sdk).toEqual({ name: 'sentry.javascript.node', version: '11.12.0' });
  });

  it('keeps typed attributes', () => {
    expect(findLog('order accepted').attributes).toMatchObject({
      orderId: { type: 'string', value: 'A-42' },
      total: { type: 'double', value: 12.5 },
    });
    expect(findLog('Payment gateway timeout').attributes).toMatchObject({
      gateway: { type: 'string', value: 'acme-pay' },
      retry: { type: 'boolean', value: true },
    });
  });

  it('keeps the template and parameters of a formatted message', () => {
    expect(findLog('stock low for sku-7').attributes).toMatchObject({
      'sentry.message.template': { type: 'string', value: 'stock low for %s' },
      'sentry.message.parameter.0': { type: 'string', value: 'sku-7' },
      remaining: { type: 'integer', value: 3 },
    });
  });

  it('links each log to its span', () => {
    const parentSpan = findLog('order accepted').attributes['sentry.trace.parent_span_id'];

    expect(parentSpan?.value).toMatch(/^[0-9a-f]{16}$/);
  });
});
