import type { QueueRecord } from '../../platform/queue/index.js';
import { convertLogsRequest } from './log-conversion.js';
import { countSkipped, type LogsRequest, type TraceRequest } from './otlp-model.js';
import {
  createLogRecords,
  createSpanRecords,
  queueBudgetBytes,
  type RecordContext,
} from './otlp-records.js';
import { convertTraceRequest } from './span-conversion.js';

/** Queue records of one export request, and what was left out of it. */
export interface Accepted {
  records: QueueRecord[];
  /** Spans or log records in `records`. */
  count: number;
  /** Spans or log records that were left out, by outcome reason. */
  rejections: Map<string, number>;
  /** Spans or log records that were left out. */
  rejected: number;
  /** The reasons, for the `partial_success` message of the response; empty when none. */
  rejectionMessage: string;
}

/**
 * Outcome reasons of spans and log records left out of a request: past the request's entry
 * limit (`too_many_items`), or past the queue bytes the request may expand to (`too_large`).
 */
type LimitRejection = 'too_many_items' | 'too_large';

/**
 * Converts a decoded trace request to `span` queue records within the queue budget of a body of
 * `requestBytes`, and lists the spans left out by reason.
 */
export function acceptTraces(
  request: TraceRequest,
  requestBytes: number,
  context: RecordContext,
): Accepted {
  const { spans, rejected } = convertTraceRequest(request);
  const batch = createSpanRecords(spans, context, queueBudgetBytes(requestBytes));
  const reasons = new Map<string, number>(rejected);
  addLimitRejections(reasons, countSkipped(request), batch.overBudget);

  return summarize(batch.records, spans.length - batch.overBudget, reasons, 'Spans');
}

/**
 * Converts a decoded logs request to `log` queue records within the queue budget of a body of
 * `requestBytes`, and lists the log records left out by reason.
 */
export function acceptLogs(
  request: LogsRequest,
  requestBytes: number,
  context: RecordContext,
): Accepted {
  const logs = convertLogsRequest(request, context.receivedAt);
  const batch = createLogRecords(logs, context, queueBudgetBytes(requestBytes));
  const reasons = new Map<string, number>();
  addLimitRejections(reasons, countSkipped(request), batch.overBudget);

  return summarize(batch.records, logs.length - batch.overBudget, reasons, 'Log records');
}

function addLimitRejections(reasons: Map<string, number>, skipped: number, overBudget: number) {
  const limits: [LimitRejection, number][] = [
    ['too_many_items', skipped],
    ['too_large', overBudget],
  ];
  for (const [reason, count] of limits) {
    if (count > 0) {
      reasons.set(reason, count);
    }
  }
}

function summarize(
  records: QueueRecord[],
  count: number,
  reasons: Map<string, number>,
  noun: string,
): Accepted {
  const rejected = [...reasons.values()].reduce((total, count) => total + count, 0);
  const listed = [...reasons].map(([reason, count]) => `${count} ${reason}`).join(', ');

  return {
    records,
    count,
    rejections: reasons,
    rejected,
    rejectionMessage: rejected === 0 ? '' : `${noun} were rejected: ${listed}`,
  };
}
