/**
 * PII selectors in Relay's syntax (`relay-pii/src/selector.pest`): paths such as
 * `$frame.vars.**`, `$http.headers.x-custom` or `extra.'my key'`, combined with `||`, `&&` and
 * `!` and grouped with parentheses. A path matches the end of a value's path, so `extra.foo`
 * matches `extra.foo` at any depth.
 */

/** Value types a `$type` path item can name; `$http`, `$error` and `$message` are aliases. */
export const VALUE_TYPES = [
  'string',
  'number',
  'boolean',
  'datetime',
  'array',
  'object',
  'event',
  'attachments',
  'exception',
  'stacktrace',
  'frame',
  'request',
  'user',
  'logentry',
  'thread',
  'breadcrumb',
  'span',
  'sdk',
  'minidump',
  'replay',
  'log',
] as const;

export type ValueType = (typeof VALUE_TYPES)[number];

const TYPE_ALIASES: Record<string, ValueType> = {
  bool: 'boolean',
  list: 'array',
  http: 'request',
  error: 'exception',
  message: 'logentry',
  binary: 'string',
};

/** Basic value types, which cannot be part of a specific path in a `maybe` PII field. */
const BASIC_TYPES = new Set<ValueType>([
  'string',
  'number',
  'boolean',
  'datetime',
  'array',
  'object',
]);

export type PathItem =
  | { kind: 'type'; type: ValueType }
  | { kind: 'index'; index: number }
  | { kind: 'key'; key: string; lowerKey: string }
  | { kind: 'wildcard' }
  | { kind: 'deep-wildcard' };

export type Selector =
  | { kind: 'and'; selectors: Selector[] }
  | { kind: 'or'; selectors: Selector[] }
  | { kind: 'not'; selector: Selector }
  | { kind: 'path'; items: PathItem[] };

/** Whether a field may be scrubbed: `maybe` fields only match specific paths. */
export type PiiLevel = 'true' | 'maybe' | 'false';

/** One level of a value's path: the key or index that entered it, and its value types. */
export interface PathState {
  key: string | undefined;
  /** `key` in lower case, computed once because every selector compares it. */
  lowerKey: string | undefined;
  index: number | undefined;
  types: ReadonlySet<ValueType>;
}

export class SelectorError extends Error {
  override name = 'SelectorError';
}

/** Parses a selector, throwing `SelectorError` with the position of a syntax error. */
export function parseSelector(text: string): Selector {
  const parser = new SelectorParser(text);
  const selector = parser.parseOr();
  parser.skipSpaces();
  if (!parser.atEnd()) {
    throw new SelectorError(
      `unexpected ${JSON.stringify(parser.rest())} at position ${parser.position}`,
    );
  }
  return selector;
}

function onlyOrAll(selectors: Selector[], kind: 'and' | 'or'): Selector {
  const [first] = selectors;
  return selectors.length === 1 && first !== undefined ? first : { kind, selectors };
}

class SelectorParser {
  readonly #text: string;
  position = 0;

  constructor(text: string) {
    this.#text = text;
  }

  atEnd(): boolean {
    return this.position >= this.#text.length;
  }

  rest(): string {
    return this.#text.slice(this.position, this.position + 20);
  }

  skipSpaces(): void {
    while (this.#text[this.position] === ' ') {
      this.position += 1;
    }
  }

  #eat(token: string): boolean {
    this.skipSpaces();
    if (this.#text.startsWith(token, this.position)) {
      this.position += token.length;
      return true;
    }
    return false;
  }

  parseOr(): Selector {
    const selectors = [this.#parseAnd()];
    while (this.#eat('||') || this.#eat('|')) {
      selectors.push(this.#parseAnd());
    }
    return onlyOrAll(selectors, 'or');
  }

  #parseAnd(): Selector {
    const selectors = [this.#parseMaybeNot()];
    while (this.#eat('&&') || this.#eat('&')) {
      selectors.push(this.#parseMaybeNot());
    }
    return onlyOrAll(selectors, 'and');
  }

  #parseMaybeNot(): Selector {
    if (this.#eat('!') || this.#eat('~')) {
      return { kind: 'not', selector: this.#parseParenthesisOrPath() };
    }
    return this.#parseParenthesisOrPath();
  }

  #parseParenthesisOrPath(): Selector {
    if (this.#eat('(')) {
      const inner = this.parseOr();
      if (!this.#eat(')')) {
        throw new SelectorError(`missing ")" at position ${this.position}`);
      }
      return inner;
    }
    return this.#parsePath();
  }

  #parsePath(): Selector {
    const items = [this.#parsePathItem()];
    while (this.#text[this.position] === '.') {
      this.position += 1;
      items.push(this.#parsePathItem());
    }
    if (items.filter((item) => item.kind === 'deep-wildcard').length > 1) {
      throw new SelectorError('a selector may use the deep wildcard ** only once');
    }
    if (items.length === 1 && items[0]?.kind === 'wildcard') {
      throw new SelectorError('the wildcard * must be part of a longer path');
    }
    return { kind: 'path', items };
  }

  #parsePathItem(): PathItem {
    this.skipSpaces();
    const text = this.#text;
    const start = this.position;

    if (text.startsWith('**', start)) {
      this.position += 2;
      return { kind: 'deep-wildcard' };
    }
    if (text[start] === '*') {
      this.position += 1;
      return { kind: 'wildcard' };
    }
    if (text[start] === '$') {
      const name = /^[a-z_]+/.exec(text.slice(start + 1))?.[0] ?? '';
      const type = TYPE_ALIASES[name] ?? VALUE_TYPES.find((candidate) => candidate === name);
      if (type === undefined) {
        throw new SelectorError(`unknown value type "$${name}" at position ${start}`);
      }
      this.position += 1 + name.length;
      return { kind: 'type', type };
    }
    if (text[start] === "'") {
      const quoted = this.#parseQuotedKey();
      return { kind: 'key', key: quoted, lowerKey: quoted.toLowerCase() };
    }
    const digits = /^[0-9]+/.exec(text.slice(start))?.[0];
    if (digits !== undefined) {
      this.position += digits.length;
      return { kind: 'index', index: Number(digits) };
    }
    const key = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(start))?.[0];
    if (key === undefined) {
      throw new SelectorError(`expected a path item at position ${start}`);
    }
    this.position += key.length;
    return { kind: 'key', key, lowerKey: key.toLowerCase() };
  }

  #parseQuotedKey(): string {
    const text = this.#text;
    let key = '';
    let index = this.position + 1;

    for (;;) {
      if (index >= text.length) {
        throw new SelectorError(`unterminated quoted key at position ${this.position}`);
      }
      if (text[index] === "'") {
        if (text[index + 1] === "'") {
          key += "'";
          index += 2;
          continue;
        }
        break;
      }
      key += text.charAt(index);
      index += 1;
    }
    if (key === '') {
      throw new SelectorError(`empty quoted key at position ${this.position}`);
    }
    this.position = index + 1;
    return key;
  }
}

function itemMatches(item: PathItem, pii: PiiLevel, position: number, state: PathState): boolean {
  switch (item.kind) {
    case 'wildcard':
      return true;
    case 'deep-wildcard':
      return pii === 'true';
    case 'type':
      if (!state.types.has(item.type)) {
        return false;
      }
      return pii === 'true' || (!BASIC_TYPES.has(item.type) && position === 0);
    case 'index':
      return state.index === item.index;
    case 'key':
      return state.lowerKey === item.lowerKey;
  }
}

/**
 * Returns whether `selector` matches the value at `path` (root first, leaf last) whose field
 * has PII level `pii`. Fields with level `false` never match. The walk follows Relay's
 * `SelectorSpec::matches_path`: the items after `**` match the end of the path, the items
 * before it match a run of levels above.
 */
export function matchesPath(
  selector: Selector,
  path: readonly PathState[],
  pii: PiiLevel,
): boolean {
  if (pii === 'false') {
    return false;
  }

  switch (selector.kind) {
    case 'and':
      return selector.selectors.every((inner) => matchesPath(inner, path, pii));
    case 'or':
      return orCandidates(selector, path).some((inner) => matchesPath(inner, path, pii));
    case 'not':
      return !matchesPath(selector.selector, path, pii);
    case 'path':
      return pathMatches(selector.items, path, pii);
  }
}

interface OrIndex {
  /** Paths that end in a key, by that key in lower case. */
  byLastKey: Map<string, Selector[]>;
  /** Every other alternative, checked for every value. */
  rest: Selector[];
}

const orIndexes = new WeakMap<Selector, OrIndex>();

/**
 * Returns the alternatives of an `||` selector that can match a value with the path's last key.
 * The default config has `||` selectors of about 40 paths that each end in a key, so looking
 * them up by the value's key avoids testing every path on every value.
 */
function orCandidates(selector: Selector & { kind: 'or' }, path: readonly PathState[]): Selector[] {
  let index = orIndexes.get(selector);
  if (index === undefined) {
    index = { byLastKey: new Map(), rest: [] };
    for (const inner of selector.selectors) {
      const last = inner.kind === 'path' ? inner.items.at(-1) : undefined;
      if (last?.kind === 'key') {
        const list = index.byLastKey.get(last.lowerKey) ?? [];
        list.push(inner);
        index.byLastKey.set(last.lowerKey, list);
      } else {
        index.rest.push(inner);
      }
    }
    orIndexes.set(selector, index);
  }
  const leafKey = path.at(-1)?.lowerKey;
  const keyed = leafKey === undefined ? undefined : index.byLastKey.get(leafKey);
  return keyed === undefined ? index.rest : [...keyed, ...index.rest];
}

function pathMatches(
  items: readonly PathItem[],
  path: readonly PathState[],
  pii: PiiLevel,
): boolean {
  if (items.length > path.length) {
    return false;
  }

  // Walk from the leaf up, matching the selector from its last item.
  let itemIndex = items.length - 1;
  let stateIndex = path.length - 1;
  let deepMatch = false;
  while (itemIndex >= 0 && stateIndex >= 0) {
    const item = items[itemIndex];
    const state = path[stateIndex];
    if (item === undefined || state === undefined || !itemMatches(item, pii, itemIndex, state)) {
      return false;
    }
    itemIndex -= 1;
    stateIndex -= 1;
    if (item.kind === 'deep-wildcard') {
      deepMatch = true;
      break;
    }
  }
  if (!deepMatch) {
    return true;
  }

  // The items before `**` must match a run of levels above the ones matched so far, starting
  // at the first level (from the root) that matches the first item.
  if (itemIndex < 0) {
    return stateIndex >= 0;
  }
  const first = items[0];
  const start = path.findIndex(
    (state, index) =>
      index <= stateIndex && first !== undefined && itemMatches(first, pii, 0, state),
  );
  if (start < 0) {
    return false;
  }
  for (let offset = 1; offset <= itemIndex; offset += 1) {
    const item = items[offset];
    const state = path[start + offset];
    if (start + offset > stateIndex || item === undefined || state === undefined) {
      return false;
    }
    if (!itemMatches(item, pii, offset, state)) {
      return false;
    }
  }
  return true;
}

/** Builds a path state, with the lower-case key that matching compares. */
export function pathState(
  key: string | undefined,
  index: number | undefined,
  types: ReadonlySet<ValueType>,
): PathState {
  return { key, lowerKey: key?.toLowerCase(), index, types };
}
