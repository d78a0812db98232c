/**
 * The fields of an event that inbound filters read, taken from either a normalized event or a
 * raw payload (a transaction as the SDK sent it). Malformed fields read as missing.
 */
export interface FilterableEvent {
  type: string | undefined;
  transaction: string | undefined;
  release: string | undefined;
  /** `logentry.formatted`, else `logentry.message`. */
  message: string | undefined;
  exceptions: { type: string; value: string }[];
  /** `abs_path` of the first exception's frames, innermost (last) first. */
  firstExceptionPaths: (string | undefined)[];
  /** `value` of the first exception. */
  firstExceptionValue: string | undefined;
  userIp: string | undefined;
  url: string | undefined;
  headers: [string, string][];
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Reads a value that Sentry's protocol allows as a bare list or as `{values: [...]}`. */
function readValues(value: unknown): unknown[] {
  if (Array.isArray(value)) {
    return value;
  }
  const values = asRecord(value)?.values;
  return Array.isArray(values) ? values : [];
}

function readMessage(event: Record<string, unknown>): string | undefined {
  // Normalized events keep the log entry under `message`; raw payloads send `logentry`, or a
  // plain string as `message`.
  const entry = asRecord(event.logentry) ?? asRecord(event.message);
  if (entry !== undefined) {
    return asString(entry.formatted) ?? asString(entry.message);
  }
  return asString(event.message);
}

function readHeaders(request: Record<string, unknown> | undefined): [string, string][] {
  const headers = request?.headers;

  if (Array.isArray(headers)) {
    return headers.flatMap((pair: unknown): [string, string][] => {
      if (!Array.isArray(pair)) {
        return [];
      }
      const [name, value] = pair as unknown[];
      return typeof name === 'string' && typeof value === 'string' ? [[name, value]] : [];
    });
  }

  const record = asRecord(headers);
  if (record === undefined) {
    return [];
  }
  return Object.entries(record).flatMap(([name, value]): [string, string][] =>
    typeof value === 'string' ? [[name, value]] : [],
  );
}

function readFramePaths(exception: Record<string, unknown> | undefined): (string | undefined)[] {
  const stacktrace = asRecord(exception?.stacktrace);
  const frames = stacktrace?.frames;
  if (!Array.isArray(frames)) {
    return [];
  }
  return frames.map((frame: unknown) => asString(asRecord(frame)?.abs_path)).reverse();
}

export function readFilterableEvent(raw: unknown): FilterableEvent {
  const event = asRecord(raw) ?? {};
  const request = asRecord(event.request);
  const exceptionRecords = readValues(event.exception).map(asRecord);
  const firstException = exceptionRecords[0];

  return {
    type: asString(event.type),
    transaction: asString(event.transaction),
    release: asString(event.release),
    message: readMessage(event),
    exceptions: exceptionRecords.map((exception) => ({
      type: asString(exception?.type) ?? '',
      value: asString(exception?.value) ?? '',
    })),
    firstExceptionPaths: readFramePaths(firstException),
    firstExceptionValue: asString(firstException?.value),
    userIp: asString(asRecord(event.user)?.ip_address),
    url: asString(request?.url),
    headers: readHeaders(request),
  };
}

/** Returns the first header of that name, compared without regard to ASCII case. */
export function findHeader(event: FilterableEvent, name: string): string | undefined {
  const lowerName = name.toLowerCase();
  return event.headers.find(([key]) => key.toLowerCase() === lowerName)?.[1];
}
