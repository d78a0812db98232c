// Sends errors with the real @sentry/node SDK to a server that limits its DSN key to one error,
// and prints what the SDK did as JSON: {"statuses":[...],"dropped":[{reason,category,quantity}]}.
//
// Steps: an error (accepted), an error (rejected with 429), then an error and a message, which the
// SDK must drop itself, then a flush that sends the client report.
//
// Usage: node node-ratelimit.mjs <dsn>   Optional: SENTRY_DEBUG=1 (the SDK's own log, on stderr).
import * as Sentry from '@sentry/node';

const dsn = process.argv[2];
if (!dsn) {
  console.error('Missing DSN: pass it as the first argument.');
  process.exit(2);
}

const FLUSH_TIMEOUT_MS = 5_000;
const state = { statuses: [], dropped: [] };

// Wraps the SDK's own transport, so that requests go out as without the wrapper, and records
// each response status and each outcome the SDK counts for its client report.
function makeRecordingTransport(options) {
  const transport = Sentry.makeNodeTransport({
    ...options,
    recordDroppedEvent: (reason, category, quantity) => {
      state.dropped.push({ reason, category, quantity: quantity ?? 1 });
      options.recordDroppedEvent(reason, category, quantity);
    },
  });
  return {
    ...transport,
    send: (envelope) =>
      transport.send(envelope).then((response) => {
        state.statuses.push(response.statusCode ?? null);
        return response;
      }),
  };
}

Sentry.init({
  dsn,
  release: 'picket-ratelimit@1.0.0',
  debug: process.env.SENTRY_DEBUG === '1',
  transport: makeRecordingTransport,
});

Sentry.captureException(new Error('first error (accepted)'));
await Sentry.flush(FLUSH_TIMEOUT_MS);
Sentry.captureException(new Error('second error (rejected with 429)'));
await Sentry.flush(FLUSH_TIMEOUT_MS);
Sentry.captureException(new Error('third error (dropped by the SDK)'));
Sentry.captureMessage('a message (dropped by the SDK)');
await Sentry.flush(FLUSH_TIMEOUT_MS);
await Sentry.close(FLUSH_TIMEOUT_MS);

console.log(JSON.stringify(state));
process.exit(0);
