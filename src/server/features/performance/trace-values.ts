import type { EventError } from '../processing/event-types.js';
import { resolveEventTimestamp } from '../processing/normalize-timestamp.js';
import { isRecord, truncateString } from '../processing/normalize-values.js';

const TRACE_ID_PATTERN = /^[0-9a-f]{32}$/;
const SPAN_ID_PATTERN = /^[0-9a-f]{16}$/;

/** Relay's limit for span operations, in characters. */
export const MAX_OP_CHARS = 128;
/** Limit for transaction names and span descriptions, in characters. */
export const MAX_NAME_CHARS = 1024;
/** Limit for short enum-like values (status, kind, origin), in characters. */
export const MAX_ENUM_CHARS = 128;

export const UNLABELED_TRANSACTION = '<unlabeled transaction>';

// PostgreSQL text columns cannot hold U+0000, which JSON allows inside strings.
const NUL = new RegExp(String.fromCharCode(0), 'g');

/**
 * Reads a trace id: 32 hex digits, upper or lower case, optionally in the hyphenated UUID form.
 * Returns it as 32 lowercase hex digits, or undefined when the value is not one.
 */
export function readTraceId(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }

  const id = value.replaceAll('-', '').toLowerCase();
  return TRACE_ID_PATTERN.test(id) ? id : undefined;
}

/** Reads a span id (16 hex digits) as lowercase, or returns undefined. */
export function readSpanId(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }

  const id = value.toLowerCase();
  return SPAN_ID_PATTERN.test(id) ? id : undefined;
}

/** Reads a non-empty string, cut to `maxChars`; anything else is undefined. */
export function readText(value: unknown, maxChars: number): string | undefined {
  if (typeof value !== 'string' || value === '') {
    return undefined;
  }

  return truncateString(value, maxChars);
}

/** Replaces U+0000 with U+FFFD so that the value fits a PostgreSQL text column. */
export function toColumnText(value: string): string {
  return value.includes('\u0000') ? value.replace(NUL, '\uFFFD') : value;
}

export function toColumnTextOrNull(value: string | null | undefined): string | null {
  return value === undefined || value === null ? null : toColumnText(value);
}

/** A correction applied to every timestamp of one transaction or span item, in seconds. */
export interface TimeShift {
  seconds: number;
  errors: EventError[];
}

/**
 * Computes how far to move the timestamps of one item so that its latest end time is believable.
 * The shift is the clock drift between the envelope's `sent_at` and the receive time. When the
 * end would still lie more than 60 s in the future or 30 days in the past, the shift moves the
 * end to the receive time instead. One shift for the whole item keeps the spans' positions
 * relative to each other.
 */
export function resolveTimeShift(
  latestEndSeconds: number,
  receivedSeconds: number,
  drift: number,
): TimeShift {
  const resolved = resolveEventTimestamp(latestEndSeconds, receivedSeconds, drift);
  return { seconds: resolved.timestamp - latestEndSeconds, errors: resolved.errors };
}

/** Reads an object of string values, such as span tags; numbers and booleans become strings. */
export function readStringMap(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) {
    return undefined;
  }

  const entries = Object.entries(value).flatMap(([key, item]): [string, string][] => {
    if (typeof item === 'string') {
      return [[key, truncateString(item, 200)]];
    }
    if (typeof item === 'number' || typeof item === 'boolean') {
      return [[key, String(item)]];
    }
    return [];
  });

  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/** Converts epoch seconds to epoch milliseconds, keeping microseconds as the fraction. */
export function secondsToMs(seconds: number): number {
  return Math.round(seconds * 1_000_000) / 1000;
}
