import { processAttachmentRecords } from '../attachments/index.js';
import { processFeedbackRecords, processUserReportRecords } from '../feedback/index.js';
import { processLogRecords } from '../logs/index.js';
import { processSpanRecords, processTransactionRecords } from '../performance/index.js';
import { processCheckInRecords } from '../crons/index.js';
import { processSessionRecords } from '../releases/index.js';
import type { RecordProcessor } from './record-processors.js';

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
