import type { EventError } from './event-types.js';

/** Envelope clocks that differ from ours by more than this are corrected, in seconds. */
export const CLOCK_DRIFT_THRESHOLD_SECONDS = 60;

/** Relay's limits for event timestamps relative to the receive time, in seconds. */
export const MAX_SECONDS_IN_FUTURE = 60;
export const MAX_SECONDS_IN_PAST = 30 * 24 * 60 * 60;

const RFC3339_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;
const NUMERIC_PATTERN = /^-?\d+(?:\.\d+)?$/;

/**
 * Parses a protocol timestamp into epoch seconds. Accepts a number (epoch seconds), a numeric
 * string, or an RFC 3339 date-time, where a date-time without an offset counts as UTC. Returns
 * undefined for anything else, including dates that do not exist.
 */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  }

  if (typeof value !== 'string') {
    return undefined;
  }

  const text = value.trim();

  if (NUMERIC_PATTERN.test(text)) {
    const seconds = Number(text);
    return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
  }

  return parseDateTime(text);
}

function parseDateTime(text: string): number | undefined {
  const match = RFC3339_PATTERN.exec(text);

  if (match === null) {
    return undefined;
  }

  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = match[6] === undefined ? 0 : Number(match[6]);
  const fraction = match[7] === undefined ? 0 : Number(`0${match[7]}`);

  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return undefined;
  }

  const epochMs = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(epochMs);

  if (check.getUTCDate() !== day && second !== 60) {
    return undefined;
  }

  let offsetSeconds = 0;

  if (match[9] !== undefined) {
    const sign = match[9] === '-' ? -1 : 1;
    offsetSeconds = sign * (Number(match[10]) * 3600 + Number(match[11]) * 60);
  }

  return epochMs / 1000 + fraction - offsetSeconds;
}

/**
 * Returns the number of seconds to add to client timestamps, or 0 when the clocks agree within
 * the threshold. The drift is measured between the envelope's `sent_at` and our receive time.
 */
export function computeClockDrift(sentAt: string | undefined, receivedSeconds: number): number {
  if (sentAt === undefined) {
    return 0;
  }

  const sentSeconds = parseTimestamp(sentAt);

  if (sentSeconds === undefined) {
    return 0;
  }

  const drift = receivedSeconds - sentSeconds;
  return Math.abs(drift) > CLOCK_DRIFT_THRESHOLD_SECONDS ? drift : 0;
}

export interface EventTimestampResult {
  timestamp: number;
  errors: EventError[];
}

/**
 * Computes the event timestamp: the client's value shifted by the clock drift, or the receive
 * time when missing. Timestamps still more than 60 s in the future or 30 days in the past are
 * replaced by the receive time, with a `future_timestamp` or `past_timestamp` error as in Relay.
 */
export function resolveEventTimestamp(
  clientSeconds: number | undefined,
  receivedSeconds: number,
  drift: number,
): EventTimestampResult {
  const errors: EventError[] = [];

  if (clientSeconds === undefined) {
    return { timestamp: receivedSeconds, errors };
  }

  if (drift !== 0) {
    errors.push({
      type: 'clock_drift',
      name: 'timestamp',
      value: { sdk_time: clientSeconds, server_time: receivedSeconds, drift },
    });
  }

  const corrected = clientSeconds + drift;

  if (corrected > receivedSeconds + MAX_SECONDS_IN_FUTURE) {
    errors.push({ type: 'future_timestamp', name: 'timestamp', value: corrected });
    return { timestamp: receivedSeconds, errors };
  }

  if (corrected < receivedSeconds - MAX_SECONDS_IN_PAST) {
    errors.push({ type: 'past_timestamp', name: 'timestamp', value: corrected });
    return { timestamp: receivedSeconds, errors };
  }

  return { timestamp: corrected, errors };
}
