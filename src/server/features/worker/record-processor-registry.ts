import type { RecordProcessor } from './record-processors.js';

/**
 * Wraps a processor that is imported on its first call. Each feature's module (with its routes
 * and their dependencies) is then loaded only by a worker that receives a record of that kind.
 */
function loadOnFirstCall(load: () => Promise<RecordProcessor>): RecordProcessor {
  let processor: Promise<RecordProcessor> | undefined;
  return async (records, context) => {
    processor ??= load();
    return (await processor)(records, context);
  };
}

const processAttachmentRecords = loadOnFirstCall(
  async () => (await import('../attachments/index.js')).processAttachmentRecords,
);
const processFeedbackRecords = loadOnFirstCall(
  async () => (await import('../feedback/index.js')).processFeedbackRecords,
);
const processUserReportRecords = loadOnFirstCall(
  async () => (await import('../feedback/index.js')).processUserReportRecords,
);
const processLogRecords = loadOnFirstCall(
  async () => (await import('../logs/index.js')).processLogRecords,
);
const processTransactionRecords = loadOnFirstCall(
  async () => (await import('../performance/index.js')).processTransactionRecords,
);
const processSpanRecords = loadOnFirstCall(
  async () => (await import('../performance/index.js')).processSpanRecords,
);
const processCheckInRecords = loadOnFirstCall(
  async () => (await import('../crons/index.js')).processCheckInRecords,
);
const processSessionRecords = loadOnFirstCall(
  async () => (await import('../releases/index.js')).processSessionRecords,
);

/**
 * The processor of each queue record kind other than `event` and `outcomes`, keyed by the kind
 * that ingest writes (see `QUEUED_ITEM_KINDS`).
 */
export const RECORD_PROCESSORS: ReadonlyMap<string, RecordProcessor> = new Map<
  string,
  RecordProcessor
>([
  ['attachment', processAttachmentRecords],
  ['feedback', processFeedbackRecords],
  ['log', processLogRecords],
  ['user_report', processUserReportRecords],
  ['transaction', processTransactionRecords],
  ['span', processSpanRecords],
  ['session', processSessionRecords],
  ['sessions', processSessionRecords],
  ['check_in', processCheckInRecords],
]);
