// Sends one handled exception and one message to a Sentry-compatible server with the real
// @sentry/node SDK, then prints their event ids as JSON: {"exception":"<id>","message":"<id>"}.
//
// Usage: node node-app.mjs <dsn>   (or set SENTRY_DSN)
// Optional: SENTRY_RELEASE, SENTRY_ENVIRONMENT, SENTRY_DEBUG=1 (the SDK's own log, on stderr).
import * as Sentry from '@sentry/node';

const dsn = process.argv[2] ?? process.env.SENTRY_DSN;
if (!dsn) {
  console.error('Missing DSN: pass it as the first argument or set SENTRY_DSN.');
  process.exit(2);
}

const FLUSH_TIMEOUT_MS = 10_000;

Sentry.init({
  dsn,
  release: process.env.SENTRY_RELEASE ?? 'picket-node-client@1.0.0',
  environment: process.env.SENTRY_ENVIRONMENT ?? 'live-test',
  debug: process.env.SENTRY_DEBUG === '1',
});

// The exception is thrown three calls below loadInvoice, so the stack trace has three in-app
// frames with known function names above the catch site.
function loadInvoice(invoiceId) {
  return priceInvoice({ id: invoiceId, lines: [] });
}

function priceInvoice(invoice) {
  return sumLines(invoice.lines);
}

function sumLines(lines) {
  if (lines.length === 0) {
    throw new TypeError('invoice has no lines to sum');
  }
  return lines.reduce((total, line) => total + line, 0);
}

let exceptionEventId;
try {
  loadInvoice('inv-7');
} catch (error) {
  exceptionEventId = Sentry.captureException(error);
}

const messageEventId = Sentry.withScope((scope) => {
  scope.setTag('feature', 'billing');
  scope.setTag('tier', 'gold');
  scope.setUser({ id: '7', email: 'ada@example.com', username: 'ada' });
  scope.setLevel('warning');
  Sentry.addBreadcrumb({ category: 'ui.click', message: 'clicked pay', level: 'info' });
  Sentry.addBreadcrumb({ category: 'billing', message: 'invoice inv-7 opened', level: 'info' });
  return Sentry.captureMessage('Invoice total took too long');
});

const flushed = await Sentry.flush(FLUSH_TIMEOUT_MS);
if (!flushed) {
  console.error(`Sentry.flush did not finish within ${FLUSH_TIMEOUT_MS} ms; events may be lost.`);
  process.exit(1);
}

console.log(JSON.stringify({ exception: exceptionEventId, message: messageEventId }));
process.exit(0);
