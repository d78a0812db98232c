/**
 * Runs a real-SDK tracing client and reads its trace back. Every client script (Node, Python,
 * Ruby) sends the same trace: a `process-order` transaction (op `task`) with a query span, a
 * render span and a file span inside the render span, and one error captured inside the
 * transaction. The script prints `{"traceId", "rootSpanId", "errorEventId"}` as its last line.
 */
import { expect } from 'vitest';

import type { Trace, TraceSpan, TransactionSummary } from '../../src/shared/api/performance.js';
import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { waitForEvent } from './api.js';
import { runProgram } from './clients.js';
import type { ApiTransactionEvent } from './performance-api.js';
import {
  listTransactions,
  spanEntries,
  waitForTrace,
  waitForTransactionEvent,
} from './performance-api.js';
import type { ApiEvent } from './sentry-event.js';

const CLIENT_TIMEOUT_MS = 30_000;
const WAIT_MS = 15_000;

/** The child spans every tracing client sends; `parent` names the parent span's op. */
export const ORDER_CHILD_SPANS = [
  { op: 'db.query', description: 'SELECT * FROM orders', parent: 'task' },
  { op: 'template.render', description: 'render receipt', parent: 'task' },
  { op: 'file.read', description: 'load template', parent: 'template.render' },
] as const;

export interface TracingIds {
  traceId: string;
  rootSpanId: string;
  errorEventId: string;
}

export interface TracingResult {
  ids: TracingIds;
  /** Everything the script printed on its last line, for ids beyond the trace's. */
  output: Record<string, unknown>;
  trace: Trace;
  /** The trace's entry in the transaction list. */
  summary: TransactionSummary | undefined;
  /** The transaction as the project event endpoint returns it. */
  event: ApiTransactionEvent | undefined;
  errorEvent: ApiEvent & { contexts?: { trace?: { trace_id?: string } } };
}

export interface ClientCommand {
  executable: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs the client, then waits until its whole trace and its error are readable. */
export async function runTracingClient(
  picket: PicketInstance,
  project: TestProject,
  command: ClientCommand,
): Promise<TracingResult> {
  const stdout = await runProgram(command.executable, command.args, {
    timeoutMs: CLIENT_TIMEOUT_MS,
    ...(command.cwd === undefined ? {} : { cwd: command.cwd }),
    ...(command.env === undefined ? {} : { env: command.env }),
  });
  const output = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
  const ids = output as Partial<TracingIds>;
  if (typeof ids.traceId !== 'string' || typeof ids.errorEventId !== 'string') {
    throw new Error(`${command.args[0] ?? command.executable} printed no trace ids: ${stdout}`);
  }

  const trace = await waitForTrace(
    picket,
    project,
    ids.traceId,
    (candidate) => candidate.spans.length >= ORDER_CHILD_SPANS.length + 1,
    WAIT_MS,
  );
  const summary = (await listTransactions(picket, project)).find(
    (candidate) => candidate.traceID === ids.traceId,
  );
  const event =
    summary === undefined
      ? undefined
      : await waitForTransactionEvent(picket, project, summary.eventID, WAIT_MS);
  const errorEvent = await waitForEvent(picket, project, ids.errorEventId, WAIT_MS);

  return { ids: ids as TracingIds, output, trace, summary, event, errorEvent };
}

function spanByOp(spans: TraceSpan[], op: string): TraceSpan | undefined {
  return spans.find((span) => span.op === op);
}

/** Checks the transaction list entry of the `process-order` transaction. */
export function expectOrderTransaction(
  result: TracingResult,
  expected: { release: string; environment: string; platform: string },
): void {
  const { ids, summary } = result;

  expect(summary, `transaction of trace ${ids.traceId}`).toBeDefined();
  expect(summary!.transaction).toBe('process-order');
  expect(summary!.op).toBe('task');
  expect(summary!.spanID).toBe(ids.rootSpanId);
  expect(summary!.release).toBe(expected.release);
  expect(summary!.environment).toBe(expected.environment);
  expect(summary!.platform).toBe(expected.platform);
  expect(summary!.duration, 'duration in ms').toBeGreaterThanOrEqual(20);
}

/** Checks that every child span hangs under its parent and inside the root's time. */
export function expectOrderSpanTree(result: TracingResult): void {
  const { ids, trace } = result;
  const root = trace.spans.find((span) => span.spanID === ids.rootSpanId);

  expect(root?.isTransaction, 'root is a transaction').toBe(true);
  for (const expected of ORDER_CHILD_SPANS) {
    const span = spanByOp(trace.spans, expected.op);
    const parent = spanByOp(trace.spans, expected.parent);
    expect(span, `span ${expected.op}`).toBeDefined();
    expect(span!.description).toBe(expected.description);
    expect(span!.parentSpanID, `parent of ${expected.op}`).toBe(parent?.spanID);
    expect(span!.startTimestamp).toBeGreaterThanOrEqual(root!.startTimestamp);
    expect(span!.endTimestamp).toBeLessThanOrEqual(root!.endTimestamp + 0.001);
  }
  expect(spanByOp(trace.spans, 'db.query')!.duration, 'query ms').toBeGreaterThanOrEqual(15);
}

/** Checks the transaction as the event endpoint returns it, with its spans entry. */
export function expectOrderTransactionEvent(result: TracingResult): void {
  const { event } = result;

  expect(event?.type).toBe('transaction');
  expect(event?.title).toBe('process-order');
  expect(event?.contexts?.trace?.trace_id).toBe(result.ids.traceId);
  expect(
    spanEntries(event!)
      .map((span) => span.op)
      .sort(),
  ).toEqual(['db.query', 'file.read', 'template.render']);
}
