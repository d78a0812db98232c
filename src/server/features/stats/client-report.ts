import type { OutcomeRecorder } from '../ingest/outcome-recorder.js';

/**
 * A client report's entry lists, each `[{reason, category, quantity}]`. Every entry is recorded
 * as outcome `client_discard` with the SDK's reason: the SDK dropped the items itself.
 * See https://develop.sentry.dev/sdk/telemetry/client-reports/
 */
const ENTRY_LISTS = [
  'discarded_events',
  'rate_limited_events',
  'filtered_events',
  'filtered_sampling_events',
] as const;

// Relay `DataCategory` names. A category not listed is recorded as `unknown`, as Relay does.
const KNOWN_CATEGORIES = new Set([
  'default',
  'error',
  'transaction',
  'security',
  'attachment',
  'attachment_item',
  'session',
  'profile',
  'profile_indexed',
  'profile_chunk',
  'profile_chunk_ui',
  'profile_duration',
  'profile_duration_ui',
  'replay',
  'replay_video',
  'transaction_processed',
  'transaction_indexed',
  'monitor',
  'monitor_seat',
  'span',
  'span_indexed',
  'feedback',
  'user_report_v2',
  'metric_bucket',
  'metric_second',
  'log_item',
  'log_byte',
  'trace_metric',
  'uptime',
  'internal',
  'unknown',
]);

const REASON_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_ENTRIES = 1_000;
// Relay reads quantities as unsigned 32-bit integers.
const MAX_QUANTITY = 4_294_967_295;

interface ClientReportEntry {
  reason: string;
  category: string;
  quantity: number;
}

export type ClientReportResult =
  | { ok: true; entries: number }
  | { ok: false; reason: 'invalid_client_report' | 'invalid_json'; message: string };

/**
 * Validates a `client_report` item and records each of its entries as a `client_discard`
 * outcome. A report with any invalid part records nothing and is returned as invalid.
 */
export function recordClientReport(
  payload: Buffer,
  projectId: number,
  outcomes: OutcomeRecorder,
): ClientReportResult {
  let report: unknown;
  try {
    report = JSON.parse(payload.toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid_json', message: 'Client report is not valid JSON' };
  }

  const parsed = parseClientReport(report);
  if (typeof parsed === 'string') {
    return {
      ok: false,
      reason: 'invalid_client_report',
      message: `Invalid client report: ${parsed}`,
    };
  }

  for (const entry of parsed) {
    if (entry.quantity > 0) {
      outcomes.record(projectId, 'client_discard', entry.reason, entry.category, entry.quantity);
    }
  }
  return { ok: true, entries: parsed.length };
}

/** Returns the report's entries, or a message that names the first problem. */
export function parseClientReport(report: unknown): ClientReportEntry[] | string {
  if (typeof report !== 'object' || report === null || Array.isArray(report)) {
    return 'expected a JSON object';
  }

  const fields = report as Record<string, unknown>;
  const timestamp = fields.timestamp;
  if (timestamp !== undefined && !isValidTimestamp(timestamp)) {
    return 'timestamp must be a Unix time in seconds or an ISO 8601 string';
  }

  const entries: ClientReportEntry[] = [];
  for (const list of ENTRY_LISTS) {
    const value = fields[list];
    if (value === undefined || value === null) {
      continue;
    }
    if (!Array.isArray(value)) {
      return `${list} must be an array`;
    }

    for (const [index, raw] of value.entries()) {
      const entry = parseEntry(raw);
      if (typeof entry === 'string') {
        return `${list}[${index}]: ${entry}`;
      }
      entries.push(entry);
    }
  }

  return entries.length > MAX_ENTRIES ? `more than ${MAX_ENTRIES} entries` : entries;
}

function parseEntry(raw: unknown): ClientReportEntry | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return 'expected an object with reason, category and quantity';
  }

  const { reason, category, quantity } = raw as Record<string, unknown>;
  if (typeof reason !== 'string' || !REASON_PATTERN.test(reason)) {
    return 'reason must be 1 to 64 letters, digits, _ . : or -';
  }
  if (typeof category !== 'string' || category === '' || category.length > 64) {
    return 'category must be a data category name';
  }
  if (
    typeof quantity !== 'number' ||
    !Number.isInteger(quantity) ||
    quantity < 0 ||
    quantity > MAX_QUANTITY
  ) {
    return 'quantity must be a whole number from 0 to 4294967295';
  }

  return { reason, category: KNOWN_CATEGORIES.has(category) ? category : 'unknown', quantity };
}

function isValidTimestamp(value: unknown): boolean {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0;
  }
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}
