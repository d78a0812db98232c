/**
 * Events that the web UI test sends. Each shows one part of the issue page: a full browser
 * error, HTML payloads, a long value, a message with a synthetic stack trace, directional
 * control characters, and thousands of tags with a chain of exceptions.
 */

export const XSS_PAYLOAD = '<img src=x onerror=window.__xss=1>';
export const CRASH_EVENT_ID = 'c0ffee00c0ffee00c0ffee00c0ffee01';
export const XSS_EVENT_ID = 'bad0bad0bad0bad0bad0bad0bad0bad1';
export const LONG_VALUE_EVENT_ID = '10a910a910a910a910a910a910a910a1';
export const MESSAGE_EVENT_ID = '5e55a9e05e55a9e05e55a9e05e55a9e1';
export const BIDI_EVENT_ID = 'b1d1b1d1b1d1b1d1b1d1b1d1b1d1b1d1';
export const MANY_TAGS_EVENT_ID = '7a9570a97a9570a97a9570a97a9570a1';

/** 25,276,071,936 bytes, which the contexts show as "23.5 GiB". */
export const DEVICE_MEMORY_BYTES = 25_276_071_936;
export const MULTI_LINE_MESSAGE = 'SELECT *\n  FROM orders\n WHERE total = 0';
/** A value of about 1,200 characters, far longer than two lines of the issue header. */
export const LONG_VALUE = 'Invalid array length while resizing the checkout buffer. '
  .repeat(21)
  .trimEnd();
export const MESSAGE_TEXT = 'Checkout total mismatch';
/** A type whose right-to-left override would reverse the value after it, if not isolated. */
export const BIDI_TYPE = 'Spoof\u202EError';
export const BIDI_VALUE = 'report.pdf';
/** A file name that an override makes read "eviltxt.exe". */
export const BIDI_SPOOF = 'evil\u202Eexe.txt';
/** "Zalgo" text: letters with dozens of stacked combining marks each. */
export const ZALGO_TEXT = Array.from(
  'zalgo',
  (letter) => letter + '\u0336\u030d\u0357'.repeat(12),
).join('');
export const EVENT_TAG_COUNT = 10_000;
export const CHAINED_EXCEPTION_COUNT = 12;

/**
 * Builds a browser error with in-app and library frames, breadcrumbs (one of them multi-line),
 * request, user and contexts (one of them empty).
 */
export function crashEvent() {
  const timestamp = Date.now() / 1000;

  return {
    event_id: CRASH_EVENT_ID,
    timestamp,
    platform: 'javascript',
    level: 'error',
    release: 'shop@1.4.2',
    environment: 'production',
    transaction: '/checkout',
    tags: { browser: 'Chrome 126', 'page.section': 'checkout' },
    user: { id: '42', email: 'jane@example.com', ip_address: '203.0.113.7' },
    contexts: {
      browser: { name: 'Chrome', version: '126.0.0' },
      os: { name: 'macOS', version: '14.5' },
      device: { memory_size: DEVICE_MEMORY_BYTES, charging: true, low_memory: false },
      cloud_resource: {},
    },
    request: {
      url: 'https://shop.example.com/checkout?step=2',
      method: 'GET',
      headers: { 'User-Agent': 'Mozilla/5.0', Referer: 'https://shop.example.com/cart' },
    },
    breadcrumbs: {
      values: [
        {
          timestamp: timestamp - 5,
          category: 'navigation',
          data: { from: '/cart', to: '/checkout' },
        },
        { timestamp: timestamp - 2, category: 'ui.click', message: 'button#pay' },
        {
          timestamp: timestamp - 1,
          category: 'console',
          level: 'warning',
          message: 'Cart total is 0',
        },
        { timestamp: timestamp - 1, category: 'query', message: MULTI_LINE_MESSAGE },
      ],
    },
    exception: {
      values: [
        {
          type: 'TypeError',
          value: "Cannot read properties of undefined (reading 'total')",
          mechanism: { type: 'onerror', handled: false },
          stacktrace: {
            frames: [
              {
                filename: 'node_modules/react-dom/cjs/react-dom.development.js',
                abs_path:
                  'https://shop.example.com/node_modules/react-dom/cjs/react-dom.development.js',
                function: 'invokeGuardedCallback',
                lineno: 4213,
                colno: 16,
                in_app: false,
              },
              {
                filename: 'node_modules/react-dom/cjs/react-dom.development.js',
                abs_path:
                  'https://shop.example.com/node_modules/react-dom/cjs/react-dom.development.js',
                function: 'dispatchEvent',
                lineno: 4102,
                colno: 7,
                in_app: false,
              },
              {
                filename: 'src/checkout/pay-button.js',
                abs_path: 'https://shop.example.com/src/checkout/pay-button.js',
                function: 'handlePayClick',
                lineno: 18,
                colno: 5,
                in_app: true,
                pre_context: [
                  'export function handlePayClick(event) {',
                  '  event.preventDefault();',
                ],
                context_line: '  submitOrder(window.cart);',
                post_context: ['}'],
              },
              {
                filename: 'src/checkout/submit-order.js',
                abs_path: 'https://shop.example.com/src/checkout/submit-order.js',
                function: 'submitOrder',
                lineno: 7,
                colno: 22,
                in_app: true,
                pre_context: ['export function submitOrder(cart) {', '  const items = cart.items;'],
                context_line: '  const total = cart.summary.total;',
                post_context: ['  return post("/orders", { items, total });', '}'],
                vars: { cart: { items: [] } },
              },
            ],
          },
        },
      ],
    },
  };
}

/** Builds an event whose exception value, tag and breadcrumb message contain an HTML payload. */
export function xssEvent() {
  return {
    event_id: XSS_EVENT_ID,
    timestamp: Date.now() / 1000,
    platform: 'javascript',
    level: 'error',
    tags: { probe: XSS_PAYLOAD },
    breadcrumbs: {
      values: [{ timestamp: Date.now() / 1000, category: 'console', message: XSS_PAYLOAD }],
    },
    exception: {
      values: [
        {
          type: 'MarkupProbeError',
          value: XSS_PAYLOAD,
          stacktrace: {
            frames: [
              { filename: 'src/probe.js', function: 'probe', lineno: 1, colno: 1, in_app: true },
            ],
          },
        },
      ],
    },
  };
}

/** Builds an error whose exception value is about 1,200 characters long. */
export function longValueEvent() {
  return {
    event_id: LONG_VALUE_EVENT_ID,
    timestamp: Date.now() / 1000,
    platform: 'javascript',
    level: 'error',
    exception: {
      values: [
        {
          type: 'RangeError',
          value: LONG_VALUE,
          stacktrace: {
            frames: [{ filename: 'src/buffer.js', function: 'grow', lineno: 3, in_app: true }],
          },
        },
      ],
    },
  };
}

/**
 * Builds a message with a stack trace as @sentry/node's `captureMessage` sends it with
 * `attachStacktrace`: a synthetic exception without a type that repeats the message.
 */
export function messageEvent() {
  return {
    event_id: MESSAGE_EVENT_ID,
    timestamp: Date.now() / 1000,
    platform: 'node',
    level: 'info',
    message: MESSAGE_TEXT,
    exception: {
      values: [
        {
          value: MESSAGE_TEXT,
          mechanism: { type: 'generic', handled: true, synthetic: true },
          stacktrace: {
            frames: [
              { filename: 'src/server.js', function: 'main', lineno: 40, in_app: true },
              {
                filename: 'src/checkout/verify-total.js',
                function: 'verifyTotal',
                lineno: 12,
                in_app: true,
                pre_context: ['  if (total !== expected) {'],
                context_line: "    Sentry.captureMessage('Checkout total mismatch');",
                post_context: ['  }'],
              },
            ],
          },
        },
      ],
    },
  };
}

/** Builds an error whose type, value, tag and breadcrumb carry directional overrides and Zalgo. */
export function bidiEvent() {
  return {
    event_id: BIDI_EVENT_ID,
    timestamp: Date.now() / 1000,
    platform: 'javascript',
    level: 'error',
    tags: { attachment: BIDI_SPOOF },
    breadcrumbs: {
      values: [{ timestamp: Date.now() / 1000, category: 'console', message: ZALGO_TEXT }],
    },
    exception: {
      values: [
        {
          type: BIDI_TYPE,
          value: BIDI_VALUE,
          stacktrace: {
            frames: [{ filename: BIDI_SPOOF, function: 'open', lineno: 1, in_app: true }],
          },
        },
      ],
    },
  };
}

/** Builds an error with 10,000 tags and a chain of 12 exceptions. */
export function manyTagsEvent() {
  const tags = Object.fromEntries(
    Array.from({ length: EVENT_TAG_COUNT }, (_, index) => [`tag${index}`, `value${index}`]),
  );
  const exceptions = Array.from({ length: CHAINED_EXCEPTION_COUNT }, (_, index) => ({
    type: `ChainError${index}`,
    value: `link ${index} of the chain`,
    stacktrace: {
      frames: [{ filename: 'src/chain.js', function: `link${index}`, lineno: index + 1 }],
    },
  }));

  return {
    event_id: MANY_TAGS_EVENT_ID,
    timestamp: Date.now() / 1000,
    platform: 'javascript',
    level: 'error',
    tags,
    exception: { values: exceptions },
  };
}
