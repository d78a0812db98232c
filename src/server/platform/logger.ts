import { pino, stdSerializers, type Logger } from 'pino';

export type { Logger };

/**
 * Creates the root logger: JSON lines on stdout, level from `LOG_LEVEL` (default `info`).
 * Request and job loggers are children of it with their own context fields.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { pid: process.pid },
    serializers: { err: serializeError },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-sentry-auth"]'],
      remove: true,
    },
  });
}

/**
 * Serializes an error as pino does, without the Redis command that failed. ioredis attaches the
 * command to its errors with every argument: the password of a rejected AUTH, or the queue
 * record of a rejected XADD.
 */
function serializeError(error: Error): Record<string, unknown> {
  const serialized = stdSerializers.err(error) as unknown as Record<string, unknown>;
  if (serialized.command !== undefined) {
    const command = serialized.command as { name?: unknown };
    serialized.command = { name: command.name };
  }
  if (Array.isArray(serialized.previousErrors)) {
    serialized.previousErrors = (serialized.previousErrors as unknown[]).map((previous) =>
      previous instanceof Error ? previous.message : String(previous),
    );
  }
  return serialized;
}
