// Test page for tracing with @sentry/browser. The live tracing test bundles this file with
// esbuild and serves it on another origin than the server.
//
// Page URL query: ?dsn=<DSN>[&lifecycle=static|stream][&debug=1]
//   static: the pageload arrives as a `transaction` event; stream: as v2 `span` items.
//
// The page records in window.__picket what the test needs:
//   traceId, pageloadSpanId: ids of the pageload span, which is the trace's root
//   pageloadEnded:           true once the SDK ended the pageload span
//   sendResults:             the HTTP status of each envelope sent, or null when unreadable
//   sendErrors:              messages of rejected sends
import {
  browserTracingIntegration,
  flush,
  getActiveSpan,
  getClient,
  getRootSpan,
  init,
  makeFetchTransport,
  spanToJSON,
  startSpan,
} from '@sentry/browser';

const params = new URLSearchParams(location.search);
const state = {
  traceId: null,
  pageloadSpanId: null,
  pageloadEnded: false,
  sendResults: [],
  sendErrors: [],
  flush: (timeoutMs) => flush(timeoutMs),
};
window.__picket = state;

function makeRecordingTransport(options) {
  const transport = makeFetchTransport(options);
  return {
    ...transport,
    send: (envelope) =>
      transport.send(envelope).then(
        (response) => {
          state.sendResults.push(response.statusCode ?? null);
          return response;
        },
        (error) => {
          state.sendErrors.push(String(error));
          throw error;
        },
      ),
  };
}

init({
  dsn: params.get('dsn'),
  release: 'picket-browser-client@1.0.0',
  environment: 'live-test',
  debug: params.get('debug') === '1',
  tracesSampleRate: 1.0,
  tracePropagationTargets: [],
  traceLifecycle: params.get('lifecycle') ?? 'stream',
  // A short idle timeout ends the pageload soon after the page's own work.
  integrations: [browserTracingIntegration({ idleTimeout: 300, finalTimeout: 5000 })],
  transport: makeRecordingTransport,
});

const pageload = getActiveSpan();
if (pageload !== undefined) {
  const { traceId, spanId } = getRootSpan(pageload).spanContext();
  state.traceId = traceId;
  state.pageloadSpanId = spanId;
}

getClient()?.on('spanEnd', (span) => {
  if (spanToJSON(span).span_id === state.pageloadSpanId) {
    state.pageloadEnded = true;
  }
});

// A child span of the pageload with a known name and operation.
startSpan({ name: 'compute cart totals', op: 'function' }, () => {
  let total = 0;
  for (let index = 0; index < 200_000; index += 1) {
    total += index % 7;
  }
  document.getElementById('status').textContent = `total ${total}`;
});
