// Test app for the source-map test: bundled and minified with esbuild and
// @sentry/esbuild-plugin, which injects the release and debug IDs. It reports one error
// thrown in computeTotal and records the event id in window.__picket for the test.
//
// Page URL query: ?dsn=<DSN>
import { captureException, flush, init } from '@sentry/browser';

const params = new URLSearchParams(location.search);
const state = { eventId: null, done: false, flush: (timeoutMs) => flush(timeoutMs) };
window.__picket = state;

// The release is left out on purpose: the SDK reads the one the plugin injected.
init({
  dsn: params.get('dsn'),
  environment: 'live-test',
  beforeSend(event) {
    state.eventId = event.event_id;
    return event;
  },
});

function computeTotal(cart) {
  const total = cart.items.reduce((sum, item) => sum + item.price, 0);
  if (total <= 0) {
    throw new Error(`Cart total must be positive, got ${total}`);
  }
  return total;
}

function checkout(cart) {
  return computeTotal(cart);
}

try {
  checkout({ items: [] });
} catch (error) {
  captureException(error);
}
state.done = true;
