/**
 * A parser of Sentry's search syntax, for the issue and event searches. It returns a flat list
 * of tokens in the shape of Sentry's parser output: `spaces`, `freeText` and `filter` tokens.
 * A filter has a kind (`text`, `textIn`, `has`, `is`, `boolean`, `numeric`, `numericIn`,
 * `duration`, `size`, `date`, `specificDate`, `relativeDate`), a key, an operator and a typed
 * value. A filter that cannot be used carries `invalid: {reason}`. Boolean logic (`AND`, `OR`,
 * parentheses) is not parsed, so those words are free text.
 */
import { BOOLEAN_KEYS, DATE_KEYS, DURATION_KEYS, NUMERIC_KEYS, SIZE_KEYS } from './search-keys.js';

export type FilterKind =
  | 'text'
  | 'textIn'
  | 'has'
  | 'is'
  | 'boolean'
  | 'numeric'
  | 'numericIn'
  | 'duration'
  | 'size'
  | 'date'
  | 'specificDate'
  | 'relativeDate';

export type SearchOperator = '' | '>' | '>=' | '<' | '<=' | '=' | '!=';

export interface TextValue {
  type: 'valueText';
  /** The value as written, without the surrounding quotes but with `\"` escapes kept. */
  value: string;
  quoted: boolean;
  /** `*text*`: the value contains the text between the wildcards. */
  contains: boolean;
  /** `text*`: the value starts with the text. */
  startsWith: boolean;
  /** `*text`: the value ends with the text. */
  endsWith: boolean;
}

export interface TextListItem {
  /** The comma and spaces before the item; empty for the first. */
  separator: string;
  /** The item, or null for an empty item (which makes the filter invalid). */
  value: TextValue | null;
}

export interface TextListValue {
  type: 'valueTextList';
  items: TextListItem[];
}

export interface BooleanValue {
  type: 'valueBoolean';
  value: string;
  parsed: { value: boolean };
}

export interface NumberValue {
  type: 'valueNumber';
  value: string;
  /** `k`, `m` or `b` (thousands, millions, billions), or null. */
  unit: string | null;
  parsed: { value: number };
}

export interface NumberListValue {
  type: 'valueNumberList';
  items: { separator: string; value: NumberValue | null }[];
}

export interface DurationValue {
  type: 'valueDuration';
  value: string;
  unit: string;
  parsed: { value: number; unit: string };
  /** The duration in milliseconds. */
  milliseconds: number;
}

export interface SizeValue {
  type: 'valueSize';
  value: string;
  unit: string;
  /** The size in bytes. */
  parsed: { value: number };
}

export interface DateValue {
  type: 'valueIso8601Date';
  value: string;
  /** Whether the value names a whole day (no time part). */
  dateOnly: boolean;
  /** The instant as an ISO 8601 string in UTC. */
  parsed: { value: string };
}

export interface RelativeDateValue {
  type: 'valueRelativeDate';
  value: string;
  sign: '+' | '-';
  unit: 'w' | 'd' | 'h' | 'm';
  /** The current time moved by the amount in the direction of the sign, as ISO 8601. */
  parsed: { value: string };
  /** The amount in milliseconds. */
  milliseconds: number;
}

export type FilterValue =
  | TextValue
  | TextListValue
  | BooleanValue
  | NumberValue
  | NumberListValue
  | DurationValue
  | SizeValue
  | DateValue
  | RelativeDateValue;

export interface FilterKey {
  /** `keySimple` for `key:`; `keyExplicitTag` for `tags[key]:`, which always names a tag. */
  type: 'keySimple' | 'keyExplicitTag';
  value: string;
  quoted: boolean;
}

export interface FilterToken {
  type: 'filter';
  filter: FilterKind;
  negated: boolean;
  key: FilterKey;
  operator: SearchOperator;
  value: FilterValue;
  invalid?: { reason: string };
  /** The filter as written in the query. */
  text: string;
}

export interface FreeTextToken {
  type: 'freeText';
  value: string;
  quoted: boolean;
  invalid: { reason: string } | null;
}

export interface SpacesToken {
  type: 'spaces';
  value: string;
}

export type SearchToken = FilterToken | FreeTextToken | SpacesToken;

export interface ParseOptions {
  /** The time relative dates count from; the current time by default. */
  now?: Date;
}

/**
 * The maximum query length that the issue and event searches accept. A list that opens at every word makes
 * parsing quadratic in the query length, and this bound keeps that under a few milliseconds.
 */
export const MAX_QUERY_LENGTH = 5_000;

const WHITESPACE = /\s/;
// Sticky patterns, matched at `lastIndex` without copying the rest of the query.
const LIST_SEPARATOR = /\s*,\s*/y;
const EXPLICIT_TAG_KEY = /tags\[([^\]\s,]+)(?:,[a-z]+)?\]/y;
const KEY_CHARS = /[a-zA-Z0-9_.-]/;
const OPERATORS: SearchOperator[] = ['>=', '<=', '!=', '>', '<', '='];
const BOOLEAN_TEXT = /^(true|false|1|0)$/i;
const NUMBER_TEXT = /^(-?\d+(?:\.\d+)?)([kmb])?$/i;
const DURATION_TEXT = /^(\d+(?:\.\d+)?)(ms|s|min|m|hr|h|day|d|wk|w)$/;
const SIZE_TEXT = /^(\d+(?:\.\d+)?)(bit|bytes|nb|kb|mb|gb|tb|pb|eb|zb|yb|kib|mib|gib|tib|pib)$/i;
const RELATIVE_DATE_TEXT = /^([+-])(\d+)([wdhm])$/;
const DATE_TEXT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

const MINUTE_MS = 60_000;
const RELATIVE_UNITS_MS: Record<RelativeDateValue['unit'], number> = {
  m: MINUTE_MS,
  h: 60 * MINUTE_MS,
  d: 24 * 60 * MINUTE_MS,
  w: 7 * 24 * 60 * MINUTE_MS,
};
const DURATION_UNITS_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  min: MINUTE_MS,
  m: MINUTE_MS,
  hr: 60 * MINUTE_MS,
  h: 60 * MINUTE_MS,
  day: 24 * 60 * MINUTE_MS,
  d: 24 * 60 * MINUTE_MS,
  wk: 7 * 24 * 60 * MINUTE_MS,
  w: 7 * 24 * 60 * MINUTE_MS,
};
const NUMBER_SUFFIXES: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9 };
const SIZE_UNITS: Record<string, number> = {
  bit: 1 / 8,
  bytes: 1,
  nb: 1 / 2,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  pb: 1e15,
  eb: 1e18,
  zb: 1e21,
  yb: 1e24,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
  pib: 2 ** 50,
};

/** Parses a search query into Sentry-shaped tokens. A bad filter is marked invalid instead of raising an error. */
export function parseSearch(query: string, options: ParseOptions = {}): SearchToken[] {
  return new SearchParser(query, options.now ?? new Date()).parse();
}

/** Returns the filter tokens of a parsed query. */
export function searchFilters(tokens: SearchToken[]): FilterToken[] {
  return tokens.filter((token): token is FilterToken => token.type === 'filter');
}

/** Returns the free text of a parsed query: its free-text parts joined by single spaces. */
export function searchFreeText(tokens: SearchToken[]): string {
  return tokens
    .filter((token): token is FreeTextToken => token.type === 'freeText')
    .map((token) => token.value.trim())
    .filter((text) => text !== '')
    .join(' ');
}

/** Removes the backslash of each `\"` (and `\\`) escape in a quoted value. */
export function unescapeQuoted(value: string): string {
  return value.replace(/\\(["\\])/g, '$1');
}

/** Builds a text value with Sentry's wildcard flags. */
export function textValue(value: string, quoted: boolean): TextValue {
  const starts = value.startsWith('*');
  const ends = value.endsWith('*');
  const hasText = value.replaceAll('*', '') !== '';
  return {
    type: 'valueText',
    value,
    quoted,
    contains: hasText && starts && ends,
    startsWith: hasText && ends && !starts,
    endsWith: hasText && starts && !ends,
  };
}

class SearchParser {
  readonly #query: string;
  readonly #now: Date;
  /** Positions of list items (after the first) from which no list could be completed. */
  readonly #failedListItems = new Set<number>();
  #pos = 0;

  constructor(query: string, now: Date) {
    this.#query = query;
    this.#now = now;
  }

  parse(): SearchToken[] {
    const tokens: SearchToken[] = [this.#spaces()];
    while (this.#pos < this.#query.length) {
      const filter = this.#filterAt(this.#pos);
      if (filter !== undefined) {
        tokens.push(filter.token);
        this.#pos = filter.end;
      } else if (this.#query[this.#pos] === '"' && this.#quotedEnd(this.#pos) !== undefined) {
        tokens.push(this.#quotedFreeText());
      } else {
        tokens.push(this.#freeText());
      }
      tokens.push(this.#spaces());
    }
    if (tokens.length === 1) {
      tokens.push({ type: 'spaces', value: '' });
    }
    return tokens;
  }

  #spaces(): SpacesToken {
    const start = this.#pos;
    while (this.#pos < this.#query.length && WHITESPACE.test(this.#query[this.#pos] ?? '')) {
      this.#pos += 1;
    }
    return { type: 'spaces', value: this.#query.slice(start, this.#pos) };
  }

  /** Reads words and the whitespace after them until a filter or a quoted phrase starts. */
  #freeText(): FreeTextToken {
    const start = this.#pos;
    do {
      while (this.#pos < this.#query.length && !this.#isSpace(this.#pos)) {
        this.#pos += 1;
      }
      while (this.#pos < this.#query.length && this.#isSpace(this.#pos)) {
        this.#pos += 1;
      }
    } while (
      this.#pos < this.#query.length &&
      this.#query[this.#pos] !== '"' &&
      this.#filterAt(this.#pos) === undefined
    );
    return {
      type: 'freeText',
      value: this.#query.slice(start, this.#pos),
      quoted: false,
      invalid: null,
    };
  }

  #quotedFreeText(): FreeTextToken {
    const end = this.#quotedEnd(this.#pos) ?? this.#query.length;
    const value = this.#query.slice(this.#pos + 1, end - 1);
    this.#pos = end;
    return { type: 'freeText', value, quoted: true, invalid: null };
  }

  #isSpace(index: number): boolean {
    return WHITESPACE.test(this.#query[index] ?? '');
  }

  /** Whether `index` is the end of a value: the end of the query, whitespace or `)`. */
  #isValueEnd(index: number): boolean {
    return index >= this.#query.length || this.#isSpace(index) || this.#query[index] === ')';
  }

  /** Returns the index after the closing quote of the quoted string at `start`. */
  #quotedEnd(start: number): number | undefined {
    let index = start + 1;
    while (index < this.#query.length) {
      const char = this.#query[index];
      if (char === '\\' && index + 1 < this.#query.length) {
        index += 2;
      } else if (char === '"') {
        return index + 1;
      } else {
        index += 1;
      }
    }
    return undefined;
  }

  #readKey(start: number): { key: FilterKey; end: number } | undefined {
    const query = this.#query;
    if (query[start] === '"') {
      const end = query.indexOf('"', start + 1);
      const name = end === -1 ? '' : query.slice(start + 1, end);
      if (!/^[a-zA-Z0-9_.:-]+$/.test(name)) {
        return undefined;
      }
      return { key: { type: 'keySimple', value: name, quoted: true }, end: end + 1 };
    }

    EXPLICIT_TAG_KEY.lastIndex = start;
    const explicit = EXPLICIT_TAG_KEY.exec(query);
    if (explicit?.[1] !== undefined) {
      return {
        key: { type: 'keyExplicitTag', value: explicit[1], quoted: false },
        end: start + explicit[0].length,
      };
    }

    let end = start;
    while (end < query.length && KEY_CHARS.test(query[end] ?? '')) {
      end += 1;
    }
    if (end === start) {
      return undefined;
    }
    return { key: { type: 'keySimple', value: query.slice(start, end), quoted: false }, end };
  }

  /** Tries to read a filter at `start`; returns undefined when the text there is no filter. */
  #filterAt(start: number): { token: FilterToken; end: number } | undefined {
    const negated = this.#query[start] === '!';
    const keyStart = negated ? start + 1 : start;
    const key = this.#readKey(keyStart);
    if (key === undefined || this.#query[key.end] !== ':') {
      return undefined;
    }
    const valueStart = key.end + 1;
    const base = { negated, key: key.key };

    const result = this.#typedFilter(base, valueStart) ?? this.#textFilter(base, valueStart);
    if (result === undefined) {
      return undefined;
    }
    result.token.text = this.#query.slice(start, result.end);
    return result;
  }

  #typedFilter(
    base: { negated: boolean; key: FilterKey },
    valueStart: number,
  ): { token: FilterToken; end: number } | undefined {
    const name = base.key.value;
    if (base.key.type === 'keyExplicitTag') {
      return undefined;
    }
    if (name === 'has' || name === 'is') {
      const value = this.#readTextValue(valueStart);
      if (value === undefined) {
        return undefined;
      }
      return {
        token: this.#token(name, base, '', value.value),
        end: value.end,
      };
    }

    const { operator, end: operatorEnd } = this.#readOperator(valueStart);
    const word = this.#readWord(operatorEnd);
    const keyType = keyTypeOf(name);
    if (keyType === 'text') {
      return undefined;
    }

    if (keyType === 'date') {
      const date = parseDateValue(word.text);
      if (date !== undefined) {
        const kind = operator === '' ? 'specificDate' : 'date';
        return { token: this.#token(kind, base, operator, date), end: word.end };
      }
      const relative = operator === '' ? this.#relativeDate(word.text) : undefined;
      if (relative !== undefined) {
        return { token: this.#token('relativeDate', base, '', relative), end: word.end };
      }
      return this.#invalidText(
        base,
        valueStart,
        `Invalid date format for "${name}": use an ISO 8601 date (2024-01-31 or 2024-01-31T10:00:00Z) or a relative time (-24h, +7d)`,
      );
    }

    if (keyType === 'duration') {
      const duration = parseDurationValue(word.text);
      if (duration !== undefined) {
        return { token: this.#token('duration', base, operator, duration), end: word.end };
      }
      return this.#invalidText(
        base,
        valueStart,
        `Invalid duration for "${name}": use a number and a unit (ms, s, min, h, d, w), e.g. 500ms`,
      );
    }

    if (keyType === 'size') {
      const size = parseSizeValue(word.text);
      if (size !== undefined) {
        return { token: this.#token('size', base, operator, size), end: word.end };
      }
      return this.#invalidText(
        base,
        valueStart,
        `Invalid size for "${name}": use a number and a unit (bytes, kb, mb, gb, kib, mib, gib)`,
      );
    }

    if (keyType === 'numeric') {
      if (operator === '' && this.#query[operatorEnd] === '[') {
        const list = this.#readList(operatorEnd);
        if (list !== undefined) {
          return this.#numericList(base, list);
        }
      }
      const number = parseNumberValue(word.text);
      if (number !== undefined) {
        return { token: this.#token('numeric', base, operator, number), end: word.end };
      }
      return this.#invalidText(
        base,
        valueStart,
        `Invalid number for "${name}": use a number with an optional k, m or b suffix (e.g. 500k)`,
      );
    }

    // A boolean key with a value other than true/false/1/0 is a text filter, as in Sentry.
    if (operator === '' && BOOLEAN_TEXT.test(word.text)) {
      const value: BooleanValue = {
        type: 'valueBoolean',
        value: word.text,
        parsed: { value: /^(true|1)$/i.test(word.text) },
      };
      return { token: this.#token('boolean', base, '', value), end: word.end };
    }
    return undefined;
  }

  #textFilter(
    base: { negated: boolean; key: FilterKey },
    valueStart: number,
  ): { token: FilterToken; end: number } | undefined {
    if (this.#query[valueStart] === '[') {
      const list = this.#readList(valueStart);
      if (list !== undefined) {
        const value: TextListValue = { type: 'valueTextList', items: list.items };
        const token = this.#token('textIn', base, '', value);
        if (list.items.some((item) => item.value === null)) {
          token.invalid = { reason: 'Lists should not have empty values' };
        }
        return { token, end: list.end };
      }
    }
    const value = this.#readTextValue(valueStart);
    if (value === undefined) {
      return undefined;
    }
    return { token: this.#token('text', base, '', value.value), end: value.end };
  }

  #invalidText(
    base: { negated: boolean; key: FilterKey },
    valueStart: number,
    reason: string,
  ): { token: FilterToken; end: number } | undefined {
    const result = this.#textFilter(base, valueStart);
    if (result !== undefined) {
      result.token.invalid = { reason };
    }
    return result;
  }

  #numericList(
    base: { negated: boolean; key: FilterKey },
    list: { items: TextListItem[]; end: number },
  ): { token: FilterToken; end: number } {
    const items = list.items.map((item) => ({
      separator: item.separator,
      value: item.value === null ? null : (parseNumberValue(item.value.value) ?? null),
    }));
    const value: NumberListValue = { type: 'valueNumberList', items };
    const token = this.#token('numericIn', base, '', value);
    if (items.some((item) => item.value === null)) {
      token.invalid = { reason: 'Lists should only contain numbers' };
    }
    return { token, end: list.end };
  }

  #token(
    filter: FilterKind,
    base: { negated: boolean; key: FilterKey },
    operator: SearchOperator,
    value: FilterValue,
  ): FilterToken {
    return {
      type: 'filter',
      filter,
      negated: base.negated,
      key: base.key,
      operator,
      value,
      text: '',
    };
  }

  #readOperator(start: number): { operator: SearchOperator; end: number } {
    for (const operator of OPERATORS) {
      if (this.#query.startsWith(operator, start)) {
        return { operator, end: start + operator.length };
      }
    }
    return { operator: '', end: start };
  }

  /** Reads the unquoted word at `start`, up to whitespace or the end. */
  #readWord(start: number): { text: string; end: number } {
    let end = start;
    while (end < this.#query.length && !this.#isSpace(end)) {
      end += 1;
    }
    return { text: this.#query.slice(start, end), end };
  }

  #readTextValue(start: number): { value: TextValue; end: number } | undefined {
    if (this.#query[start] === '"') {
      const end = this.#quotedEnd(start);
      if (end !== undefined && this.#isValueEnd(end)) {
        return { value: textValue(this.#query.slice(start + 1, end - 1), true), end };
      }
    }
    const word = this.#readWord(start);
    return { value: textValue(word.text, false), end: word.end };
  }

  /**
   * Reads `[a, "b", c]`. An unquoted item runs to a comma or whitespace and may contain `]`
   * unless the `]` ends the value. Returns undefined when the text is no list (then the value
   * is plain text, as `test:[h e]` is).
   */
  #readList(start: number): { items: TextListItem[]; end: number } | undefined {
    const query = this.#query;
    const items: TextListItem[] = [];
    // Positions of the items after the first: how the list goes on from there does not depend
    // on where it started, so a position that failed once fails again.
    const laterItems: number[] = [];
    let pos = start + 1;
    let separator = '';

    for (;;) {
      if (items.length > 0) {
        if (this.#failedListItems.has(pos)) {
          this.#markFailed(laterItems);
          return undefined;
        }
        laterItems.push(pos);
      }
      const item = this.#readListItem(pos);
      if (item === undefined && items.length === 0) {
        return undefined;
      }
      items.push({ separator, value: item?.value ?? null });
      pos = item?.end ?? pos;

      if (query[pos] === ']' && this.#isValueEnd(pos + 1)) {
        return { items, end: pos + 1 };
      }
      LIST_SEPARATOR.lastIndex = pos;
      const next = LIST_SEPARATOR.exec(query);
      if (next === null) {
        this.#markFailed(laterItems);
        return undefined;
      }
      separator = next[0];
      pos += next[0].length;
    }
  }

  #markFailed(positions: number[]): void {
    for (const position of positions) {
      this.#failedListItems.add(position);
    }
  }

  #readListItem(start: number): { value: TextValue; end: number } | undefined {
    const query = this.#query;
    if (query[start] === '"') {
      const end = this.#quotedEnd(start);
      if (end === undefined) {
        return undefined;
      }
      return { value: textValue(query.slice(start + 1, end - 1), true), end };
    }
    let end = start;
    while (end < query.length) {
      const char = query[end] ?? '';
      if (WHITESPACE.test(char) || char === ',' || (char === ']' && this.#isValueEnd(end + 1))) {
        break;
      }
      end += 1;
    }
    if (end === start) {
      return undefined;
    }
    return { value: textValue(query.slice(start, end), false), end };
  }

  #relativeDate(text: string): RelativeDateValue | undefined {
    const match = RELATIVE_DATE_TEXT.exec(text);
    if (match === null) {
      return undefined;
    }
    const sign = match[1] as '+' | '-';
    const unit = match[3] as RelativeDateValue['unit'];
    const milliseconds = Number(match[2]) * RELATIVE_UNITS_MS[unit];
    const moved = this.#now.getTime() + (sign === '+' ? milliseconds : -milliseconds);
    if (Number.isNaN(new Date(moved).getTime())) {
      // Beyond the range of a JavaScript date (about 270,000 years from 1970).
      return undefined;
    }
    return {
      type: 'valueRelativeDate',
      value: match[2] ?? '',
      sign,
      unit,
      parsed: { value: new Date(moved).toISOString() },
      milliseconds,
    };
  }
}

type KeyType = 'text' | 'boolean' | 'numeric' | 'duration' | 'size' | 'date';

function keyTypeOf(name: string): KeyType {
  if (DATE_KEYS.has(name)) {
    return 'date';
  }
  if (DURATION_KEYS.has(name)) {
    return 'duration';
  }
  if (SIZE_KEYS.has(name)) {
    return 'size';
  }
  if (NUMERIC_KEYS.has(name)) {
    return 'numeric';
  }
  if (BOOLEAN_KEYS.has(name)) {
    return 'boolean';
  }
  return 'text';
}

function parseNumberValue(text: string): NumberValue | undefined {
  const match = NUMBER_TEXT.exec(text);
  if (match === null) {
    return undefined;
  }
  const suffix = match[2]?.toLowerCase();
  const multiplier = suffix === undefined ? 1 : (NUMBER_SUFFIXES[suffix] ?? 1);
  return {
    type: 'valueNumber',
    value: match[1] ?? '',
    unit: suffix ?? null,
    parsed: { value: Number(match[1]) * multiplier },
  };
}

function parseDurationValue(text: string): DurationValue | undefined {
  const match = DURATION_TEXT.exec(text);
  if (match?.[1] === undefined || match[2] === undefined) {
    return undefined;
  }
  const value = Number(match[1]);
  return {
    type: 'valueDuration',
    value: match[1],
    unit: match[2],
    parsed: { value, unit: match[2] },
    milliseconds: value * (DURATION_UNITS_MS[match[2]] ?? 1),
  };
}

function parseSizeValue(text: string): SizeValue | undefined {
  const match = SIZE_TEXT.exec(text);
  if (match?.[1] === undefined || match[2] === undefined) {
    return undefined;
  }
  return {
    type: 'valueSize',
    value: match[1],
    unit: match[2],
    parsed: { value: Number(match[1]) * (SIZE_UNITS[match[2].toLowerCase()] ?? 1) },
  };
}

/** Parses an ISO 8601 date or date-time; a time without a zone is UTC, as in Sentry. */
export function parseDateValue(text: string): DateValue | undefined {
  const match = DATE_TEXT.exec(text);
  if (match === null) {
    return undefined;
  }
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const time =
    hour === undefined
      ? 'T00:00:00'
      : `T${hour}:${minute}:${second ?? '00'}${fraction === undefined ? '' : `.${fraction.slice(0, 3)}`}`;
  let offset = zone ?? 'Z';
  if (/^[+-]\d{4}$/.test(offset)) {
    offset = `${offset.slice(0, 3)}:${offset.slice(3)}`;
  }
  // Date() rolls a day past the month's end over into the next month: 2024-02-30 is rejected.
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > daysInMonth) {
    return undefined;
  }
  const date = new Date(`${year}-${month}-${day}${time}${offset}`);
  if (Number.isNaN(date.getTime())) {
    return undefined;
  }
  return {
    type: 'valueIso8601Date',
    value: text,
    dateOnly: hour === undefined,
    parsed: { value: date.toISOString() },
  };
}
