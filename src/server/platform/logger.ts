import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Creates the root logger: JSON lines on stdout, level from `LOG_LEVEL` (default `info`).
 * Request and job loggers are children of it with their own context fields.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { pid: process.pid },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-sentry-auth"]'],
      remove: true,
    },
  });
}
