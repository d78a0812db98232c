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
  ['session', processSessionRecords],
  ['sessions', processSessionRecords],
  ['check_in', processCheckInRecords],
]);
