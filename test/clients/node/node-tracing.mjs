// Sends one trace with the real @sentry/node SDK: a `process-order` span with three nested
// child spans, and an exception captured inside it. Prints the ids the test looks up as JSON:
// {"traceId":"<32 hex>","rootSpanId":"<16 hex>","errorEventId":"<32 hex>"}.
//
// Usage: node node-tracing.mjs <dsn> [static|stream]
//   static: the trace arrives as a classic `transaction` event.
//   stream: the spans arrive as `span` items in v2 containers (the default of SDK 11).
// Optional: SENTRY_RELEASE, SENTRY_ENVIRONMENT, SENTRY_DEBUG=1 (the SDK's own log, on stderr).
import * as Sentry from '@sentry/node';

const dsn = process.argv[2] ?? process.env.SENTRY_DSN;
const lifecycle = process.argv[3] ?? 'stream';
if (!dsn || (lifecycle !== 'static' && lifecycle !== 'stream')) {
  console.error('Usage: node node-tracing.mjs <dsn> [static|stream]');
  process.exit(2);
}

const FLUSH_TIMEOUT_MS = 10_000;

Sentry.init({
  dsn,
  release: process.env.SENTRY_RELEASE ?? 'picket-node-client@1.0.0',
  environment: process.env.SENTRY_ENVIRONMENT ?? 'live-test',
  tracesSampleRate: 1.0,
  traceLifecycle: lifecycle,
  debug: process.env.SENTRY_DEBUG === '1',
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let ids;
await Sentry.startSpan(
  { name: 'process-order', op: 'task', attributes: { 'order.id': 'A-1' } },
  async (root) => {
    const { traceId, spanId } = root.spanContext();
    await Sentry.startSpan({ name: 'SELECT * FROM orders', op: 'db.query' }, () => sleep(20));
    await Sentry.startSpan({ name: 'render receipt', op: 'template.render' }, async () => {
      await Sentry.startSpan({ name: 'load template', op: 'file.read' }, () => sleep(5));
      await sleep(10);
    });
    const errorEventId = Sentry.captureException(new RangeError('order total is negative'));
    ids = { traceId, rootSpanId: spanId, errorEventId };
  },
);

const flushed = await Sentry.flush(FLUSH_TIMEOUT_MS);
if (!flushed) {
  console.error(`Sentry.flush did not finish within ${FLUSH_TIMEOUT_MS} ms; spans may be lost.`);
  process.exit(1);
}

console.log(JSON.stringify(ids));
process.exit(0);
