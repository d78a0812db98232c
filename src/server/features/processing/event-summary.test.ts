import { describe, expect, it } from 'vitest';

import { summarizeEvent } from './event-summary.js';
import { normalizeEvent } from './normalize.js';

function summarize(raw: Record<string, unknown>) {
  return summarizeEvent(
    normalizeEvent(raw, {
      eventId: undefined,
      receivedAt: 0,
      sentAt: undefined,
      clientIp: undefined,
      client: undefined,
    }),
  );
}

const FRAMES = [
  { filename: 'lib/http.py', module: 'lib.http', function: 'send', in_app: false },
  { filename: 'app/views.py', module: 'app.views', function: 'checkout', in_app: true },
  { filename: 'lib/db.py', module: 'lib.db', function: 'query', in_app: false },
];

describe('summarizeEvent', () => {
  it('titles an error by the outermost exception', () => {
    const summary = summarize({
      exception: [
        { type: 'KeyError', value: 'inner' },
        { type: 'RuntimeError', value: 'outer\nsecond line' },
      ],
    });

    expect(summary.title).toBe('RuntimeError: outer');
    expect(summary.metadata).toMatchObject({ type: 'RuntimeError', value: 'outer\nsecond line' });
  });

  it('titles an error without value by its type', () => {
    expect(summarize({ exception: [{ type: 'Timeout' }] }).title).toBe('Timeout');
  });

  it('cuts a long value in the title to 100 characters', () => {
    const title = summarize({ exception: [{ type: 'E', value: 'v'.repeat(300) }] }).title;

    expect(title).toBe(`E: ${'v'.repeat(99)}…`);
  });

  it('takes the culprit and location from the in-app frame closest to the crash', () => {
    const summary = summarize({
      platform: 'python',
      exception: [{ type: 'E', value: 'x', stacktrace: { frames: FRAMES } }],
    });

    expect(summary.culprit).toBe('app.views in checkout');
    expect(summary.location).toBe('app/views.py');
    expect(summary.metadata).toMatchObject({
      filename: 'app/views.py',
      function: 'checkout',
      in_app_frame_mix: 'mixed',
    });
  });

  it('formats a JavaScript culprit as function(module)', () => {
    const frames = [{ filename: '/srv/app.js', module: 'app', function: 'main', in_app: true }];

    expect(
      summarize({ platform: 'node', exception: [{ type: 'E', stacktrace: { frames } }] }).culprit,
    ).toBe('main(app)');
  });

  it('prefers the transaction as culprit', () => {
    const summary = summarize({
      transaction: 'GET /cart',
      exception: [{ type: 'E', stacktrace: { frames: FRAMES } }],
    });

    expect(summary.culprit).toBe('GET /cart');
  });

  it('titles a message event by its first line, cut to 100 characters', () => {
    const summary = summarize({ message: `${'m'.repeat(120)}\nrest` });

    expect(summary.title).toBe(`${'m'.repeat(99)}…`);
    expect(summary.metadata).toEqual({ title: summary.title });
    expect(summary.location).toBeNull();
  });

  it('titles an event without message or exception as unlabeled', () => {
    expect(summarize({}).title).toBe('<unlabeled event>');
  });
});
