import { randomBytes } from 'node:crypto';

import type { LogLevel } from '../../../shared/api/logs.js';
import {
  addAttributes,
  addReleaseAndEnvironment,
  copyAttributes,
  createBaseAttributes,
  setIfMissing,
  toJsonValue,
  type SentryAttributes,
  type SizedAttributes,
} from './otlp-attributes.js';
import type { LogsRequest, OtlpLogRecord } from './otlp-model.js';
import { toEpochSeconds } from './span-conversion.js';

/** A log of Sentry's log protocol, an entry of a `log` item's `items`. */
export interface SentryLog {
  /** Seconds since the epoch, with microseconds. */
  timestamp: number;
  trace_id: string;
  span_id?: string;
  level: LogLevel;
  severity_number?: number;
  body: string;
  attributes: SentryAttributes;
}

const TRACE_ID = /^(?!0{32})[0-9a-f]{32}$/;
const SPAN_ID = /^(?!0{16})[0-9a-f]{16}$/;

// Levels by the OpenTelemetry severity ranges 1-4, 5-8, ... 21-24.
const LEVELS_BY_SEVERITY_RANGE: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

const LEVELS_BY_SEVERITY_TEXT: Record<string, LogLevel> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  information: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  fatal: 'fatal',
};

/**
 * Converts the log records of an OTLP logs request to Sentry logs. Every record converts. A
 * record without a time takes its observed time, else `receivedAtMs`. A record without a valid
 * trace id gets a random one, because Sentry logs require a trace id (Relay does the same).
 */
export function convertLogsRequest(request: LogsRequest, receivedAtMs: number): SentryLog[] {
  const logs: SentryLog[] = [];

  for (const group of request) {
    const base = createBaseAttributes(group.resource, group.scope);
    for (const record of group.entries) {
      logs.push(convertLogRecord(record, base, receivedAtMs));
    }
  }
  return logs;
}

function convertLogRecord(
  record: OtlpLogRecord,
  base: SizedAttributes,
  receivedAtMs: number,
): SentryLog {
  const sized = copyAttributes(base);
  addAttributes(sized, record.attributes);
  const attributes = sized.attributes;
  addReleaseAndEnvironment(attributes);
  setIfMissing(attributes, 'sentry.origin', 'auto.otlp.logs');
  setIfMissing(attributes, 'event.name', record.eventName);

  const nanoseconds =
    record.timeUnixNano !== 0n
      ? record.timeUnixNano
      : record.observedTimeUnixNano !== 0n
        ? record.observedTimeUnixNano
        : BigInt(receivedAtMs) * 1_000_000n;
  const hasSeverityNumber = record.severityNumber >= 1 && record.severityNumber <= 24;

  return {
    timestamp: toEpochSeconds(nanoseconds),
    trace_id: TRACE_ID.test(record.traceId) ? record.traceId : randomBytes(16).toString('hex'),
    ...(SPAN_ID.test(record.spanId) ? { span_id: record.spanId } : {}),
    level: mapSeverity(record.severityNumber, record.severityText),
    ...(hasSeverityNumber ? { severity_number: record.severityNumber } : {}),
    body: readBody(record),
    attributes,
  };
}

/** Maps an OpenTelemetry severity to a Sentry level: by number, else by text, else info. */
export function mapSeverity(severityNumber: number, severityText: string): LogLevel {
  if (severityNumber >= 1 && severityNumber <= 24) {
    return LEVELS_BY_SEVERITY_RANGE[Math.floor((severityNumber - 1) / 4)] ?? 'info';
  }

  const text = severityText.toLowerCase();
  return Object.hasOwn(LEVELS_BY_SEVERITY_TEXT, text)
    ? (LEVELS_BY_SEVERITY_TEXT[text] ?? 'info')
    : 'info';
}

function readBody(record: OtlpLogRecord): string {
  const body = record.body;
  if (body === undefined) {
    return '';
  }
  return body.kind === 'string' ? body.value : JSON.stringify(toJsonValue(body));
}
