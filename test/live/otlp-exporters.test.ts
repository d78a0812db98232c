/**
 * Sends traces and logs with the real OpenTelemetry JavaScript exporters
 * (test/clients/node/otlp-app.mjs), in OTLP JSON and in protobuf. Spans are checked in the queue
 * of an ingest-only server, where they wait for the span processor. Logs are read back through
 * the log list of a full server.
 */
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  readQueuedRecords,
  startIngestOnly,
  type IngestOnlyInstance,
} from '../helpers/ingest-only.js';
import { waitForLogs } from '../helpers/logs.js';
import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { setupProject, startPicket, waitFor } from '../helpers/picket.js';
import { NODE_CLIENT_DIR, runProgram } from './clients.js';

const SCRIPT = path.join(NODE_CLIENT_DIR, 'otlp-app.mjs');
const CLIENT_TIMEOUT_MS = 30_000;

// The protobuf runs also compress, through the exporters' own environment variable.
const FORMATS = [
  { format: 'json', env: {} },
  { format: 'protobuf', env: { OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' } },
] as const;

interface SentIds {
  traceId: string;
  rootSpanId: string;
  childSpanId: string;
}

interface QueuedSpan {
  trace_id: string;
  span_id: string;
  parent_span_id?: string;
  name: string;
  kind: string;
  status: string;
  attributes: Record<string, { type: string; value: unknown }>;
}

interface SpanRecordBody {
  meta: { itemHeaders: Record<string, unknown> };
  item: { items: QueuedSpan[] };
}

async function runExporters(
  baseUrl: string,
  project: { projectId: number; publicKey: string },
  format: string,
  env: Record<string, string>,
  tracesPath = 'integration/otlp/v1/traces',
): Promise<SentIds> {
  const apiBase = `${baseUrl}/api/${project.projectId}`;
  const stdout = await runProgram(
    process.execPath,
    [
      SCRIPT,
      `${apiBase}/${tracesPath}`,
      `${apiBase}/integration/otlp/v1/logs`,
      project.publicKey,
      format,
    ],
    { timeoutMs: CLIENT_TIMEOUT_MS, env: { ...process.env, ...env } },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as SentIds;
}

describe.each(FORMATS)('OpenTelemetry exporters over $format', ({ format, env }) => {
  let ingest: IngestOnlyInstance;
  let ids: SentIds;
  let record: SpanRecordBody;

  beforeAll(async () => {
    ingest = await startIngestOnly(`otel-${format}`);
    const tracesPath = format === 'json' ? 'integration/otlp/v1/traces' : 'otlp/v1/traces/';
    ids = await runExporters(ingest.url, ingest.project, format, env, tracesPath);
    record = await waitFor(async () => {
      const found = readQueuedRecords(ingest.dataDir).find(
        (candidate) =>
          candidate.kind === 'span' &&
          (candidate.body as SpanRecordBody).item.items[0]?.trace_id === ids.traceId,
      );
      return found?.body as SpanRecordBody | undefined;
    });
  });

  afterAll(async () => {
    await ingest?.stop();
  });

  it('queues both spans of the trace in one span item', () => {
    expect(record.meta.itemHeaders).toEqual({
      type: 'span',
      content_type: 'application/vnd.sentry.items.span.v2+json',
      item_count: 2,
    });
    expect(record.item.items.map((span) => span.span_id).sort()).toEqual(
      [ids.rootSpanId, ids.childSpanId].sort(),
    );
  });

  it('maps the server span', () => {
    const root = record.item.items.find((span) => span.span_id === ids.rootSpanId);

    expect(root).toMatchObject({
      name: 'GET /cart',
      kind: 'server',
      status: 'ok',
      attributes: {
        'sentry.op': { type: 'string', value: 'http.server' },
        'sentry.release': { type: 'string', value: '4.5.6' },
        'sentry.environment': { type: 'string', value: 'otel-test' },
        'sentry.segment.name': { type: 'string', value: 'GET /cart' },
        'service.name': { type: 'string', value: 'otlp-client' },
        'cart.items': { type: 'integer', value: 3 },
        'instrumentation.name': { type: 'string', value: 'picket-otlp-test' },
      },
    });
    expect(root).not.toHaveProperty('parent_span_id');
  });

  it('maps the failed database span under its parent', () => {
    const child = record.item.items.find((span) => span.span_id === ids.childSpanId);

    expect(child).toMatchObject({
      parent_span_id: ids.rootSpanId,
      name: 'SELECT carts',
      kind: 'client',
      status: 'error',
      attributes: {
        'sentry.op': { type: 'string', value: 'db' },
        'sentry.status.message': { type: 'string', value: 'connection reset' },
        'sentry.segment.id': { type: 'string', value: ids.rootSpanId },
      },
    });
  });

  it('keeps span times in order with microseconds', () => {
    for (const span of record.item.items as (QueuedSpan & Record<string, number>)[]) {
      expect(span.end_timestamp, span.name).toBeGreaterThanOrEqual(span.start_timestamp!);
      expect(Math.abs(span.start_timestamp! - Date.now() / 1_000), span.name).toBeLessThan(120);
    }
  });
});

describe('OpenTelemetry log exporters to the log list', () => {
  let picket: PicketInstance;
  let project: TestProject;
  const sent = new Map<string, SentIds>();

  beforeAll(async () => {
    picket = await startPicket();
    project = await setupProject(picket, 'otel-logs');
    for (const { format, env } of FORMATS) {
      sent.set(format, await runExporters(picket.url, project, format, env));
    }
  });

  afterAll(async () => {
    await picket?.stop();
  });

  it.each(FORMATS.map(({ format }) => format))('lists the logs sent over %s', async (format) => {
    const ids = sent.get(format)!;

    const logs = await waitForLogs(picket, project, { traceId: ids.traceId }, 2);

    expect(logs.map((log) => [log.level, log.body]).sort()).toEqual([
      ['error', `cart query failed over ${format}`],
      ['info', `cart loaded over ${format}`],
    ]);
  });

  it.each(FORMATS.map(({ format }) => format))(
    'keeps span, release and attributes of %s logs',
    async (format) => {
      const ids = sent.get(format)!;

      const logs = await waitForLogs(picket, project, { traceId: ids.traceId, level: 'error' }, 1);

      expect(logs[0]).toMatchObject({
        spanId: ids.childSpanId,
        severityNumber: 17,
        release: '4.5.6',
        environment: 'otel-test',
        attributes: {
          'db.statement': { type: 'string', value: 'SELECT * FROM carts' },
          'service.name': { type: 'string', value: 'otlp-client' },
          'sentry.origin': { type: 'string', value: 'auto.otlp.logs' },
        },
      });
    },
  );
});
