const DEFAULT_MAX_DEPTH = 64;
const MAX_SYNTAX_ERROR_LENGTH = 200;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

const SIMPLE_UUID = /^[0-9a-f]{32}$/i;
const HYPHENATED_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// `fatal` makes decode() throw on invalid UTF-8 instead of inserting U+FFFD.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export type JsonPayloadFailure = 'invalid_utf8' | 'invalid_json' | 'too_deep' | 'not_object';

export type JsonPayloadResult =
  | {
      ok: true;
      value: unknown;
      /** The decoded text without a leading byte order mark, safe to embed in other JSON. */
      text: string;
    }
  | { ok: false; reason: JsonPayloadFailure; message: string };

export interface ParseJsonPayloadOptions {
  /** Maximum nesting of arrays and objects, counting the top-level object as 1. Default 64. */
  maxDepth?: number;
  /** Whether a top-level array is accepted as well as an object. Default false. */
  allowArray?: boolean;
}

/**
 * Decodes a payload as strict UTF-8 and parses it as a JSON object. Never throws: failures are
 * returned with a reason and a message. Nesting depth is checked by a scan over the text before
 * `JSON.parse`, so a deeply nested payload is rejected without recursion.
 */
export function parseJsonPayload(
  payload: Buffer,
  options: ParseJsonPayloadOptions = {},
): JsonPayloadResult {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  let text: string;

  try {
    text = utf8Decoder.decode(payload);
  } catch {
    return { ok: false, reason: 'invalid_utf8', message: 'Payload is not valid UTF-8' };
  }

  if (exceedsDepth(text, maxDepth)) {
    return {
      ok: false,
      reason: 'too_deep',
      message: `Payload nests arrays and objects more than ${maxDepth} levels deep`,
    };
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      reason: 'invalid_json',
      message: `Payload is not valid JSON: ${detail.slice(0, MAX_SYNTAX_ERROR_LENGTH)}`,
    };
  }

  const allowArray = options.allowArray === true;
  const isAccepted =
    typeof value === 'object' && value !== null && (allowArray || !Array.isArray(value));
  if (!isAccepted) {
    const expected = allowArray ? 'an object or an array' : 'an object';
    return {
      ok: false,
      reason: 'not_object',
      message: `Payload is a JSON ${describeJsonType(value)}, expected ${expected}`,
    };
  }

  return { ok: true, value, text };
}

/**
 * Normalizes an event id given as 32 hex digits or as a hyphenated UUID to 32 lowercase hex
 * digits. Returns undefined for anything else.
 */
export function normalizeEventId(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  if (SIMPLE_UUID.test(value)) {
    return value.toLowerCase();
  }
  if (HYPHENATED_UUID.test(value)) {
    return value.replaceAll('-', '').toLowerCase();
  }
  return undefined;
}

// Counts brackets outside string literals. Unbalanced input is left for JSON.parse to reject.
function exceedsDepth(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;

  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);

    if (inString) {
      if (code === BACKSLASH) {
        index++;
      } else if (code === QUOTE) {
        inString = false;
      }
      continue;
    }

    if (code === QUOTE) {
      inString = true;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth++;
      if (depth > maxDepth) {
        return true;
      }
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--;
    }
  }

  return false;
}

function describeJsonType(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  return Array.isArray(value) ? 'array' : typeof value;
}
