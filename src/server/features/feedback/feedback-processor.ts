import type { ClaimedRecord } from '../../platform/queue/index.js';
import {
  parseItemRecord,
  type RecordProcessor,
  type RecordProcessorContext,
} from '../worker/record-processors.js';
import { parseFeedbackEvent, parseUserReport, type FeedbackParseResult } from './feedback-input.js';
import { saveFeedback } from './feedback-repository.js';

type FeedbackParser = (
  payload: unknown,
  envelopeEventId: string | undefined,
  receivedAt: number,
) => FeedbackParseResult;

/** Stores `feedback` records: feedback events with `contexts.feedback`. */
export const processFeedbackRecords: RecordProcessor = (records, context) =>
  storeFeedbackRecords(records, context, parseFeedbackEvent, 'feedback');

/** Stores `user_report` records, the legacy feedback format. */
export const processUserReportRecords: RecordProcessor = (records, context) =>
  storeFeedbackRecords(records, context, parseUserReport, 'default');

async function storeFeedbackRecords(
  records: ClaimedRecord[],
  context: RecordProcessorContext,
  parse: FeedbackParser,
  category: string,
): Promise<void> {
  for (const record of records) {
    const body = parseItemRecord(record);
    const parsed = parse(body.item, body.meta.eventId, record.receivedAt);

    if (!parsed.ok) {
      context.log.info(
        { projectId: record.projectId, kind: record.kind, reason: parsed.reason },
        'feedback rejected',
      );
      context.count(record, 'invalid', parsed.reason, category);
      continue;
    }

    const saved = await saveFeedback(
      context.trx,
      record.projectId,
      parsed.feedback,
      record.receivedAt,
    );
    if (saved.outcome === 'conflict') {
      context.count(record, 'invalid', 'duplicate_user_report', category);
    } else {
      context.count(record, 'accepted', '', category);
    }
  }
}
