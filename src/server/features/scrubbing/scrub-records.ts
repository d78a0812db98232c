import type { ClaimedRecord } from '../../platform/queue/index.js';
import type { NormalizedEvent } from '../processing/event-types.js';
import { parseItemRecord } from '../worker/record-processors.js';
import type { CompiledPiiConfig } from './compile-config.js';
import { scrubPayload } from './pii-processor.js';
import {
  EVENT_SPEC,
  type FieldSpec,
  LOG_ITEM_SPEC,
  SPAN_ITEM_SPEC,
  USER_REPORT_SPEC,
} from './pii-schema.js';

/**
 * The payload layout of each queue record kind that is scrubbed. Sessions and check-ins carry
 * no free-form data, and attachments are stored as sent (their bytes are not scrubbed).
 */
const ITEM_SPECS: ReadonlyMap<string, FieldSpec> = new Map([
  ['transaction', EVENT_SPEC],
  ['feedback', EVENT_SPEC],
  ['user_report', USER_REPORT_SPEC],
  ['log', LOG_ITEM_SPEC],
  ['span', SPAN_ITEM_SPEC],
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Scrubs a normalized event in place. The `_meta` remarks of what was removed are stored with
 * the event, as Sentry stores them, so that the UI can tell a filtered value from a sent one.
 */
export function scrubEvent(event: NormalizedEvent, config: CompiledPiiConfig): void {
  const payload = event as unknown as Record<string, unknown>;
  const report = scrubPayload(payload, EVENT_SPEC, config);
  if (report.changedPaths.length > 0) {
    payload._meta = report.meta;
  }
}

/**
 * Scrubs the parsed payloads of item records (transactions, spans, logs, feedback, user
 * reports) in place, before their processors read them. With IP scrubbing on, the client IP
 * of the envelope is dropped too, so that no processor fills `{{auto}}` with it.
 */
export function scrubItemRecords(
  records: readonly ClaimedRecord[],
  configs: ReadonlyMap<number, CompiledPiiConfig>,
  fallback: CompiledPiiConfig,
): void {
  for (const record of records) {
    const spec = ITEM_SPECS.get(record.kind);
    if (spec === undefined) {
      continue;
    }
    const config = configs.get(record.projectId) ?? fallback;
    const body = parseItemRecord(record);
    if (isRecord(body.item)) {
      scrubPayload(body.item, spec, config);
    }
    if (config.removesClientIp === true) {
      body.meta.clientIp = undefined;
    }
  }
}
