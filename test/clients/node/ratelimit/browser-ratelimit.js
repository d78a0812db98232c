// Rate-limit test page for @sentry/browser. The live test bundles this file with esbuild
// (build-ratelimit-page.mjs), serves it on another origin than the server and calls
// window.__picket.run(), which sends an error (accepted), an error (rejected with 429), then an
// error and a message that the SDK must drop itself. Navigating away makes the SDK send its
// client report.
//
// Page URL query: ?dsn=<DSN>[&debug=1]
import { captureException, captureMessage, flush, init, makeFetchTransport } from '@sentry/browser';

const FLUSH_TIMEOUT_MS = 5000;
const params = new URLSearchParams(location.search);
const state = { statuses: [], dropped: [] };

function makeRecordingTransport(options) {
  const transport = makeFetchTransport({
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

init({
  dsn: params.get('dsn'),
  release: 'picket-ratelimit@1.0.0',
  debug: params.get('debug') === '1',
  transport: makeRecordingTransport,
});

window.__picket = {
  async run() {
    captureException(new Error('first error (accepted)'));
    await flush(FLUSH_TIMEOUT_MS);
    captureException(new Error('second error (rejected with 429)'));
    await flush(FLUSH_TIMEOUT_MS);
    captureException(new Error('third error (dropped by the SDK)'));
    captureMessage('a message (dropped by the SDK)');
    await flush(FLUSH_TIMEOUT_MS);
    return { statuses: [...state.statuses], dropped: [...state.dropped] };
  },
};
document.getElementById('status').textContent = 'ready';
