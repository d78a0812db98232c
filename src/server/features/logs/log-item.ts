/**
 * Validation of Sentry log items: the `log` envelope item is a container
 * `{"items": [Log, ...]}` whose item header `item_count` must equal the number of logs.
 * See https://develop.sentry.dev/sdk/telemetry/logs/ for the log fields.
 */

import { LOG_LEVELS, type LogAttribute, type LogLevel } from '../../../shared/api/logs.js';

/** Logs kept from one container; the rest are counted as invalid with `too_many_items`. */
export const MAX_LOGS_PER_CONTAINER = 1_000;

// The lowest OpenTelemetry severity number of each level's range (trace 1-4 ... fatal 21-24).
const SEVERITY_NUMBER_BY_LEVEL: Record<LogLevel, number> = {
  trace: 1,
  debug: 5,
  info: 9,
  warn: 13,
  error: 17,
  fatal: 21,
};

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
// Year 10000 in epoch seconds: later times are typing errors, and their microseconds pass
// Number.MAX_SAFE_INTEGER soon after.
const MAX_TIMESTAMP_SECONDS = 253_402_300_800;

export type LogRejection =
  'invalid_log' | 'invalid_timestamp' | 'invalid_trace_id' | 'invalid_level' | 'invalid_body';

/** A log that passed validation, with its identifiers lower-cased. */
export interface ValidLog {
  timestampUs: number;
  traceId: string;
  spanId: string | null;
  level: LogLevel;
  severityNumber: number;
  body: string;
  attributes: Record<string, LogAttribute>;
}

export type LogValidation = { ok: true; log: ValidLog } | { ok: false; reason: LogRejection };

export type ContainerValidation =
  | { ok: true; logs: unknown[] }
  | { ok: false; reason: 'invalid_log_container' | 'invalid_item_count'; quantity: number };

/**
 * Checks a log container against its item header `item_count`. A container whose count does
 * not match is rejected whole, because the header and payload disagree about what was sent.
 */
export function validateContainer(payload: unknown, itemCount: unknown): ContainerValidation {
  if (!isRecord(payload) || !Array.isArray(payload.items)) {
    return { ok: false, reason: 'invalid_log_container', quantity: 1 };
  }

  const logs: unknown[] = payload.items;
  if (itemCount !== logs.length) {
    return { ok: false, reason: 'invalid_item_count', quantity: Math.max(logs.length, 1) };
  }
  return { ok: true, logs };
}

/**
 * Validates one log. A missing or malformed required field (`timestamp`, `trace_id`, `level`,
 * `body`) rejects the log. A malformed `span_id`, `severity_number` or attribute is dropped and
 * the log kept, as Relay removes invalid optional values.
 */
export function validateLog(value: unknown): LogValidation {
  if (!isRecord(value)) {
    return { ok: false, reason: 'invalid_log' };
  }

  const { timestamp, level, body } = value;
  if (typeof timestamp !== 'number' || !(timestamp > 0 && timestamp < MAX_TIMESTAMP_SECONDS)) {
    return { ok: false, reason: 'invalid_timestamp' };
  }

  const traceId = normalizeId(value.trace_id);
  if (traceId === undefined || !TRACE_ID.test(traceId)) {
    return { ok: false, reason: 'invalid_trace_id' };
  }
  if (typeof level !== 'string' || !isLogLevel(level)) {
    return { ok: false, reason: 'invalid_level' };
  }
  if (typeof body !== 'string') {
    return { ok: false, reason: 'invalid_body' };
  }

  const spanId = normalizeId(value.span_id);

  return {
    ok: true,
    log: {
      timestampUs: Math.round(timestamp * 1_000_000),
      traceId,
      spanId: spanId !== undefined && SPAN_ID.test(spanId) ? spanId : null,
      level,
      severityNumber: readSeverityNumber(value.severity_number, level),
      body,
      attributes: readAttributes(value.attributes),
    },
  };
}

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/** Returns the string value of an attribute, or undefined when it is missing or not a string. */
export function stringAttribute(
  attributes: Record<string, LogAttribute>,
  key: string,
): string | undefined {
  const value = attributes[key]?.value;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function readSeverityNumber(value: unknown, level: LogLevel): number {
  const isValid = typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 24;
  return isValid ? value : SEVERITY_NUMBER_BY_LEVEL[level];
}

function readAttributes(value: unknown): Record<string, LogAttribute> {
  // No prototype, so that an attribute named `__proto__` is stored as a key like any other.
  const attributes = Object.create(null) as Record<string, LogAttribute>;
  if (!isRecord(value)) {
    return attributes;
  }

  for (const [key, attribute] of Object.entries(value)) {
    if (!isRecord(attribute) || typeof attribute.type !== 'string' || !('value' in attribute)) {
      continue;
    }
    attributes[key] =
      typeof attribute.unit === 'string'
        ? { type: attribute.type, value: attribute.value, unit: attribute.unit }
        : { type: attribute.type, value: attribute.value };
  }
  return attributes;
}

// Trace ids also arrive as hyphenated UUIDs from some SDKs.
function normalizeId(value: unknown): string | undefined {
  return typeof value === 'string' ? value.replaceAll('-', '').toLowerCase() : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
