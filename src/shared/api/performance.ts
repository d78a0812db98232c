/**
 * Wire types of Picket's performance endpoints: the transaction list
 * (`/api/0/organizations/{org}/transactions/`) and the trace view
 * (`/api/0/organizations/{org}/traces/{trace_id}/`). Times are epoch seconds with a fraction,
 * as in Sentry's span payloads, and durations are milliseconds.
 */

/** One transaction: a transaction event, or a segment span that an SDK streamed. */
export interface TransactionSummary {
  /** Event id of the transaction; the event endpoint returns it as a `transaction` event. */
  eventID: string;
  projectID: string;
  projectSlug: string;
  traceID: string;
  spanID: string;
  parentSpanID: string | null;
  /** The transaction name, such as a route (`GET /orders/:id`) or a task. */
  transaction: string;
  op: string | null;
  status: string | null;
  startTimestamp: number;
  endTimestamp: number;
  /** Milliseconds between start and end. */
  duration: number;
  release: string | null;
  environment: string | null;
  platform: string;
  /** Sentry's user tag (`id:7`, `email:...`), or null. */
  user: string | null;
  /** End time as ISO 8601. */
  dateCreated: string;
}

/**
 * One node of a trace's span tree: a span, or the root span of a transaction. `parentSpanID`
 * links the nodes; a node whose parent is not in the trace is a root of the tree.
 */
export interface TraceSpan {
  spanID: string;
  parentSpanID: string | null;
  traceID: string;
  projectID: string;
  projectSlug: string;
  op: string | null;
  /** The span description (v1) or name (v2); for a transaction root, the transaction name. */
  description: string | null;
  status: string | null;
  /** OpenTelemetry span kind of streamed spans (`server`, `client`, ...), or null. */
  kind: string | null;
  origin: string | null;
  startTimestamp: number;
  endTimestamp: number;
  duration: number;
  /** Event id of the transaction the span belongs to, or null when it is not known. */
  transactionID: string | null;
  /** Whether the node is the root span of a transaction (or a streamed segment). */
  isTransaction: boolean;
  /** Span data or attributes. */
  data: Record<string, unknown>;
  tags: Record<string, string> | null;
}

export interface Trace {
  traceID: string;
  /** The trace's transactions, oldest first. */
  transactions: TransactionSummary[];
  /** Every span of the trace, transaction roots included, sorted by start time. */
  spans: TraceSpan[];
  /** True when the trace has more spans than the endpoint returns. */
  isTruncated: boolean;
}
