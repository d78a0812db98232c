/** Wire types of Picket's log list, `GET /api/0/organizations/{org}/logs/`. */

/** Sentry's log levels, from least to most severe. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

/** A typed attribute as SDKs send it: `type` is `string`, `boolean`, `integer` or `double`. */
export interface LogAttribute {
  type: string;
  value: unknown;
  unit?: string;
}

export interface Log {
  id: string;
  projectId: string;
  /** ISO 8601 UTC with microseconds, as `2026-01-01T00:00:00.123456Z`. */
  timestamp: string;
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits, or null for a log written outside a span. */
  spanId: string | null;
  level: LogLevel;
  /** OpenTelemetry severity number, 1 to 24. */
  severityNumber: number;
  body: string;
  attributes: Record<string, LogAttribute>;
  release: string | null;
  environment: string | null;
  sdk: { name: string; version: string | null } | null;
}
