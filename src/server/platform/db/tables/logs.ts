import type { Generated } from 'kysely';

/** Tables of logs. */
export interface LogTables {
  logs: LogsTable;
}

/**
 * One log from an SDK's `log` item or an OTLP logs request. `timestampUs` is in epoch
 * microseconds, unlike the other tables' milliseconds, because SDKs send sub-millisecond times
 * and logs of one request often share a millisecond.
 */
export interface LogsTable {
  id: Generated<number>;
  projectId: number;
  timestampUs: number;
  receivedAt: number;
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits, or null when the log was written outside a span. */
  spanId: string | null;
  /** One of `trace`, `debug`, `info`, `warn`, `error`, `fatal`. */
  level: string;
  /** OpenTelemetry severity number, 1 to 24. */
  severityNumber: number;
  body: string;
  /** JSON object of typed attributes: `{"key": {"type": "string", "value": "..."}}`. */
  attributes: string;
  release: string | null;
  environment: string | null;
  sdkName: string | null;
  sdkVersion: string | null;
}
