import type { ClaimedRecord } from '../../platform/queue/index.js';
import type { ItemMeta } from '../ingest/item-kinds.js';
import {
  parseItemRecord,
  type RecordProcessor,
  type RecordProcessorContext,
} from '../worker/record-processors.js';
import {
  MAX_LOGS_PER_CONTAINER,
  stringAttribute,
  validateContainer,
  validateLog,
  type ValidLog,
} from './log-item.js';
import { insertLogs, type NewLogRow } from './log-repository.js';

// JSON strings may contain U+0000, and one such value in a multi-row insert fails the whole
// statement on PostgreSQL (error 22021).
const NUL = new RegExp(String.fromCharCode(0), 'g');

/**
 * Stores the logs of queued `log` items. Each log is validated on its own, and an invalid one is
 * counted as an `invalid` outcome with its reason. The valid logs of the same item are stored and
 * counted as `accepted` in the `log_item` (logs) and `log_byte` (bytes) categories.
 */
export const processLogRecords: RecordProcessor = async (records, context) => {
  const rows: NewLogRow[] = [];

  for (const record of records) {
    rows.push(...readRecord(record, context));
  }

  await insertLogs(context.trx, rows);
};

function readRecord(record: ClaimedRecord, context: RecordProcessorContext): NewLogRow[] {
  let body: ReturnType<typeof parseItemRecord>;
  try {
    body = parseItemRecord(record);
  } catch (error) {
    context.log.error({ err: error, projectId: record.projectId }, 'log record is not valid JSON');
    context.count(record, 'invalid', 'processing_error', 'log_item');
    return [];
  }

  const container = validateContainer(body.item, body.meta.itemHeaders.item_count);
  if (!container.ok) {
    context.count(record, 'invalid', container.reason, 'log_item', container.quantity);
    return [];
  }

  const kept = container.logs.slice(0, MAX_LOGS_PER_CONTAINER);
  const excess = container.logs.length - kept.length;
  if (excess > 0) {
    context.count(record, 'invalid', 'too_many_items', 'log_item', excess);
  }

  const rows: NewLogRow[] = [];
  let bytes = 0;
  for (const value of kept) {
    const result = validateLog(value);
    if (!result.ok) {
      context.count(record, 'invalid', result.reason, 'log_item');
      continue;
    }
    rows.push(createRow(record, body.meta, result.log));
    bytes += Buffer.byteLength(JSON.stringify(value));
  }

  if (rows.length > 0) {
    context.count(record, 'accepted', '', 'log_item', rows.length);
    context.count(record, 'accepted', '', 'log_byte', bytes);
  }
  return rows;
}

/**
 * Builds the row of a valid log. Text columns go through {@link toColumnText}; ids and levels
 * passed validation patterns, and the attributes column is JSON, which escapes U+0000.
 */
function createRow(record: ClaimedRecord, meta: ItemMeta, log: ValidLog): NewLogRow {
  const { attributes } = log;
  const dscString = (key: string) => {
    const value = meta.trace?.[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };

  return {
    projectId: record.projectId,
    timestampUs: log.timestampUs,
    receivedAt: record.receivedAt,
    traceId: log.traceId,
    spanId: log.spanId,
    level: log.level,
    severityNumber: log.severityNumber,
    body: toColumnText(log.body),
    attributes: JSON.stringify(attributes),
    release: toColumnTextOrNull(
      stringAttribute(attributes, 'sentry.release') ?? dscString('release'),
    ),
    environment: toColumnTextOrNull(
      stringAttribute(attributes, 'sentry.environment') ?? dscString('environment'),
    ),
    sdkName: toColumnTextOrNull(
      stringAttribute(attributes, 'sentry.sdk.name') ??
        stringAttribute(attributes, 'telemetry.sdk.name') ??
        sdkField(meta, 'name'),
    ),
    sdkVersion: toColumnTextOrNull(
      stringAttribute(attributes, 'sentry.sdk.version') ??
        stringAttribute(attributes, 'telemetry.sdk.version') ??
        sdkField(meta, 'version'),
    ),
  };
}

/** Replaces U+0000, which PostgreSQL text columns reject, with U+FFFD. */
function toColumnText(value: string): string {
  return value.includes('\u0000') ? value.replace(NUL, '\uFFFD') : value;
}

function toColumnTextOrNull(value: string | undefined): string | null {
  return value === undefined ? null : toColumnText(value);
}

// The envelope's `sdk` header is only checked to be an object at ingest.
function sdkField(meta: ItemMeta, key: 'name' | 'version'): string | undefined {
  const value: unknown = meta.sdk?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
