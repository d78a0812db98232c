/**
 * Replays the transaction and span requests that real SDKs sent (@sentry/node and
 * @sentry/browser in both trace modes, sentry-python, sentry-ruby) and reads them back through
 * the web API: transactions by event id and in the transaction list, spans in their traces.
 */
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseTimestamp } from '../../src/server/features/processing/normalize-timestamp.js';
import type { Trace, TransactionSummary } from '../../src/shared/api/performance.js';
import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { setupProject, startPicket } from '../helpers/picket.js';
import type { ApiTransactionEvent } from '../live/performance-api.js';
import {
  hasSpans,
  listTransactions,
  spanEntries,
  waitForTrace,
  waitForTransactionEvent,
} from '../live/performance-api.js';
import type { Capture, ReplayResponse, ReplayTarget } from './captures.js';
import { CAPTURES_DIR, capturedItems, replayCapture } from './captures.js';

const SETS = [
  'node',
  'node-static-tracing',
  'browser',
  'browser-static-tracing',
  'python',
  'ruby',
] as const;
const WAIT_MS = 30_000;
const SPAN_V2 = 'application/vnd.sentry.items.span.v2+json';

interface ExpectedTransaction {
  label: string;
  eventId: string;
  traceId: string;
  spanId: string;
  name: string;
  op: string | undefined;
  durationMs: number;
  childSpanIds: string[];
}

interface ExpectedSpan {
  spanId: string;
  parentSpanId: string | null;
  name: string | null;
  op: string | null;
  isSegment: boolean;
}

interface ExpectedSpanItem {
  label: string;
  traceId: string;
  spans: ExpectedSpan[];
}

type Json = Record<string, unknown>;

function loadSets(): Capture[] {
  return SETS.flatMap((set) =>
    fs
      .readdirSync(path.join(CAPTURES_DIR, set))
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((file) => {
        const text = fs.readFileSync(path.join(CAPTURES_DIR, set, file), 'utf8');
        return { ...(JSON.parse(text) as Capture), label: `${set}/${file}` };
      }),
  );
}

function seconds(value: unknown): number {
  const parsed = parseTimestamp(value);
  if (parsed === undefined) {
    throw new Error(`capture has an unreadable timestamp ${JSON.stringify(value)}`);
  }
  return parsed;
}

function expectedTransactions(capture: Capture): ExpectedTransaction[] {
  return capturedItems(capture)
    .filter((item) => item.header.type === 'transaction')
    .map((item) => {
      const payload = item.payload as Json;
      const trace = (payload.contexts as Json).trace as Json;
      const id = capture.envelope?.header.event_id ?? payload.event_id;
      return {
        label: capture.label,
        eventId: String(id).replaceAll('-', '').toLowerCase(),
        traceId: String(trace.trace_id),
        spanId: String(trace.span_id),
        name: String(payload.transaction),
        op: typeof trace.op === 'string' ? trace.op : undefined,
        durationMs: (seconds(payload.timestamp) - seconds(payload.start_timestamp)) * 1000,
        childSpanIds: ((payload.spans ?? []) as Json[]).map((span) => String(span.span_id)),
      };
    });
}

function expectedSpanItems(capture: Capture): ExpectedSpanItem[] {
  return capturedItems(capture)
    .filter((item) => item.header.type === 'span' && item.header.content_type === SPAN_V2)
    .map((item) => {
      const spans = ((item.payload as Json).items as Json[]).map((span) => {
        const attributes = (span.attributes ?? {}) as Record<string, { value?: unknown }>;
        const op = attributes['sentry.op']?.value;
        return {
          spanId: String(span.span_id),
          parentSpanId: typeof span.parent_span_id === 'string' ? span.parent_span_id : null,
          name: typeof span.name === 'string' ? span.name : null,
          op: typeof op === 'string' ? op : null,
          isSegment: span.is_segment === true,
        };
      });
      return { label: capture.label, traceId: getTraceId(item), spans };
    });
}

function getTraceId(item: { payload: unknown }): string {
  const first = ((item.payload as Json).items as Json[])[0];
  return String(first?.trace_id);
}

const captures = loadSets();
const transactions = captures.flatMap(expectedTransactions);
const spanItems = captures.flatMap(expectedSpanItems);

let picket: PicketInstance | undefined;
let project: TestProject;
const responses = new Map<string, ReplayResponse | Error>();
const storedTransactions = new Map<string, ApiTransactionEvent | Error>();
const traces = new Map<string, Trace | Error>();
let listed: TransactionSummary[] | Error = [];

beforeAll(async () => {
  picket = await startPicket();
  project = await setupProject(picket, 'perf-replay');
  const target: ReplayTarget = {
    baseUrl: picket.url,
    projectId: String(project.projectId),
    publicKey: project.publicKey,
    dsn: project.dsn,
    apiToken: project.token,
  };

  for (const capture of captures) {
    try {
      responses.set(capture.label, await replayCapture(capture, target));
    } catch (error) {
      responses.set(capture.label, error as Error);
    }
  }

  const deadline = Date.now() + WAIT_MS;
  const remaining = () => Math.max(deadline - Date.now(), 1);
  for (const expected of transactions) {
    try {
      const event = await waitForTransactionEvent(picket, project, expected.eventId, remaining());
      storedTransactions.set(expected.eventId, event);
    } catch (error) {
      storedTransactions.set(expected.eventId, error as Error);
    }
  }

  for (const item of spanItems) {
    const spanIds = item.spans.map((span) => span.spanId);
    try {
      const trace = await waitForTrace(
        picket,
        project,
        item.traceId,
        (candidate) => hasSpans(candidate, spanIds),
        remaining(),
      );
      traces.set(item.label, trace);
    } catch (error) {
      traces.set(item.label, error as Error);
    }
  }

  try {
    listed = await listTransactions(picket, project);
  } catch (error) {
    listed = error as Error;
  }
});

afterAll(async () => {
  await picket?.stop();
});

function stored<T>(value: T | Error | undefined, label: string): T {
  if (value instanceof Error) {
    throw value;
  }
  if (value === undefined) {
    throw new Error(`${label} was not read`);
  }
  return value;
}

describe('performance capture replay', () => {
  it('replays transaction and span captures', () => {
    expect(transactions.length, 'transaction items in the captures').toBeGreaterThanOrEqual(5);
    expect(spanItems.length, 'v2 span containers in the captures').toBeGreaterThanOrEqual(4);
  });

  it.each(captures.map((capture) => [capture.label] as const))('%s is accepted', (label) => {
    const response = stored(responses.get(label), label);
    expect(response.status, `status; body: ${response.text}`).toBe(200);
  });

  it.each(transactions.map((expected) => [expected.label, expected] as const))(
    '%s reads back as a transaction',
    (_label, expected) => {
      const event = stored(storedTransactions.get(expected.eventId), expected.eventId);

      expect(event.type).toBe('transaction');
      expect(event.eventID).toBe(expected.eventId);
      expect(event.title).toBe(expected.name);
      expect(event.contexts?.trace?.trace_id).toBe(expected.traceId);
      expect(event.contexts?.trace?.span_id).toBe(expected.spanId);
      expect((event.endTimestamp - event.startTimestamp) * 1000).toBeCloseTo(
        expected.durationMs,
        2,
      );
    },
  );

  it.each(transactions.map((expected) => [expected.label, expected] as const))(
    '%s keeps every child span',
    (_label, expected) => {
      const event = stored(storedTransactions.get(expected.eventId), expected.eventId);
      const spans = spanEntries(event);

      expect(spans.map((span) => span.span_id).sort()).toEqual([...expected.childSpanIds].sort());
      for (const span of spans) {
        expect(span.start_timestamp, `span ${span.span_id} start`).toBeGreaterThanOrEqual(
          event.startTimestamp - 1,
        );
        expect(span.timestamp, `span ${span.span_id} end`).toBeGreaterThanOrEqual(
          span.start_timestamp,
        );
      }
    },
  );

  it.each(transactions.map((expected) => [expected.label, expected] as const))(
    '%s is listed with its trace',
    (_label, expected) => {
      const list = stored(listed, 'transaction list');
      const summary = list.find((candidate) => candidate.eventID === expected.eventId);

      expect(summary, `transaction ${expected.eventId} in the list`).toBeDefined();
      expect(summary!.transaction).toBe(expected.name);
      expect(summary!.traceID).toBe(expected.traceId);
      expect(summary!.op).toBe(expected.op ?? null);
      expect(summary!.projectSlug).toBe(project.projectSlug);
      expect(summary!.duration).toBeCloseTo(expected.durationMs, 2);
    },
  );

  it.each(spanItems.map((item) => [item.label, item] as const))(
    '%s spans land in their trace',
    (label, item) => {
      const trace = stored(traces.get(label), label);
      const byId = new Map(trace.spans.map((span) => [span.spanID, span]));

      for (const expected of item.spans) {
        const span = byId.get(expected.spanId);
        expect(span, `span ${expected.spanId}`).toBeDefined();
        expect(span!.description).toBe(expected.name);
        expect(span!.op).toBe(expected.op);
        expect(span!.parentSpanID).toBe(expected.parentSpanId);
        expect(span!.endTimestamp).toBeGreaterThanOrEqual(span!.startTimestamp);
      }
    },
  );

  it.each(spanItems.map((item) => [item.label, item] as const))(
    '%s segments are listed as transactions',
    (label, item) => {
      const list = stored(listed, 'transaction list');

      for (const segment of item.spans.filter((span) => span.isSegment)) {
        const summary = list.find((candidate) => candidate.spanID === segment.spanId);
        expect(summary, `segment ${segment.spanId} of ${label} in the list`).toBeDefined();
        expect(summary!.traceID).toBe(item.traceId);
        expect(summary!.op).toBe(segment.op);
      }
    },
  );

  it('links streamed node spans into one tree', () => {
    const item = spanItems.find((candidate) => candidate.label === 'node/004-envelope-span.json');
    const trace = stored(traces.get(item!.label), item!.label);
    const ids = new Set(trace.spans.map((span) => span.spanID));
    const segment = item!.spans.find((span) => span.isSegment)!;

    for (const span of item!.spans) {
      if (span.parentSpanId !== null) {
        expect(ids.has(span.parentSpanId), `parent of ${span.spanId}`).toBe(true);
      }
    }
    expect(trace.spans.find((span) => span.spanID === segment.spanId)?.isTransaction).toBe(true);
  });

  it('returns a streamed segment as a transaction event', async () => {
    const item = spanItems.find((candidate) => candidate.label === 'node/004-envelope-span.json');
    const segment = item!.spans.find((span) => span.isSegment)!;
    const list = stored(listed, 'transaction list');
    const summary = list.find((candidate) => candidate.spanID === segment.spanId)!;

    const event = await waitForTransactionEvent(picket!, project, summary.eventID);

    expect(event.type).toBe('transaction');
    expect(event.title).toBe(segment.name);
    expect(
      spanEntries(event)
        .map((span) => span.span_id)
        .sort(),
    ).toEqual(
      item!.spans
        .filter((span) => !span.isSegment)
        .map((span) => span.spanId)
        .sort(),
    );
  });

  it('keeps microseconds of RFC 3339 timestamps', () => {
    const python = transactions.find((expected) => expected.label.startsWith('python/'))!;
    const event = stored(storedTransactions.get(python.eventId), python.eventId);

    // 15:39:48.274744Z - 15:39:48.247389Z in the python capture.
    expect((event.endTimestamp - event.startTimestamp) * 1000).toBeCloseTo(27.355, 3);
  });
});
