// Sends three logs (info, warn, error) inside one span with the real @sentry/node SDK's logger,
// then prints their trace id as JSON: {"traceId":"<32 hex>"}.
//
// Usage: node node-logs-app.mjs <dsn>   (or set SENTRY_DSN)
// Optional: SENTRY_DEBUG=1 (the SDK's own log, on stderr).
import * as Sentry from '@sentry/node';

const dsn = process.argv[2] ?? process.env.SENTRY_DSN;
if (!dsn) {
  console.error('Missing DSN: pass it as the first argument or set SENTRY_DSN.');
  process.exit(2);
}

const FLUSH_TIMEOUT_MS = 10_000;

// @sentry/node 11 has no `enableLogs` option (10.x had one): Sentry.logger calls are always
// captured, buffered, and sent as one `log` envelope item on flush.
Sentry.init({
  dsn,
  release: 'picket-node-logs@1.0.0',
  environment: 'live-test',
  tracesSampleRate: 1,
  debug: process.env.SENTRY_DEBUG === '1',
});

const traceId = Sentry.startSpan({ name: 'checkout', op: 'task' }, (span) => {
  Sentry.logger.info('order accepted', { orderId: 'A-42', total: 12.5 });
  Sentry.logger.warn(Sentry.logger.fmt`stock low for ${'sku-7'}`, { remaining: 3 });
  Sentry.logger.error('Payment gateway timeout', { gateway: 'acme-pay', retry: true });
  return span.spanContext().traceId;
});

const flushed = await Sentry.flush(FLUSH_TIMEOUT_MS);
if (!flushed) {
  console.error(`Sentry.flush did not finish within ${FLUSH_TIMEOUT_MS} ms; logs may be lost.`);
  process.exit(1);
}

console.log(JSON.stringify({ traceId }));
process.exit(0);
