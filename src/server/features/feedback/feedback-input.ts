import { normalizeEventId } from '../ingest/json-payload.js';

/** A validated feedback, ready to be stored. */
export interface FeedbackInput {
  kind: 'feedback' | 'user_report';
  /** The feedback event's own id; for a user report, the id of the event it is about. */
  feedbackEventId: string;
  /** The error event the feedback is about, when known. */
  eventId: string | null;
  name: string;
  email: string;
  comments: string;
  url: string | null;
  environment: string | null;
  /** The feedback event's `user` as JSON text. */
  user: string | null;
  createdAt: number;
}

export type FeedbackParseResult =
  { ok: true; feedback: FeedbackInput } | { ok: false; reason: string; message: string };

/** Sentry's limits on feedback text: the message or comments, the name and the e-mail. */
export const MAX_MESSAGE_CHARS = 4096;
const MAX_NAME_CHARS = 128;
const MAX_EMAIL_CHARS = 256;
const MAX_URL_CHARS = 2048;

// PostgreSQL text cannot hold U+0000, so it is replaced.
const NUL = new RegExp(String.fromCharCode(0), 'g');

/**
 * Reads a `feedback` item: an event whose `contexts.feedback` carries the message (required,
 * at most 4,096 characters), the contact and the associated event id. `envelopeEventId` is the
 * feedback's own id from the envelope header.
 */
export function parseFeedbackEvent(
  payload: unknown,
  envelopeEventId: string | undefined,
  receivedAt: number,
): FeedbackParseResult {
  const event = asRecord(payload) ?? {};
  const context = asRecord(asRecord(event.contexts)?.feedback);
  if (context === undefined) {
    return failure('invalid_feedback', 'the feedback event has no "contexts.feedback" object');
  }

  const message = typeof context.message === 'string' ? context.message.trim() : '';
  if (message === '') {
    return failure('missing_feedback_message', '"contexts.feedback.message" is missing or empty');
  }
  if (message.length > MAX_MESSAGE_CHARS) {
    return failure(
      'feedback_message_too_long',
      `"contexts.feedback.message" has ${message.length} characters, more than ${MAX_MESSAGE_CHARS}`,
    );
  }

  const feedbackEventId = envelopeEventId ?? normalizeEventId(event.event_id);
  if (feedbackEventId === undefined) {
    return failure('missing_event_id', 'the feedback has no event id');
  }

  const user = asRecord(event.user);
  return {
    ok: true,
    feedback: {
      kind: 'feedback',
      feedbackEventId,
      eventId: normalizeEventId(context.associated_event_id) ?? null,
      name: cleanText(firstString(context.name, user?.name, user?.username), MAX_NAME_CHARS),
      email: cleanText(firstString(context.contact_email, user?.email), MAX_EMAIL_CHARS),
      comments: cleanText(message, MAX_MESSAGE_CHARS),
      url: optionalText(context.url, MAX_URL_CHARS),
      environment: optionalText(event.environment, MAX_NAME_CHARS),
      user: user === undefined ? null : cleanText(JSON.stringify(user), 16 * 1024),
      createdAt: receivedAt,
    },
  };
}

/**
 * Reads a `user_report` item or API body, `{event_id, name, email, comments}`. The event id
 * falls back to `envelopeEventId`; comments are required and at most 4,096 characters.
 */
export function parseUserReport(
  payload: unknown,
  envelopeEventId: string | undefined,
  receivedAt: number,
): FeedbackParseResult {
  const report = asRecord(payload) ?? {};
  const hasPayloadId = report.event_id !== undefined && report.event_id !== null;
  const eventId = hasPayloadId ? normalizeEventId(report.event_id) : envelopeEventId;

  if (eventId === undefined) {
    return failure('invalid_user_report', '"event_id" is missing or not 32 hex digits');
  }
  for (const field of ['name', 'email'] as const) {
    const value = report[field];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      return failure('invalid_user_report', `"${field}" must be a string`);
    }
  }
  const comments = typeof report.comments === 'string' ? report.comments.trim() : '';
  if (comments === '') {
    return failure('invalid_user_report', '"comments" is missing or empty');
  }
  if (comments.length > MAX_MESSAGE_CHARS) {
    return failure(
      'invalid_user_report',
      `"comments" has ${comments.length} characters, more than ${MAX_MESSAGE_CHARS}`,
    );
  }

  return {
    ok: true,
    feedback: {
      kind: 'user_report',
      feedbackEventId: eventId,
      eventId,
      name: cleanText(firstString(report.name), MAX_NAME_CHARS),
      email: cleanText(firstString(report.email), MAX_EMAIL_CHARS),
      comments: cleanText(comments, MAX_MESSAGE_CHARS),
      url: null,
      environment: null,
      user: null,
      createdAt: receivedAt,
    },
  };
}

function firstString(...values: unknown[]): string {
  const found = values.find((value) => typeof value === 'string' && value !== '');
  return typeof found === 'string' ? found : '';
}

function cleanText(value: string, maxChars: number): string {
  return value.slice(0, maxChars).replace(NUL, '\uFFFD');
}

function optionalText(value: unknown, maxChars: number): string | null {
  return typeof value === 'string' && value !== '' ? cleanText(value, maxChars) : null;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function failure(reason: string, message: string): FeedbackParseResult {
  return { ok: false, reason, message };
}
