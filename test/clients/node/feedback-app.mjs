// Sends an error, user feedback about it, and two errors with attachments (one from the
// scope, one from the event hint) with the real @sentry/node SDK, then prints the event ids
// as JSON: {"error","feedback","scopeAttachment","hintAttachment"}.
//
// Usage: node feedback-app.mjs <dsn>   (or set SENTRY_DSN)
// The attachment bytes are attachmentBytes(n) below; the test builds the same bytes to compare.
import * as Sentry from '@sentry/node';

const dsn = process.argv[2] ?? process.env.SENTRY_DSN;
if (!dsn) {
  console.error('Missing DSN: pass it as the first argument or set SENTRY_DSN.');
  process.exit(2);
}

const FLUSH_TIMEOUT_MS = 10_000;

/** Builds every byte value, then a pattern, so that any text handling would change them. */
function attachmentBytes(length) {
  return Uint8Array.from({ length }, (_, index) => (index < 256 ? index : (index * 31) % 251));
}

Sentry.init({
  dsn,
  release: process.env.SENTRY_RELEASE ?? 'picket-node-client@1.0.0',
  environment: process.env.SENTRY_ENVIRONMENT ?? 'live-test',
  debug: process.env.SENTRY_DEBUG === '1',
});

const errorId = Sentry.captureException(new Error('checkout button failed'));

const feedbackId = Sentry.captureFeedback({
  message: 'The checkout button did nothing.',
  name: 'Jane Doe',
  email: 'jane@example.com',
  url: 'https://shop.example/checkout',
  associatedEventId: errorId,
});

const scopeAttachmentId = Sentry.withScope((scope) => {
  scope.addAttachment({
    filename: 'scope-state.bin',
    data: attachmentBytes(70_000),
    contentType: 'application/octet-stream',
  });
  return Sentry.captureException(new Error('export failed with scope attachment'));
});

const hintAttachmentId = Sentry.captureException(new Error('import failed with hint attachment'), {
  attachments: [
    { filename: 'request.json', data: '{"order":7,"items":[]}', contentType: 'application/json' },
  ],
});

const flushed = await Sentry.flush(FLUSH_TIMEOUT_MS);
if (!flushed) {
  console.error(`Sentry.flush did not finish within ${FLUSH_TIMEOUT_MS} ms; events may be lost.`);
  process.exit(1);
}

console.log(
  JSON.stringify({
    error: errorId,
    feedback: feedbackId,
    scopeAttachment: scopeAttachmentId,
    hintAttachment: hintAttachmentId,
  }),
);
process.exit(0);
