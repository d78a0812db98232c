const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/**
 * Parses a protocol time into epoch milliseconds: an RFC 3339 date-time (UTC when it has no
 * offset) or a number of epoch seconds. Returns undefined for anything else, including dates
 * that do not exist such as February 31.
 */
export function parseProtocolTime(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  }
  if (typeof value !== 'string') {
    return undefined;
  }

  const match = ISO_PATTERN.exec(value.trim());
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
  const fractionMs = match[7] === undefined ? 0 : Number(`0${match[7]}`) * 1000;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }

  const epochMs = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(epochMs).getUTCDate() !== day) {
    return undefined;
  }

  const sign = match[9] === '-' ? -1 : 1;
  const offsetMs =
    match[9] === undefined ? 0 : sign * (Number(match[10]) * 60 + Number(match[11])) * 60_000;
  return epochMs + fractionMs - offsetMs;
}

/** Clock drifts smaller than this are left alone, as Relay does for sessions. */
const MINIMUM_CLOCK_DRIFT_MS = 55 * 60 * 1000;

/**
 * Returns the milliseconds to add to the client's times: the difference between our receive
 * time and the envelope's `sent_at`, or 0 when it is under 55 minutes or `sent_at` is unusable.
 */
export function measureClockDrift(sentAt: string | undefined, receivedAt: number): number {
  const sentAtMs = parseProtocolTime(sentAt);
  if (sentAtMs === undefined) {
    return 0;
  }

  const drift = receivedAt - sentAtMs;
  return Math.abs(drift) >= MINIMUM_CLOCK_DRIFT_MS ? drift : 0;
}

export const HOUR_MS = 3_600_000;

export function floorToHour(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}
