// Test page for @sentry/browser. The live browser test bundles this file with esbuild and serves
// it on a different origin from the server, so every envelope is a cross-origin request.
//
// Page URL query: ?dsn=<DSN>[&release=...][&environment=...][&debug=1]
//
// The page sends a handled error (captureException) and, from a timer, an uncaught error. It
// records in window.__picket what the SDK did, for the test to read:
//   sentEvents:    events that passed beforeSend ({eventId, type, value, handled})
//   droppedEvents: every outcome the SDK recorded for its client report ({reason, category,
//                  quantity}). A response that CORS blocks is recorded as reason "network_error".
//   sendResults:   the HTTP status of each envelope sent, or null when the status was unreadable
//   sendErrors:    messages of rejected sends (fetch failed, e.g. on a CORS error)
//   done:          true once both errors were captured
import {
  addBreadcrumb,
  captureException,
  flush,
  init,
  makeFetchTransport,
  setTag,
  setUser,
} from '@sentry/browser';

const params = new URLSearchParams(location.search);
const state = {
  sentEvents: [],
  droppedEvents: [],
  sendResults: [],
  sendErrors: [],
  done: false,
  flush: (timeoutMs) => flush(timeoutMs),
};
window.__picket = state;

// Wraps the SDK's own fetch transport, so that requests go out exactly as without the wrapper,
// and records each send result and each outcome the SDK reports.
function makeRecordingTransport(options) {
  const transport = makeFetchTransport({
    ...options,
    recordDroppedEvent: (reason, category, quantity) => {
      state.droppedEvents.push({ reason, category, quantity: quantity ?? 1 });
      options.recordDroppedEvent(reason, category, quantity);
    },
  });
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
  release: params.get('release') ?? 'picket-browser-client@1.0.0',
  environment: params.get('environment') ?? 'live-test',
  debug: params.get('debug') === '1',
  transport: makeRecordingTransport,
  beforeSend(event) {
    const exception = event.exception?.values?.[0];
    state.sentEvents.push({
      eventId: event.event_id,
      type: exception?.type ?? null,
      value: exception?.value ?? null,
      handled: exception?.mechanism?.handled ?? null,
    });
    return event;
  },
});

setTag('page', 'checkout');
setUser({ id: '7', username: 'ada' });
addBreadcrumb({ category: 'ui.click', message: 'clicked pay', level: 'info' });

// Handled error: thrown three calls below loadInvoice and reported with captureException.
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

// Uncaught error: thrown from a timer callback. The SDK's wrapped setTimeout reports it with
// mechanism.handled = false and throws it on to the browser.
function checkoutInvoice(invoiceId) {
  return applyDiscount({ id: invoiceId, discountPercent: 150 });
}

function applyDiscount(invoice) {
  return validateDiscount(invoice.discountPercent);
}

function validateDiscount(percent) {
  if (percent < 0 || percent > 100) {
    throw new RangeError(`discount must be between 0 and 100 (got ${percent})`);
  }
  return percent;
}

try {
  loadInvoice('inv-7');
} catch (error) {
  captureException(error, { tags: { handled: 'yes' } });
}

setTimeout(() => {
  setTimeout(() => {
    state.done = true;
  }, 0);
  checkoutInvoice('inv-9');
}, 0);

document.getElementById('status').textContent = 'errors sent';
