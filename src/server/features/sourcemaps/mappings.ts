/**
 * Decoding and searching of a source map's `mappings` string, validated as ECMA-426 requires
 * (https://tc39.es/ecma426/#sec-mappings). Segments are stored flat, five 32-bit fields each,
 * because a large bundle's map has millions of them and one array per segment would cost
 * several times the memory.
 */

/** Fields per segment in `DecodedMappings.segments`. */
export const SEGMENT_FIELDS = 5;

/** Field offsets inside a segment. Missing fields hold -1. */
export const GENERATED_COLUMN = 0;
export const SOURCE_INDEX = 1;
export const ORIGINAL_LINE = 2;
export const ORIGINAL_COLUMN = 3;
export const NAME_INDEX = 4;

/** The largest value a mapping field may take: ECMA-426 limits fields to 32-bit signed integers. */
const MAX_FIELD_VALUE = 2 ** 31 - 1;

/** Decoded segments, 0-based, sorted by generated column within each generated line. */
export interface DecodedMappings {
  /** Segments of generated line `i` are the indexes `lineStarts[i]` to `lineStarts[i + 1] - 1`. */
  lineStarts: Uint32Array;
  /** `SEGMENT_FIELDS` values per segment, in the order of the field offsets above. */
  segments: Int32Array;
}

/** Thrown for a `mappings` string that breaks ECMA-426; the message names the place. */
export class InvalidMappingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidMappingsError';
  }
}

/** Base64 digit values by character code, -1 for characters outside the alphabet. */
const BASE64_VALUES = new Int8Array(128).fill(-1);
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
for (let index = 0; index < BASE64_ALPHABET.length; index += 1) {
  BASE64_VALUES[BASE64_ALPHABET.charCodeAt(index)] = index;
}

const COMMA = 44;
const SEMICOLON = 59;

/** Growable buffer of segment fields. */
class SegmentBuffer {
  data: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.data = new Int32Array(Math.max(capacity, 1) * SEGMENT_FIELDS);
  }

  push(column: number, source: number, line: number, originalColumn: number, name: number): void {
    if (this.length + SEGMENT_FIELDS > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }

    const data = this.data;
    const at = this.length;
    data[at] = column;
    data[at + 1] = source;
    data[at + 2] = line;
    data[at + 3] = originalColumn;
    data[at + 4] = name;
    this.length = at + SEGMENT_FIELDS;
  }
}

/**
 * Decodes and validates a `mappings` string. Source and name indexes are checked against the
 * lengths of `sources` and `names`.
 * @throws InvalidMappingsError on a character outside Base64 and the separators, an unfinished
 * VLQ, a segment without 1, 4 or 5 fields, a value past 32 bits, a negative absolute value, or
 * an index out of bounds.
 */
export function decodeMappings(
  mappings: string,
  sourceCount: number,
  nameCount: number,
): DecodedMappings {
  const buffer = new SegmentBuffer(countSeparators(mappings) + 1);
  const lineStarts: number[] = [0];
  const fields = [0, 0, 0, 0, 0];
  let source = 0;
  let originalLine = 0;
  let originalColumn = 0;
  let name = 0;
  let column = 0;
  let lineSorted = true;
  let fieldCount = 0;
  let segmentExpected = false;
  let position = 0;
  const end = mappings.length;

  const fail = (reason: string): never => {
    throw new InvalidMappingsError(
      `invalid mappings at generated line ${lineStarts.length - 1}, character ${position}: ${reason}`,
    );
  };

  const finishSegment = (): void => {
    if (fieldCount !== 1 && fieldCount !== 4 && fieldCount !== 5) {
      fail(`a segment has ${fieldCount} fields, but 1, 4 or 5 are allowed`);
    }

    const previousColumn = column;
    column += fields[0] ?? 0;
    if (column < 0 || column > MAX_FIELD_VALUE) {
      fail(`the generated column ${column} is out of range`);
    }

    if (buffer.length > (lineStarts.at(-1) ?? 0) * SEGMENT_FIELDS && column < previousColumn) {
      lineSorted = false;
    }

    if (fieldCount === 1) {
      buffer.push(column, -1, -1, -1, -1);
      fieldCount = 0;
      return;
    }

    source += fields[1] ?? 0;
    originalLine += fields[2] ?? 0;
    originalColumn += fields[3] ?? 0;
    if (source < 0 || source >= sourceCount) {
      fail(`the source index ${source} is outside the ${sourceCount} sources`);
    }
    if (originalLine < 0 || originalLine > MAX_FIELD_VALUE) {
      fail(`the original line ${originalLine} is out of range`);
    }
    if (originalColumn < 0 || originalColumn > MAX_FIELD_VALUE) {
      fail(`the original column ${originalColumn} is out of range`);
    }

    let segmentName = -1;
    if (fieldCount === 5) {
      name += fields[4] ?? 0;
      if (name < 0 || name >= nameCount) {
        fail(`the name index ${name} is outside the ${nameCount} names`);
      }
      segmentName = name;
    }

    buffer.push(column, source, originalLine, originalColumn, segmentName);
    fieldCount = 0;
  };

  const finishLine = (): void => {
    if (!lineSorted) {
      sortLine(buffer.data, (lineStarts.at(-1) ?? 0) * SEGMENT_FIELDS, buffer.length);
    }

    lineStarts.push(buffer.length / SEGMENT_FIELDS);
    column = 0;
    lineSorted = true;
  };

  while (position < end) {
    const code = mappings.charCodeAt(position);

    if (code === COMMA) {
      finishSegment();
      segmentExpected = true;
      position += 1;
      continue;
    }

    if (code === SEMICOLON) {
      if (fieldCount > 0 || segmentExpected) {
        finishSegment();
      }
      finishLine();
      segmentExpected = false;
      position += 1;
      continue;
    }

    segmentExpected = false;

    if (fieldCount === 5) {
      fail('a segment has more than 5 fields');
    }

    // One VLQ value has 5 data bits per digit, least significant first. Bit 5 marks that another
    // digit follows, and bit 0 of the first digit is the sign. Digits past 32 bits are allowed
    // as long as they add nothing, so only the value is checked.
    let value = 0;
    let shift = 0;
    let digit: number;
    do {
      if (position >= end) {
        fail('the last value is unfinished (its final digit has the continuation bit)');
      }
      const charCode = mappings.charCodeAt(position);
      digit = charCode < 128 ? (BASE64_VALUES[charCode] ?? -1) : -1;
      if (digit === -1) {
        fail(`${JSON.stringify(mappings[position])} is not a Base64 digit or separator`);
      }
      const data = digit & 31;
      if (shift < 26) {
        value += data << shift;
      } else if (data !== 0) {
        value += data * 2 ** shift;
      }
      shift += 5;
      position += 1;
    } while ((digit & 32) !== 0);

    const magnitude = Math.floor(value / 2);
    if (magnitude > MAX_FIELD_VALUE) {
      fail(`the value ${magnitude} does not fit in 32 bits`);
    }
    fields[fieldCount] = value % 2 === 1 ? -magnitude : magnitude;
    fieldCount += 1;
  }

  if (fieldCount > 0 || segmentExpected) {
    finishSegment();
  }
  finishLine();

  return {
    lineStarts: Uint32Array.from(lineStarts),
    segments:
      buffer.length === buffer.data.length ? buffer.data : buffer.data.slice(0, buffer.length),
  };
}

/**
 * Counts commas and semicolons, one more than which is the most segments the mappings can have,
 * so that the buffer is allocated once at about its final size.
 */
function countSeparators(mappings: string): number {
  let count = 0;
  for (let index = 0; index < mappings.length; index += 1) {
    const code = mappings.charCodeAt(index);
    if (code === COMMA || code === SEMICOLON) {
      count += 1;
    }
  }
  return count;
}

/** Sorts the segments between two field offsets by generated column, keeping equal ones in order. */
function sortLine(data: Int32Array, from: number, to: number): void {
  const rows: number[][] = [];
  for (let at = from; at < to; at += SEGMENT_FIELDS) {
    rows.push(Array.from(data.subarray(at, at + SEGMENT_FIELDS)));
  }

  rows.sort((left, right) => (left[0] ?? 0) - (right[0] ?? 0));
  rows.forEach((row, index) => {
    data.set(row, from + index * SEGMENT_FIELDS);
  });
}

/** Number of generated lines the mappings have, including empty ones. */
export function countLines(mappings: DecodedMappings): number {
  return mappings.lineStarts.length - 1;
}

/**
 * Finds the segment for a 0-based generated position on its line. With `greatest-lower-bound`
 * that is the last segment at or before the column, and with `least-upper-bound` the first at
 * or after it. Among segments with the same column the first wins. Returns -1 for none.
 */
export function findSegment(
  mappings: DecodedMappings,
  line: number,
  column: number,
  bias: 'greatest-lower-bound' | 'least-upper-bound',
): number {
  const first = mappings.lineStarts[line];
  const last = mappings.lineStarts[line + 1];
  if (first === undefined || last === undefined || first === last) {
    return -1;
  }

  const segments = mappings.segments;
  let low = first;
  let high = last;

  // `low` ends at the first segment whose column is greater than the requested one.
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((segments[middle * SEGMENT_FIELDS] ?? 0) <= column) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }

  let found: number;
  if (bias === 'greatest-lower-bound') {
    found = low - 1;
    if (found < first) {
      return -1;
    }
  } else {
    found = low > first && segments[(low - 1) * SEGMENT_FIELDS] === column ? low - 1 : low;
    if (found >= last) {
      return -1;
    }
  }

  const foundColumn = segments[found * SEGMENT_FIELDS];
  while (found > first && segments[(found - 1) * SEGMENT_FIELDS] === foundColumn) {
    found -= 1;
  }

  return found;
}
