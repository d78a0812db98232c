import type { Log, LogAttribute, LogLevel } from '../../../shared/api/logs.js';
import type { LogRow } from './log-repository.js';

/** Converts a stored log to its API shape. */
export function serializeLog(row: LogRow): Log {
  const sdkName = row.sdkName;

  return {
    id: String(row.id),
    projectId: String(row.projectId),
    timestamp: formatMicroseconds(Number(row.timestampUs)),
    traceId: row.traceId,
    spanId: row.spanId,
    level: row.level as LogLevel,
    severityNumber: Number(row.severityNumber),
    body: row.body,
    attributes: JSON.parse(row.attributes) as Record<string, LogAttribute>,
    release: row.release,
    environment: row.environment,
    sdk: sdkName === null ? null : { name: sdkName, version: row.sdkVersion },
  };
}

/** Formats epoch microseconds as ISO 8601 UTC with six fractional digits. */
export function formatMicroseconds(timestampUs: number): string {
  const milliseconds = Math.floor(timestampUs / 1_000);
  const extraMicroseconds = timestampUs - milliseconds * 1_000;
  const iso = new Date(milliseconds).toISOString();

  return `${iso.slice(0, -1)}${String(extraMicroseconds).padStart(3, '0')}Z`;
}
