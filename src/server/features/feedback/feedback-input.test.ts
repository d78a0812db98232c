import { describe, expect, it } from 'vitest';

import {
  parseFeedbackEvent,
  parseUserReport,
  type FeedbackInput,
  type FeedbackParseResult,
} from './feedback-input.js';

const FEEDBACK_ID = 'f'.repeat(32);
const EVENT_ID = 'e'.repeat(32);
const NOW = 1_800_000_000_000;

/** Returns the parsed feedback, failing the test when it was rejected. */
function feedbackOf(result: FeedbackParseResult): FeedbackInput {
  if (!result.ok) {
    throw new Error(`feedback rejected: ${result.reason}`);
  }
  return result.feedback;
}

describe('parseFeedbackEvent', () => {
  it('reads the message, contact and associated event', () => {
    const result = parseFeedbackEvent(
      {
        environment: 'prod',
        user: { id: 7, email: 'user@example.com' },
        contexts: {
          feedback: {
            message: '  Broken  ',
            name: 'Jane',
            url: 'https://shop.example/',
            associated_event_id: EVENT_ID.toUpperCase(),
          },
        },
      },
      FEEDBACK_ID,
      NOW,
    );

    expect(result).toEqual({
      ok: true,
      feedback: {
        kind: 'feedback',
        feedbackEventId: FEEDBACK_ID,
        eventId: EVENT_ID,
        name: 'Jane',
        email: 'user@example.com',
        comments: 'Broken',
        url: 'https://shop.example/',
        environment: 'prod',
        user: '{"id":7,"email":"user@example.com"}',
        createdAt: NOW,
      },
    });
  });

  it('takes the own id from the payload without an envelope id', () => {
    const result = parseFeedbackEvent(
      { event_id: FEEDBACK_ID, contexts: { feedback: { message: 'x' } } },
      undefined,
      NOW,
    );
    const feedback = feedbackOf(result);
    expect(feedback.feedbackEventId).toBe(FEEDBACK_ID);
    expect(feedback.eventId).toBeNull();
  });

  it.each([
    [{}, 'invalid_feedback'],
    [{ contexts: { feedback: { message: '   ' } } }, 'missing_feedback_message'],
    [{ contexts: { feedback: { message: 42 } } }, 'missing_feedback_message'],
    [{ contexts: { feedback: { message: 'x'.repeat(4097) } } }, 'feedback_message_too_long'],
  ])('rejects %j as %s', (payload, reason) => {
    expect(parseFeedbackEvent(payload, FEEDBACK_ID, NOW)).toMatchObject({ ok: false, reason });
  });

  it('rejects feedback without any event id', () => {
    expect(
      parseFeedbackEvent({ contexts: { feedback: { message: 'x' } } }, undefined, NOW),
    ).toMatchObject({ ok: false, reason: 'missing_event_id' });
  });

  it('replaces NUL characters for PostgreSQL', () => {
    const result = parseFeedbackEvent(
      { contexts: { feedback: { message: 'a\u0000b' } } },
      FEEDBACK_ID,
      NOW,
    );
    expect(feedbackOf(result).comments).toBe('a\uFFFDb');
  });
});

describe('parseUserReport', () => {
  it('falls back to the envelope event id', () => {
    const result = parseUserReport({ name: 'A', comments: 'hi' }, EVENT_ID, NOW);
    expect(result).toMatchObject({
      ok: true,
      feedback: { kind: 'user_report', feedbackEventId: EVENT_ID, eventId: EVENT_ID, email: '' },
    });
  });

  it.each([
    [{ event_id: 'nope', comments: 'x' }],
    [{ event_id: EVENT_ID, comments: '' }],
    [{ event_id: EVENT_ID, comments: 'x', name: 5 }],
    [{ event_id: EVENT_ID, comments: 'x'.repeat(4097) }],
    [{ comments: 'no id anywhere' }],
  ])('rejects %j', (payload) => {
    expect(parseUserReport(payload, undefined, NOW)).toMatchObject({
      ok: false,
      reason: 'invalid_user_report',
    });
  });
});
