/**
 * What Sentry's web API shows for an error or message event that an SDK sent, derived from the
 * SDK payload with the normalization Sentry (Relay) applies on the way in.
 */
import { expect } from 'vitest';

import type { ApiEvent } from '../live/sentry-event.js';
import {
  exceptionValues,
  expectReleaseAndEnvironment,
  inAppFrames,
  messageText,
  tagValue,
} from '../live/sentry-event.js';

export interface ExpectedException {
  type: string | null;
  value: string | null;
  /** `mechanism.handled` as sent, when the SDK sent one. */
  handled: boolean | undefined;
  /** A synthetic exception only carries the call-site stack of a message. */
  synthetic: boolean;
  inAppFrames: ExpectedFrame[];
}

export interface ExpectedFrame {
  filename: string | null;
  function: string | null;
  /** Expected `absPath` when the SDK sent enough to know it, or undefined when it is not checked. */
  absPath: string | undefined;
}

export interface ExpectedEvent {
  eventId: string;
  timestampMs: number;
  exceptions: ExpectedException[];
  message: string | undefined;
  tags: [string, string][];
  user: Record<string, string> | undefined;
  release: string;
  environment: string;
  /** The issue title Sentry computes, or undefined where the test does not check it. */
  title: string | undefined;
}

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;

const asString = (value: unknown): string | null => (typeof value === 'string' ? value : null);

// Sentry cuts the text in a title to 100 characters (`get_title` in sentry/eventtypes/error.py),
// so longer texts are not checked.
const MAX_CHECKED_TITLE_TEXT_LENGTH = 100;

// Filename prefixes that Relay treats as URLs.
const URL_PREFIXES = ['file:', 'http:', 'https:', 'applewebdata:'];

function isUrl(text: string): boolean {
  return URL_PREFIXES.some((prefix) => text.startsWith(prefix));
}

/**
 * Applies Relay's frame normalization: a frame without `abs_path` gets its `filename` there, and
 * a URL in `filename` is then shortened to its path (`http://host/app.js` becomes `/app.js`).
 * A function name of `?` means unknown and is removed. Source: Relay's `process_non_raw_frame`
 * and its normalization of `Frame.function`.
 */
export function expectedFrame(raw: Json): ExpectedFrame {
  const rawFilename = asString(raw.filename);
  const rawAbsPath = asString(raw.abs_path);
  const rawFunction = asString(raw.function);

  let filename = rawFilename;
  let absPath: string | undefined = rawAbsPath ?? undefined;
  if (rawAbsPath === null && rawFilename !== null && isUrl(rawFilename)) {
    absPath = rawFilename;
    const urlPath = new URL(rawFilename).pathname;
    if (urlPath !== '' && urlPath !== '/') {
      filename = urlPath;
    }
  }

  return { filename, function: rawFunction === '?' ? null : rawFunction, absPath };
}

function expectedExceptions(payload: Json): ExpectedException[] {
  const values = (asObject(payload.exception)?.values as unknown[] | undefined) ?? [];
  return values.map((value) => {
    const exception = asObject(value) ?? {};
    const mechanism = asObject(exception.mechanism);
    const frames = (asObject(exception.stacktrace)?.frames as unknown[] | undefined) ?? [];
    return {
      type: asString(exception.type),
      value: asString(exception.value),
      handled: typeof mechanism?.handled === 'boolean' ? mechanism.handled : undefined,
      synthetic: mechanism?.synthetic === true,
      inAppFrames: frames
        .map((frame) => asObject(frame) ?? {})
        .filter((frame) => frame.in_app === true)
        .map(expectedFrame),
    };
  });
}

function expectedMessage(payload: Json): string | undefined {
  const logentry = asObject(payload.logentry);
  const text =
    asString(payload.message) ?? asString(logentry?.formatted) ?? asString(logentry?.message);
  return text === null || text === '' ? undefined : text;
}

function expectedTags(payload: Json): [string, string][] {
  if (Array.isArray(payload.tags)) {
    return payload.tags.filter(
      (pair): pair is [string, string] =>
        Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string',
    );
  }
  return Object.entries(asObject(payload.tags) ?? {}).map(([key, value]) => [key, String(value)]);
}

/** Returns the user fields Sentry keeps as sent, with `{{auto}}` replaced by the sender's address. */
function expectedUser(payload: Json, senderAddress: string): Record<string, string> | undefined {
  const user = asObject(payload.user);
  if (user === undefined) {
    return undefined;
  }
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(user)) {
    if (typeof value === 'string') {
      fields[key] = key === 'ip_address' && value === '{{auto}}' ? senderAddress : value;
    }
  }
  return Object.keys(fields).length === 0 ? undefined : fields;
}

function timestampMs(value: unknown): number {
  if (typeof value === 'number') {
    return value * 1000;
  }
  if (typeof value === 'string') {
    return Date.parse(value);
  }
  throw new Error(`event timestamp is missing or invalid: ${JSON.stringify(value)}`);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

/**
 * Returns Sentry's issue title: `Type: value` for a real exception (the last one in the list),
 * the message for a message event. A synthetic exception is titled after the crashing
 * function, which is not checked.
 */
function expectedTitle(
  exceptions: ExpectedException[],
  message: string | undefined,
): string | undefined {
  const main = exceptions.at(-1);
  const fits = (text: string) => text.length <= MAX_CHECKED_TITLE_TEXT_LENGTH;

  if (main === undefined) {
    return message !== undefined && fits(firstLine(message)) ? firstLine(message) : undefined;
  }
  if (main.synthetic) {
    return undefined;
  }
  const type = main.type ?? 'Error';
  if (!main.value) {
    return type;
  }
  return fits(firstLine(main.value)) ? `${type}: ${firstLine(main.value)}` : undefined;
}

export function expectedEvent(payload: Json, senderAddress: string): ExpectedEvent {
  const exceptions = expectedExceptions(payload);
  const message = expectedMessage(payload);
  const eventId = asString(payload.event_id);
  const release = asString(payload.release);
  const environment = asString(payload.environment);
  if (eventId === null || release === null || environment === null) {
    throw new Error('captured event lacks event_id, release or environment');
  }

  return {
    eventId: eventId.replaceAll('-', '').toLowerCase(),
    timestampMs: timestampMs(payload.timestamp),
    exceptions,
    message,
    tags: expectedTags(payload),
    user: expectedUser(payload, senderAddress),
    release,
    environment,
    title: expectedTitle(exceptions, message),
  };
}

/**
 * Asserts that an event read from the web API shows what the SDK sent. The assertions are soft,
 * so one run lists every mismatch.
 */
export function expectEventMatches(event: ApiEvent, expected: ExpectedEvent): void {
  expect.soft(event.eventID, 'eventID').toBe(expected.eventId);

  const values = exceptionValues(event);
  expect
    .soft(
      values.map((value) => ({ type: value.type ?? null, value: value.value ?? null })),
      'exception types and values',
    )
    .toEqual(expected.exceptions.map(({ type, value }) => ({ type, value })));

  expected.exceptions.forEach((exception, index) => {
    const actual = values[index];
    if (actual === undefined) {
      // Already reported by the comparison of types and values above.
      return;
    }
    const frames = inAppFrames(actual);
    expect
      .soft(
        frames.map((frame) => ({ filename: frame.filename, function: frame.function })),
        `in-app frames of exception ${index}`,
      )
      .toEqual(
        exception.inAppFrames.map((frame) => ({
          filename: frame.filename,
          function: frame.function,
        })),
      );
    exception.inAppFrames.forEach((frame, frameIndex) => {
      if (frame.absPath !== undefined) {
        expect
          .soft(frames[frameIndex]?.absPath, `absPath of in-app frame ${frameIndex}`)
          .toBe(frame.absPath);
      }
    });
    if (exception.handled !== undefined) {
      expect
        .soft(actual.mechanism?.handled, `mechanism.handled of exception ${index}`)
        .toBe(exception.handled);
    }
  });

  if (expected.message !== undefined) {
    expect.soft(messageText(event), 'message entry').toBe(expected.message);
  }
  for (const [key, value] of expected.tags) {
    expect.soft(tagValue(event, key), `tag ${key}`).toBe(value);
  }
  for (const [key, value] of Object.entries(expected.user ?? {})) {
    expect.soft(event.user?.[key], `user.${key}`).toBe(value);
  }
  expectReleaseAndEnvironment(event, expected.release, expected.environment);
}
