import { AppError } from '../../platform/errors.js';
import { parseJsonPayload, type JsonPayloadFailure } from './json-payload.js';

/** Envelope header, with unknown keys kept as sent. */
export type EnvelopeHeaders = Record<string, unknown> & {
  event_id?: string;
  dsn?: string;
  sent_at?: string;
};

/** Item header, with unknown keys kept as sent. */
export type EnvelopeItemHeaders = Record<string, unknown> & { type: string; length?: number };

export interface EnvelopeItem {
  headers: EnvelopeItemHeaders;
  /** Payload bytes, a view into the envelope body (not a copy). */
  payload: Buffer;
  /** Position of the item in the envelope, counting from 0. */
  index: number;
}

export interface ParsedEnvelope {
  headers: EnvelopeHeaders;
  /** Items parsed before the first framing error, or all items. */
  items: EnvelopeItem[];
  /**
   * Description of the framing problem that stopped parsing, naming the item index. Undefined
   * when the whole body parsed.
   */
  framingError: string | undefined;
}

type ItemReadResult =
  | { kind: 'item'; item: EnvelopeItem; nextOffset: number }
  | { kind: 'end' }
  | { kind: 'error'; message: string };

const NEWLINE = 0x0a;
const STRING_HEADER_KEYS = ['event_id', 'dsn', 'sent_at'] as const;

const HEADER_JSON_PROBLEMS: Record<JsonPayloadFailure, string> = {
  invalid_utf8: 'is not valid UTF-8',
  invalid_json: 'is not valid JSON',
  too_deep: 'is nested too deeply',
  not_object: 'is not a JSON object',
};

/**
 * Parses a Sentry envelope: a JSON header line, then items that are each a JSON header line and
 * a payload. A payload with `length` is exactly that many bytes, followed by `\n` or the end of
 * the body. A payload without `length` runs to the next `\n` or the end. A `\r` before a `\n`
 * belongs to the payload.
 *
 * Only a bad envelope header throws. A framing problem in an item stops parsing: the items read
 * before it are returned and `framingError` describes the problem.
 *
 * @throws AppError 400 `invalid_envelope` when the body is empty or the envelope header is not
 *   a JSON object.
 */
export function parseEnvelope(body: Buffer): ParsedEnvelope {
  if (body.length === 0) {
    throw invalidEnvelope('Envelope is empty');
  }

  const headerEnd = findLineEnd(body, 0);
  const headers = parseEnvelopeHeaders(body.subarray(0, headerEnd));
  const items: EnvelopeItem[] = [];
  let offset = headerEnd + 1;

  while (offset < body.length) {
    const result = readItem(body, offset, items.length);

    if (result.kind === 'error') {
      return { headers, items, framingError: result.message };
    }
    if (result.kind === 'end') {
      break;
    }

    items.push(result.item);
    offset = result.nextOffset;
  }

  return { headers, items, framingError: undefined };
}

function parseEnvelopeHeaders(line: Buffer): EnvelopeHeaders {
  if (line.length === 0) {
    throw invalidEnvelope('Envelope header is empty: the first line must be a JSON object');
  }

  const parsed = parseJsonPayload(line);
  if (!parsed.ok) {
    throw invalidEnvelope(`Envelope header ${HEADER_JSON_PROBLEMS[parsed.reason]}`);
  }

  const headers = parsed.value as Record<string, unknown>;
  for (const key of STRING_HEADER_KEYS) {
    const value = headers[key];

    // Relay reads these keys as optional values, so null means "not sent".
    if (value === null) {
      Reflect.deleteProperty(headers, key);
    } else if (value !== undefined && typeof value !== 'string') {
      throw invalidEnvelope(`Envelope header "${key}" must be a string, got ${typeof value}`);
    }
  }

  return headers;
}

// JSON whitespace: newline, carriage return, space and tab.
const BLANK_BYTES = new Set([0x0a, 0x0d, 0x20, 0x09]);

function readItem(body: Buffer, start: number, index: number): ItemReadResult {
  // Relay reads each item header as a JSON value, skipping the whitespace before it, so blank
  // lines between items are allowed: sentry-ruby 5.3 ends every item with an extra newline.
  const offset = skipBlankLines(body, start);
  if (offset >= body.length) {
    return { kind: 'end' };
  }
  const headerEnd = findLineEnd(body, offset);

  const headers = parseItemHeaders(body.subarray(offset, headerEnd));
  if (typeof headers === 'string') {
    return framingError(index, headers);
  }

  // The last item header may end the body without a newline, and its payload is then empty.
  const payloadStart = Math.min(headerEnd + 1, body.length);
  let payloadEnd: number;

  if (headers.length === undefined) {
    payloadEnd = findLineEnd(body, payloadStart);
  } else {
    payloadEnd = payloadStart + headers.length;

    if (payloadEnd > body.length) {
      const available = body.length - payloadStart;
      return framingError(
        index,
        `length ${headers.length} exceeds the ${available} bytes left in the envelope`,
      );
    }
    if (payloadEnd < body.length && body[payloadEnd] !== NEWLINE) {
      return framingError(
        index,
        `payload of length ${headers.length} is not followed by a newline`,
      );
    }
  }

  const item = { headers, payload: body.subarray(payloadStart, payloadEnd), index };
  return { kind: 'item', item, nextOffset: payloadEnd + 1 };
}

// Returns the item headers, or a description of what is wrong with them.
function parseItemHeaders(line: Buffer): EnvelopeItemHeaders | string {
  const parsed = parseJsonPayload(line);
  if (!parsed.ok) {
    return `header ${HEADER_JSON_PROBLEMS[parsed.reason]}`;
  }

  const headers = parsed.value as Record<string, unknown>;
  const { type, length } = headers;

  if (typeof type !== 'string' || type === '') {
    return 'header has no "type" string';
  }

  if (length === null) {
    delete headers.length;
  } else if (length !== undefined && !isByteCount(length)) {
    return `header has an invalid "length" ${JSON.stringify(length).slice(0, 40)}`;
  }

  return headers as EnvelopeItemHeaders;
}

function isByteCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function skipBlankLines(body: Buffer, start: number): number {
  let offset = start;
  while (offset < body.length && BLANK_BYTES.has(body[offset] ?? 0)) {
    offset += 1;
  }
  return offset;
}

function findLineEnd(body: Buffer, start: number): number {
  const index = body.indexOf(NEWLINE, start);
  return index === -1 ? body.length : index;
}

function framingError(index: number, problem: string): ItemReadResult {
  return { kind: 'error', message: `Envelope item ${index}: ${problem}` };
}

function invalidEnvelope(message: string): AppError {
  return new AppError(400, 'invalid_envelope', message);
}
