/** Web API reads of transactions and traces, shared by the replay, live SDK and e2e tests. */
import type { Trace, TransactionSummary } from '../../src/shared/api/performance.js';
import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { apiGet, waitFor } from '../helpers/picket.js';

/** A transaction as the project event endpoint returns it. */
export interface ApiTransactionEvent {
  eventID: string;
  type: string;
  title: string;
  transaction: string | null;
  platform?: string;
  release?: string | null;
  environment?: string | null;
  startTimestamp: number;
  endTimestamp: number;
  contexts?: { trace?: { trace_id?: string; span_id?: string; op?: string } };
  entries: { type: string; data: unknown }[];
}

export interface ApiSpanEntry {
  span_id: string;
  parent_span_id?: string | null;
  trace_id: string;
  op?: string | null;
  description?: string | null;
  start_timestamp: number;
  timestamp: number;
}

/** Returns the `spans` entry of a transaction event. */
export function spanEntries(event: ApiTransactionEvent): ApiSpanEntry[] {
  const entry = event.entries.find((candidate) => candidate.type === 'spans');
  return (entry?.data as ApiSpanEntry[] | undefined) ?? [];
}

/** Polls the project event endpoint until the transaction is stored. */
export function waitForTransactionEvent(
  picket: PicketInstance,
  project: TestProject,
  eventId: string,
  timeoutMs = 15_000,
): Promise<ApiTransactionEvent> {
  const path = `/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${eventId}/`;
  return waitFor(
    async () => (await apiGet(picket, project.token, path)) as ApiTransactionEvent,
    timeoutMs,
  );
}

export function getTrace(
  picket: PicketInstance,
  project: TestProject,
  traceId: string,
): Promise<Trace> {
  const path = `/api/0/organizations/${project.orgSlug}/traces/${traceId}/`;
  return apiGet(picket, project.token, path) as Promise<Trace>;
}

/**
 * Polls the trace endpoint until `isComplete` accepts the trace, as spans of one trace may arrive
 * in several envelopes that the worker stores in separate batches.
 */
export function waitForTrace(
  picket: PicketInstance,
  project: TestProject,
  traceId: string,
  isComplete: (trace: Trace) => boolean,
  timeoutMs = 15_000,
): Promise<Trace> {
  return waitFor(async () => {
    const trace = await getTrace(picket, project, traceId);
    return isComplete(trace) ? trace : undefined;
  }, timeoutMs);
}

/** Lists transactions of the organization, newest first. */
export async function listTransactions(
  picket: PicketInstance,
  project: TestProject,
  params: Record<string, string> = {},
): Promise<TransactionSummary[]> {
  const search = new URLSearchParams({ per_page: '100', ...params }).toString();
  const path = `/api/0/organizations/${project.orgSlug}/transactions/?${search}`;
  return (await apiGet(picket, project.token, path)) as TransactionSummary[];
}

/** Returns whether the trace contains a span (or transaction root) with each of the ids. */
export function hasSpans(trace: Trace, spanIds: string[]): boolean {
  const stored = new Set(trace.spans.map((span) => span.spanID));
  return spanIds.every((id) => stored.has(id));
}
