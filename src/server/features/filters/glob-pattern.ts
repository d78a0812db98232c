/**
 * Glob patterns as Relay matches inbound-filter lists (error messages, releases, transaction
 * names). `*` matches any run of characters including none (line breaks too), and `?` matches
 * one character. `[abc]`, `[a-z]` and `[!a-z]` match one character of or outside a set, `{a,b}`
 * matches one of the alternatives, and `\` makes the next character literal. Matching ignores
 * case and covers the whole text. An empty pattern and an empty text never match.
 *
 * Patterns are compiled to token lists, not regular expressions, so matching stays
 * O(text × pattern) whatever the pattern: a project's pattern runs against every event's text.
 * Patterns are capped in length and expanded size, and each match draws on a {@link MatchBudget}
 * of steps, so one event costs at most {@link MAX_MATCH_STEPS} steps however long its text is.
 */

type Token =
  | { kind: 'literal'; char: string }
  | { kind: 'any' }
  | { kind: 'star' }
  | { kind: 'class'; negated: boolean; ranges: [number, number][] };

/** A pattern is a sequence of parts. An alternation part has several sequences. */
type Part = Token | { kind: 'alternation'; options: Token[][] };

/** Maximum characters of one pattern. */
export const MAX_PATTERN_CHARS = 256;

/** Alternations multiply: `{a,b}{c,d}` has 4 variants. More than this rejects the pattern. */
const MAX_VARIANTS = 256;

/**
 * Maximum tokens of a pattern's variants together (variants × their length). A match costs up
 * to this many steps per character of the text.
 */
export const MAX_PATTERN_TOKENS = 2_048;

/**
 * Matching steps of one {@link MatchBudget}: the work one event may spend on a project's
 * patterns. A step compares one token with one character of the text.
 */
export const MAX_MATCH_STEPS = 1_000_000;

/**
 * Steps left for matching. When they run out, the remaining patterns count as not matching, so
 * the event is kept rather than stalling the worker.
 * NOTE: a long text against many heavy patterns can therefore miss a pattern that would match.
 */
export class MatchBudget {
  #remaining: number;
  readonly #total: number;

  constructor(steps = MAX_MATCH_STEPS) {
    this.#remaining = steps;
    this.#total = steps;
  }

  get isExhausted(): boolean {
    return this.#remaining <= 0;
  }

  /** Steps taken so far. */
  get used(): number {
    return this.#total - Math.max(this.#remaining, 0);
  }

  get remaining(): number {
    return this.#remaining;
  }

  spend(steps: number): void {
    this.#remaining -= steps;
  }
}

class PatternSyntaxError extends Error {}

function fold(char: string): string {
  return char.toLowerCase();
}

class PatternParser {
  readonly #chars: string[];
  #index = 0;

  constructor(source: string) {
    this.#chars = Array.from(source);
  }

  parse(): Part[] {
    const parts: Part[] = [];

    while (this.#index < this.#chars.length) {
      const char = this.#chars[this.#index] as string;

      if (char === '{') {
        this.#index += 1;
        parts.push({ kind: 'alternation', options: this.#parseAlternatives() });
      } else {
        parts.push(this.#parseToken());
      }
    }

    return parts;
  }

  #parseAlternatives(): Token[][] {
    const options: Token[][] = [[]];

    while (this.#index < this.#chars.length) {
      const char = this.#chars[this.#index] as string;

      if (char === '}') {
        this.#index += 1;
        return options;
      }
      if (char === ',') {
        this.#index += 1;
        options.push([]);
        continue;
      }
      if (char === '{') {
        throw new PatternSyntaxError('nested alternation');
      }
      options.at(-1)?.push(this.#parseToken());
    }

    throw new PatternSyntaxError('unclosed alternation');
  }

  #parseToken(): Token {
    const char = this.#chars[this.#index] as string;
    this.#index += 1;

    switch (char) {
      case '*':
        return { kind: 'star' };
      case '?':
        return { kind: 'any' };
      case '[':
        return this.#parseClass();
      case '\\':
        return { kind: 'literal', char: fold(this.#takeEscaped()) };
      default:
        // Outside an alternation `}` and `,` are ordinary characters.
        return { kind: 'literal', char: fold(char) };
    }
  }

  #takeEscaped(): string {
    const escaped = this.#chars[this.#index];
    if (escaped === undefined) {
      throw new PatternSyntaxError('dangling escape');
    }
    this.#index += 1;
    return escaped;
  }

  #parseClass(): Token {
    const negated = this.#chars[this.#index] === '!';
    if (negated) {
      this.#index += 1;
    }

    const ranges: [number, number][] = [];

    while (this.#index < this.#chars.length) {
      let char = this.#chars[this.#index] as string;
      this.#index += 1;

      if (char === ']') {
        if (ranges.length === 0) {
          throw new PatternSyntaxError('empty character class');
        }
        return { kind: 'class', negated, ranges };
      }
      if (char === '\\') {
        char = this.#takeEscaped();
      }

      const start = char.codePointAt(0) as number;
      const isRange =
        this.#chars[this.#index] === '-' &&
        this.#chars[this.#index + 1] !== undefined &&
        this.#chars[this.#index + 1] !== ']';

      if (!isRange) {
        ranges.push([start, start]);
        continue;
      }

      this.#index += 1;
      let last = this.#chars[this.#index] as string;
      this.#index += 1;
      if (last === '\\') {
        last = this.#takeEscaped();
      }
      const end = last.codePointAt(0) as number;
      if (end < start) {
        throw new PatternSyntaxError('reversed character range');
      }
      ranges.push([start, end]);
    }

    throw new PatternSyntaxError('unclosed character class');
  }
}

/**
 * Expands the alternations into plain token sequences. The size is checked before each step, so
 * a pattern that expands too far is rejected without building its variants.
 */
function expandVariants(parts: Part[]): Token[][] {
  let variants: Token[][] = [[]];
  let size = 0;

  for (const part of parts) {
    if (part.kind !== 'alternation') {
      size += variants.length;
      checkSize(size);
      for (const variant of variants) {
        variant.push(part);
      }
      continue;
    }

    if (variants.length * part.options.length > MAX_VARIANTS) {
      throw new PatternSyntaxError('too many alternatives');
    }
    const optionsSize = part.options.reduce((total, option) => total + option.length, 0);
    size = size * part.options.length + variants.length * optionsSize;
    checkSize(size);
    variants = variants.flatMap((variant) => part.options.map((option) => [...variant, ...option]));
  }

  return variants;
}

function checkSize(tokens: number): void {
  if (tokens > MAX_PATTERN_TOKENS) {
    throw new PatternSyntaxError(
      `alternatives expand to more than ${MAX_PATTERN_TOKENS} tokens: use fewer alternatives`,
    );
  }
}

function inRanges(ranges: [number, number][], char: string): boolean {
  const code = char.codePointAt(0) as number;
  return ranges.some(([start, end]) => code >= start && code <= end);
}

function classContains(token: Extract<Token, { kind: 'class' }>, char: string): boolean {
  const found =
    inRanges(token.ranges, char) ||
    inRanges(token.ranges, char.toLowerCase()) ||
    inRanges(token.ranges, char.toUpperCase());
  return found !== token.negated;
}

function matchesToken(token: Token, char: string, folded: string): boolean {
  switch (token.kind) {
    case 'any':
      return true;
    case 'literal':
      return token.char === folded;
    case 'class':
      return classContains(token, char);
    case 'star':
      return false;
  }
}

/**
 * Matches one star-and-single-character sequence against the text. On a mismatch it retries
 * from the last `*`, one character further, which keeps the work at text × tokens. The call and
 * each comparison take a step from `budget`, and an empty budget ends the match as a mismatch.
 */
function matchSequence(
  tokens: Token[],
  chars: string[],
  folded: string[],
  budget: MatchBudget,
): boolean {
  let tokenIndex = 0;
  let charIndex = 0;
  let starToken = -1;
  let starChar = 0;
  let steps = 1;
  const maxSteps = budget.remaining;

  while (charIndex < chars.length) {
    const token = tokens[tokenIndex];
    // A character class costs one step per range it compares.
    steps += token?.kind === 'class' ? token.ranges.length : 1;
    if (steps > maxSteps) {
      budget.spend(steps);
      return false;
    }

    if (token?.kind === 'star') {
      starToken = tokenIndex;
      starChar = charIndex;
      tokenIndex += 1;
    } else if (
      token !== undefined &&
      matchesToken(token, chars[charIndex] as string, folded[charIndex] as string)
    ) {
      tokenIndex += 1;
      charIndex += 1;
    } else if (starToken >= 0) {
      starChar += 1;
      charIndex = starChar;
      tokenIndex = starToken + 1;
    } else {
      budget.spend(steps);
      return false;
    }
  }

  budget.spend(steps);
  while (tokens[tokenIndex]?.kind === 'star') {
    tokenIndex += 1;
  }
  return tokenIndex === tokens.length;
}

/** A text split into characters, as typed and case-folded, shared by all patterns of a list. */
export interface MatchText {
  chars: string[];
  folded: string[];
}

function prepareText(text: string): MatchText {
  const chars = Array.from(text);
  return { chars, folded: chars.map(fold) };
}

/** One compiled glob pattern. */
export class GlobPattern {
  readonly source: string;
  readonly #variants: Token[][];

  /** Tokens of all variants together, at most {@link MAX_PATTERN_TOKENS}. */
  readonly size: number;

  private constructor(source: string, variants: Token[][]) {
    this.source = source;
    this.#variants = variants;
    this.size = variants.reduce((total, variant) => total + variant.length, 0);
  }

  /**
   * Compiles a pattern.
   * @throws Error naming the problem: a syntax error (unclosed `[` or `{`, dangling `\`, ...),
   * more than {@link MAX_PATTERN_CHARS} characters or more than {@link MAX_PATTERN_TOKENS} tokens.
   */
  static compile(source: string): GlobPattern {
    if (source.length > MAX_PATTERN_CHARS) {
      throw new Error(
        `glob pattern ${JSON.stringify(`${source.slice(0, 40)}...`)} has ${source.length} characters; the maximum is ${MAX_PATTERN_CHARS}`,
      );
    }

    try {
      return new GlobPattern(source, expandVariants(new PatternParser(source).parse()));
    } catch (error) {
      if (error instanceof PatternSyntaxError) {
        throw new Error(`invalid glob pattern ${JSON.stringify(source)}: ${error.message}`);
      }
      throw error;
    }
  }

  /** Compiles a pattern, or returns undefined when it is invalid, as Relay skips such entries. */
  static tryCompile(source: string): GlobPattern | undefined {
    try {
      return GlobPattern.compile(source);
    } catch {
      // Relay drops patterns that fail to build and keeps the rest of the list.
      return undefined;
    }
  }

  /** Matches the whole text, spending steps from `budget` (a fresh one when omitted). */
  matches(text: string, budget = new MatchBudget()): boolean {
    return text !== '' && this.matchPrepared(prepareText(text), budget);
  }

  /** Matches a text that {@link GlobList} split once for all its patterns. */
  matchPrepared(text: MatchText, budget: MatchBudget): boolean {
    if (text.chars.length === 0 || this.source === '') {
      return false;
    }
    return this.#variants.some((tokens) => matchSequence(tokens, text.chars, text.folded, budget));
  }
}

/** Maximum tokens of all patterns of one list, which bounds a compiled list's memory. */
export const MAX_LIST_TOKENS = 32_768;

/**
 * A list of patterns that matches when any of them does. Invalid entries are skipped, and so is
 * each entry that would take the list past {@link MAX_LIST_TOKENS} tokens.
 */
export class GlobList {
  readonly #patterns: GlobPattern[] = [];

  constructor(sources: readonly string[]) {
    let tokens = 0;

    for (const source of sources) {
      const pattern = source === '' ? undefined : GlobPattern.tryCompile(source);
      if (pattern === undefined || tokens + pattern.size > MAX_LIST_TOKENS) {
        continue;
      }
      tokens += pattern.size;
      this.#patterns.push(pattern);
    }
  }

  get isEmpty(): boolean {
    return this.#patterns.length === 0;
  }

  /** Matches the text against each pattern until one matches or `budget` runs out. */
  matches(text: string, budget = new MatchBudget()): boolean {
    if (text === '' || this.isEmpty) {
      return false;
    }

    const prepared = prepareText(text);
    return this.#patterns.some(
      (pattern) => !budget.isExhausted && pattern.matchPrepared(prepared, budget),
    );
  }
}
