import { describe, expect, it } from 'vitest';

import {
  buildAmplifyingTraceRequest,
  buildLogsRequest,
} from '../../../../test/fixtures/otlp-requests.js';
import type { QueueRecord } from '../../platform/queue/index.js';
import { acceptLogs, acceptTraces } from './otlp-accept.js';
import { MAX_ATTRIBUTE_VALUE_BYTES } from './otlp-attributes.js';
import { readLogsRequest } from './otlp-json.js';
import { MAX_ENTRIES_PER_REQUEST } from './otlp-model.js';
import { decodeLogsRequest, decodeTraceRequest } from './otlp-protobuf.js';
import { queueBudgetBytes, type RecordContext } from './otlp-records.js';

const CONTEXT: RecordContext = {
  projectId: 1,
  receivedAt: 1_796_398_645_000,
  clientIp: '127.0.0.1',
  client: 'OTel-OTLP-Exporter-JavaScript/0.223.1',
};

interface QueuedItems {
  item: { items: { attributes: Record<string, { value: unknown }> }[] };
}

function queuedBytes(records: QueueRecord[]): number {
  return records.reduce((total, record) => total + Buffer.byteLength(record.body), 0);
}

function queuedItems(records: QueueRecord[]) {
  return records.flatMap((record) => (JSON.parse(record.body) as QueuedItems).item.items);
}

describe('acceptTraces', () => {
  it('keeps the 246 KB amplifying request within its queue budget', () => {
    const body = buildAmplifyingTraceRequest();

    const accepted = acceptTraces(decodeTraceRequest(body), body.length, CONTEXT);

    const spans = queuedItems(accepted.records);
    expect(body.length).toBeGreaterThan(240_000);
    expect(body.length).toBeLessThan(250_000);
    expect(queuedBytes(accepted.records)).toBeLessThanOrEqual(queueBudgetBytes(body.length));
    expect(queueBudgetBytes(body.length)).toBe(4 * 1024 * 1024);
    expect(spans.length + accepted.rejected).toBe(3_000);
    expect(accepted.rejections).toEqual(new Map([['too_large', 3_000 - spans.length]]));
  });

  it('cuts the copied resource attribute to the value limit', () => {
    const body = buildAmplifyingTraceRequest(10);

    const accepted = acceptTraces(decodeTraceRequest(body), body.length, CONTEXT);

    const [span] = queuedItems(accepted.records);
    const description = span?.attributes['service.description']?.value as string;
    expect(Buffer.byteLength(description)).toBe(MAX_ATTRIBUTE_VALUE_BYTES);
    expect(accepted.rejected).toBe(0);
  });

  it('rejects the spans past the request limit', () => {
    const body = buildAmplifyingTraceRequest(MAX_ENTRIES_PER_REQUEST + 5, 10);

    const accepted = acceptTraces(decodeTraceRequest(body), body.length, CONTEXT);

    expect(queuedItems(accepted.records)).toHaveLength(MAX_ENTRIES_PER_REQUEST);
    expect(accepted.rejections).toEqual(new Map([['too_many_items', 5]]));
    expect(accepted.rejectionMessage).toBe('Spans were rejected: 5 too_many_items');
  });
});

describe('acceptLogs', () => {
  it('rejects the log records past the request limit', () => {
    const body = buildLogsRequest(MAX_ENTRIES_PER_REQUEST + 2);

    const accepted = acceptLogs(decodeLogsRequest(body), body.length, CONTEXT);

    expect(queuedItems(accepted.records)).toHaveLength(MAX_ENTRIES_PER_REQUEST);
    expect(accepted.rejections).toEqual(new Map([['too_many_items', 2]]));
  });

  it('rejects JSON log records past the request limit', () => {
    const logRecords = Array.from({ length: MAX_ENTRIES_PER_REQUEST + 3 }, () => ({
      body: { stringValue: 'json log' },
    }));
    const json = { resourceLogs: [{ scopeLogs: [{ logRecords }] }] };

    const accepted = acceptLogs(readLogsRequest(json), JSON.stringify(json).length, CONTEXT);

    expect(queuedItems(accepted.records)).toHaveLength(MAX_ENTRIES_PER_REQUEST);
    expect(accepted.rejections).toEqual(new Map([['too_many_items', 3]]));
  });

  it('rejects log records past the queue budget', () => {
    const body = buildLogsRequest(3_000, 'log line', 100_000);

    const accepted = acceptLogs(decodeLogsRequest(body), body.length, CONTEXT);

    const kept = queuedItems(accepted.records).length;
    expect(queuedBytes(accepted.records)).toBeLessThanOrEqual(queueBudgetBytes(body.length));
    expect(kept).toBeGreaterThan(0);
    expect(accepted.rejections).toEqual(new Map([['too_large', 3_000 - kept]]));
    expect(accepted.rejectionMessage).toBe(`Log records were rejected: ${3_000 - kept} too_large`);
  });
});
