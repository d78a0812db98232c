/**
 * OTLP/HTTP ingest: traces and logs in JSON and protobuf. Traces become `span` queue records
 * for the span processor, so they are checked in the queue of an ingest-only server. Logs are
 * followed through the worker to the log list.
 */
import { gzipSync } from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readMessage, WireWriter } from '../../src/server/platform/protobuf/index.js';
import { buildAmplifyingTraceRequest } from '../fixtures/otlp-requests.js';
import {
  readQueuedRecords,
  startIngestOnly,
  type IngestOnlyInstance,
  type QueuedRecord,
} from '../helpers/ingest-only.js';
import { listLogs, waitForLogs } from '../helpers/logs.js';
import {
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

const SPAN_CONTENT_TYPE = 'application/vnd.sentry.items.span.v2+json';
const LOG_CONTENT_TYPE = 'application/vnd.sentry.items.log+json';
const START_NANOS = BigInt(Date.now() - 5_000) * 1_000_000n;

interface ItemRecordBody {
  meta: { itemHeaders: Record<string, unknown>; client?: string };
  item: { items: Record<string, unknown>[] };
}

let traceCounter = 0;

/** Returns a new trace id, so that each test finds its own queued records. */
function newTraceId(): string {
  traceCounter += 1;
  return `${Date.now().toString(16).padStart(16, '0')}${traceCounter.toString(16).padStart(16, '0')}`;
}

function jsonSpan(traceId: string, overrides: Record<string, unknown> = {}) {
  return {
    traceId,
    spanId: 'e342abb1214ca181',
    name: 'GET /orders',
    kind: 2,
    startTimeUnixNano: String(START_NANOS),
    endTimeUnixNano: String(START_NANOS + 1_500_000n),
    attributes: [{ key: 'http.request.method', value: { stringValue: 'GET' } }],
    status: {},
    ...overrides,
  };
}

function traceJson(spans: unknown[]) {
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'checkout' } },
            { key: 'service.version', value: { stringValue: '3.1.0' } },
            { key: 'deployment.environment.name', value: { stringValue: 'production' } },
          ],
        },
        scopeSpans: [{ scope: { name: 'manual' }, spans }],
      },
    ],
  };
}

function traceProtobuf(traceId: string): Buffer {
  const span = new WireWriter()
    .bytes(1, Buffer.from(traceId, 'hex'))
    .bytes(2, Buffer.from('b7ad6b7169203331', 'hex'))
    .string(5, 'SELECT orders')
    .varint(6, 3)
    .fixed64(7, START_NANOS)
    .fixed64(8, START_NANOS + 2_000_000n)
    .message(
      9,
      new WireWriter().string(1, 'db.system.name').message(2, new WireWriter().string(1, 'pg')),
    );
  const request = new WireWriter().message(
    1,
    new WireWriter().message(2, new WireWriter().message(2, span)),
  );
  return Buffer.from(request.finish());
}

function logsJson(traceId: string, records: Record<string, unknown>[]) {
  return {
    resourceLogs: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'checkout' } },
            { key: 'service.version', value: { stringValue: '3.1.0' } },
          ],
        },
        scopeLogs: [
          {
            scope: { name: 'orders-logger' },
            logRecords: records.map((record) => ({
              timeUnixNano: String(START_NANOS),
              traceId,
              spanId: 'e342abb1214ca181',
              ...record,
            })),
          },
        ],
      },
    ],
  };
}

function logsProtobuf(traceId: string, body: string, severityNumber: number): Buffer {
  const record = new WireWriter()
    .fixed64(1, START_NANOS)
    .varint(2, severityNumber)
    .message(5, new WireWriter().string(1, body))
    .message(
      6,
      new WireWriter().string(1, 'order.id').message(2, new WireWriter().string(1, 'A-7')),
    )
    .bytes(9, Buffer.from(traceId, 'hex'));
  const request = new WireWriter().message(
    1,
    new WireWriter().message(2, new WireWriter().message(2, record)),
  );
  return Buffer.from(request.finish());
}

interface PostOptions {
  contentType?: string;
  auth?: string | null;
  headers?: Record<string, string>;
}

async function post(
  url: string,
  projectId: number,
  path: string,
  body: string | Buffer,
  options: PostOptions = {},
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.contentType !== undefined) {
    headers['content-type'] = options.contentType;
  }
  if (options.auth !== null && options.auth !== undefined) {
    headers['x-sentry-auth'] = options.auth;
  }
  return fetch(`${url}/api/${projectId}/${path}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
}

describe('OTLP traces', () => {
  let ingest: IngestOnlyInstance;
  let auth: string;
  const send = (path: string, body: string | Buffer, options: PostOptions = {}) =>
    post(ingest.url, ingest.project.projectId, path, body, { auth, ...options });
  const sendJson = (path: string, json: unknown, options: PostOptions = {}) =>
    send(path, JSON.stringify(json), { contentType: 'application/json', ...options });

  /** Waits for the queued span records of one trace. */
  const waitForSpanRecords = (traceId: string) =>
    waitFor(async () => {
      const records = readQueuedRecords(ingest.dataDir).filter(
        (record) =>
          record.kind === 'span' &&
          (record.body as ItemRecordBody).item.items[0]?.trace_id === traceId,
      );
      return records.length > 0 ? records : undefined;
    });

  beforeAll(async () => {
    ingest = await startIngestOnly('otlp');
    auth = `sentry sentry_key=${ingest.project.publicKey}, sentry_version=7`;
  });

  afterAll(async () => {
    await ingest?.stop();
  });

  it('queues JSON spans as one span v2 item and answers 202', async () => {
    const traceId = newTraceId();

    const response = await sendJson('integration/otlp/v1/traces', traceJson([jsonSpan(traceId)]), {
      headers: { 'user-agent': 'OTel-OTLP-Exporter-JavaScript/0.223.1' },
    });

    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({});
    const [record] = await waitForSpanRecords(traceId);
    const body = record!.body as ItemRecordBody;
    expect(record!.projectId).toBe(ingest.project.projectId);
    expect(body.meta.itemHeaders).toEqual({
      type: 'span',
      content_type: SPAN_CONTENT_TYPE,
      item_count: 1,
    });
    expect(body.meta.client).toBe('OTel-OTLP-Exporter-JavaScript/0.223.1');
    expect(body.item.items[0]).toEqual({
      trace_id: traceId,
      span_id: 'e342abb1214ca181',
      name: 'GET /orders',
      status: 'ok',
      kind: 'server',
      start_timestamp: Number(START_NANOS / 1_000n) / 1e6,
      end_timestamp: Number((START_NANOS + 1_500_000n) / 1_000n) / 1e6,
      is_remote: false,
      attributes: expect.objectContaining({
        'service.name': { type: 'string', value: 'checkout' },
        'http.request.method': { type: 'string', value: 'GET' },
        'sentry.op': { type: 'string', value: 'http.server' },
        'sentry.release': { type: 'string', value: '3.1.0' },
        'sentry.environment': { type: 'string', value: 'production' },
        'sentry.segment.name': { type: 'string', value: 'GET /orders' },
      }) as unknown,
    });
  });

  it('queues protobuf spans and answers with an empty protobuf response', async () => {
    const traceId = newTraceId();

    const response = await send('integration/otlp/v1/traces/', traceProtobuf(traceId), {
      contentType: 'application/x-protobuf',
    });

    expect(response.status).toBe(202);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    expect((await response.arrayBuffer()).byteLength).toBe(0);
    const [record] = await waitForSpanRecords(traceId);
    expect((record!.body as ItemRecordBody).item.items[0]).toMatchObject({
      name: 'SELECT orders',
      kind: 'client',
      span_id: 'b7ad6b7169203331',
      attributes: { 'sentry.op': { type: 'string', value: 'db' } },
    });
  });

  it.each(['otlp/v1/traces', 'otlp/v1/traces/', 'integration/otlp/v1/traces'])(
    'accepts spans on %s',
    async (path) => {
      const traceId = newTraceId();

      const response = await sendJson(path, traceJson([jsonSpan(traceId)]));

      expect(response.status).toBe(202);
      expect(await waitForSpanRecords(traceId)).toHaveLength(1);
    },
  );

  it('reads a gzip-compressed body', async () => {
    const traceId = newTraceId();

    const response = await send(
      'integration/otlp/v1/traces',
      gzipSync(JSON.stringify(traceJson([jsonSpan(traceId)]))),
      { contentType: 'application/json', headers: { 'content-encoding': 'gzip' } },
    );

    expect(response.status).toBe(202);
    expect(await waitForSpanRecords(traceId)).toHaveLength(1);
  });

  it('queues one item per trace', async () => {
    const first = newTraceId();
    const second = newTraceId();

    await sendJson(
      'integration/otlp/v1/traces',
      traceJson([
        jsonSpan(first),
        jsonSpan(second),
        jsonSpan(first, { spanId: 'a1b2c3d4e5f60718', parentSpanId: 'e342abb1214ca181' }),
      ]),
    );

    const [firstRecord] = await waitForSpanRecords(first);
    const [secondRecord] = await waitForSpanRecords(second);
    expect((firstRecord!.body as ItemRecordBody).meta.itemHeaders.item_count).toBe(2);
    expect((secondRecord!.body as ItemRecordBody).item.items).toHaveLength(1);
  });

  it('keeps valid spans beside invalid ones and reports the rejected count', async () => {
    const traceId = newTraceId();

    const response = await sendJson(
      'integration/otlp/v1/traces',
      traceJson([
        jsonSpan('not-a-trace-id'),
        jsonSpan(traceId, { startTimeUnixNano: '0' }),
        jsonSpan(traceId, { name: 'kept' }),
      ]),
    );

    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({
      partialSuccess: {
        rejectedSpans: '2',
        errorMessage: 'Spans were rejected: 1 invalid_trace_id, 1 invalid_timestamp',
      },
    });
    const [record] = await waitForSpanRecords(traceId);
    expect((record!.body as ItemRecordBody).item.items.map((span) => span.name)).toEqual(['kept']);
  });

  it('counts rejected spans as invalid outcomes', async () => {
    const outcomes = await waitFor(async () => {
      const counts = readQueuedRecords(ingest.dataDir)
        .filter((record: QueuedRecord) => record.kind === 'outcomes')
        .flatMap((record) => record.body as Record<string, unknown>[])
        .filter((count) => count.category === 'span');
      return counts.length >= 2 ? counts : undefined;
    });

    expect(outcomes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          projectId: ingest.project.projectId,
          outcome: 'invalid',
          reason: 'invalid_trace_id',
          quantity: 1,
        }),
        expect.objectContaining({ outcome: 'invalid', reason: 'invalid_timestamp', quantity: 1 }),
      ]),
    );
  });

  it('keeps a request with a large shared attribute within its queue budget', async () => {
    const body = buildAmplifyingTraceRequest();

    const response = await send('integration/otlp/v1/traces', body, {
      contentType: 'application/x-protobuf',
    });

    let rejected = 0;
    let message = '';
    readMessage(new Uint8Array(await response.arrayBuffer()), (field) => {
      readMessage(field.bytes(), (partialSuccess) => {
        if (partialSuccess.number === 1) {
          rejected = partialSuccess.uint32();
        } else if (partialSuccess.number === 2) {
          message = partialSuccess.string();
        }
      });
    });
    const records = readQueuedRecords(ingest.dataDir).filter(
      (record) =>
        record.kind === 'span' &&
        String((record.body as ItemRecordBody).item.items[0]?.trace_id).startsWith('1111111111'),
    );
    const queuedBytes = records.reduce(
      (total, record) => total + Buffer.byteLength(JSON.stringify(record.body)),
      0,
    );
    const queuedSpans = records.reduce(
      (total, record) => total + (record.body as ItemRecordBody).item.items.length,
      0,
    );
    expect(response.status).toBe(202);
    expect(queuedBytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(queuedSpans + rejected).toBe(3_000);
    expect(message).toBe(`Spans were rejected: ${rejected} too_large`);
  });

  it('reports rejected spans in a protobuf response', async () => {
    const badSpan = new WireWriter().bytes(1, Buffer.from('00', 'hex'));
    const request = new WireWriter()
      .message(1, new WireWriter().message(2, new WireWriter().message(2, badSpan)))
      .finish();

    const response = await send('integration/otlp/v1/traces', Buffer.from(request), {
      contentType: 'application/x-protobuf',
    });

    expect(response.status).toBe(202);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(
      Buffer.from(
        new WireWriter()
          .message(
            1,
            new WireWriter().varint(1, 1).string(2, 'Spans were rejected: 1 invalid_trace_id'),
          )
          .finish(),
      ),
    );
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['no content type', undefined],
    ['application/protobuf', 'application/protobuf'],
  ])('answers 415 to %s', async (_name, contentType) => {
    const response = await send('integration/otlp/v1/traces', '{}', {
      ...(contentType === undefined ? {} : { contentType }),
    });

    expect(response.status).toBe(415);
    expect(((await response.json()) as { code: string }).code).toBe('unsupported_media_type');
  });

  it.each([
    ['corrupt protobuf', 'application/x-protobuf', Buffer.from([0x0a, 0x7f, 0x01])],
    ['invalid JSON', 'application/json', '{"resourceSpans": ['],
    ['JSON of the wrong shape', 'application/json', '{"resourceSpans": {}}'],
    ['a JSON array', 'application/json', '[]'],
  ])('answers 400 to %s', async (_name, contentType, body) => {
    const response = await send('integration/otlp/v1/traces', body, { contentType });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).not.toBe('');
  });

  it('answers 401 without a key', async () => {
    const response = await sendJson('integration/otlp/v1/traces', {}, { auth: null });

    expect(response.status).toBe(401);
  });

  it('answers 403 to an unknown key', async () => {
    const response = await sendJson(
      'integration/otlp/v1/traces',
      {},
      { auth: `sentry sentry_key=${'0'.repeat(32)}` },
    );

    expect(response.status).toBe(403);
  });

  it('answers 403 when the key belongs to another project', async () => {
    const response = await post(
      ingest.url,
      ingest.project.projectId + 1,
      'integration/otlp/v1/traces',
      '{}',
      { auth, contentType: 'application/json' },
    );

    expect(response.status).toBe(403);
  });

  it('answers a CORS preflight', async () => {
    const response = await fetch(
      `${ingest.url}/api/${ingest.project.projectId}/integration/otlp/v1/traces/`,
      { method: 'OPTIONS' },
    );

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-headers')).toContain('x-sentry-auth');
  });

  it('queues JSON logs as a log item', async () => {
    const traceId = newTraceId();

    const response = await sendJson(
      'integration/otlp/v1/logs',
      logsJson(traceId, [
        { severityNumber: 9, body: { stringValue: 'queued log' } },
        { severityText: 'ERROR', body: { stringValue: 'queued error' } },
      ]),
    );

    expect(response.status).toBe(202);
    const [record] = await waitFor(async () => {
      const records = readQueuedRecords(ingest.dataDir).filter(
        (candidate) =>
          candidate.kind === 'log' &&
          (candidate.body as ItemRecordBody).item.items[0]?.trace_id === traceId,
      );
      return records.length > 0 ? records : undefined;
    });
    const body = record!.body as ItemRecordBody;
    expect(body.meta.itemHeaders).toEqual({
      type: 'log',
      content_type: LOG_CONTENT_TYPE,
      item_count: 2,
    });
    expect(body.item.items.map((log) => [log.level, log.body])).toEqual([
      ['info', 'queued log'],
      ['error', 'queued error'],
    ]);
  });
});

describe('OTLP logs end to end', () => {
  let picket: PicketInstance;
  let project: TestProject;
  let auth: string;

  beforeAll(async () => {
    picket = await startPicket();
    project = await setupProject(picket, 'otlplogs');
    auth = `sentry sentry_key=${project.publicKey}`;
  });

  afterAll(async () => {
    await picket?.stop();
  });

  it('lists JSON logs with their level, attributes and release', async () => {
    const traceId = newTraceId();

    const response = await post(
      picket.url,
      project.projectId,
      'integration/otlp/v1/logs/',
      JSON.stringify(
        logsJson(traceId, [
          {
            severityNumber: 13,
            body: { stringValue: 'inventory low' },
            attributes: [{ key: 'sku', value: { stringValue: 'X-1' } }],
          },
        ]),
      ),
      { auth, contentType: 'application/json' },
    );

    expect(response.status).toBe(202);
    const [log] = await waitForLogs(picket, project, { traceId }, 1);
    expect(log).toMatchObject({
      traceId,
      spanId: 'e342abb1214ca181',
      level: 'warn',
      severityNumber: 13,
      body: 'inventory low',
      release: '3.1.0',
      environment: null,
    });
    expect(log!.attributes).toMatchObject({
      sku: { type: 'string', value: 'X-1' },
      'service.name': { type: 'string', value: 'checkout' },
      'instrumentation.name': { type: 'string', value: 'orders-logger' },
      'sentry.origin': { type: 'string', value: 'auto.otlp.logs' },
    });
  });

  it('lists protobuf logs, searchable by level and text', async () => {
    const traceId = newTraceId();

    const response = await post(
      picket.url,
      project.projectId,
      'integration/otlp/v1/logs',
      logsProtobuf(traceId, 'Payment declined by bank', 17),
      { auth, contentType: 'application/x-protobuf' },
    );

    expect(response.status).toBe(202);
    await waitForLogs(picket, project, { traceId }, 1);
    const { logs } = await listLogs(picket, project, { level: 'error', query: 'DECLINED' });
    expect(logs.map((log) => [log.body, log.traceId])).toEqual([
      ['Payment declined by bank', traceId],
    ]);
    expect(logs[0]!.attributes['order.id']).toEqual({ type: 'string', value: 'A-7' });
  });
});
