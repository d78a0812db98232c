/**
 * Glob patterns as Relay matches inbound-filter lists (error messages, releases, transaction
 * names). `*` matches any run of characters including none (line breaks too), and `?` matches
 * one character. `[abc]`, `[a-z]` and `[!a-z]` match one character of or outside a set, `{a,b}`
 * matches one of the alternatives, and `\` makes the next character literal. Matching ignores
 * case and covers the whole text. An empty pattern and an empty text never match.
 *
 * Patterns are compiled to token lists, not regular expressions, so matching stays
 * O(text × pattern) whatever the pattern: a project's pattern runs against every event's text.
 */

type Token =
  | { kind: 'literal'; char: string }
  | { kind: 'any' }
  | { kind: 'star' }
  | { kind: 'class'; negated: boolean; ranges: [number, number][] };

/** A pattern is a sequence of parts. An alternation part has several sequences. */
type Part = Token | { kind: 'alternation'; options: Token[][] };

/** Alternations multiply: `{a,b}{c,d}` has 4 variants. More than this rejects the pattern. */
const MAX_VARIANTS = 256;
const MAX_PATTERN_CHARS = 2048;

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

/** Expands the alternations into plain token sequences. */
function expandVariants(parts: Part[]): Token[][] {
  let variants: Token[][] = [[]];

  for (const part of parts) {
    if (part.kind !== 'alternation') {
      for (const variant of variants) {
        variant.push(part);
      }
      continue;
    }

    if (variants.length * part.options.length > MAX_VARIANTS) {
      throw new PatternSyntaxError('too many alternatives');
    }
    variants = variants.flatMap((variant) => part.options.map((option) => [...variant, ...option]));
  }

  return variants;
}

function classContains(token: Extract<Token, { kind: 'class' }>, char: string): boolean {
  const candidates = new Set([char, char.toLowerCase(), char.toUpperCase()]);
  let found = false;

  for (const candidate of candidates) {
    const code = candidate.codePointAt(0) as number;
    if (token.ranges.some(([start, end]) => code >= start && code <= end)) {
      found = true;
      break;
    }
  }

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
 * from the last `*`, one character further, which keeps the work at text × tokens.
 */
function matchSequence(tokens: Token[], chars: string[], folded: string[]): boolean {
  let tokenIndex = 0;
  let charIndex = 0;
  let starToken = -1;
  let starChar = 0;

  while (charIndex < chars.length) {
    const token = tokens[tokenIndex];

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
      return false;
    }
  }

  while (tokens[tokenIndex]?.kind === 'star') {
    tokenIndex += 1;
  }
  return tokenIndex === tokens.length;
}

/** One compiled glob pattern. */
export class GlobPattern {
  readonly source: string;
  readonly #variants: Token[][];

  private constructor(source: string, variants: Token[][]) {
    this.source = source;
    this.#variants = variants;
  }

  /**
   * Compiles a pattern.
   * @throws Error naming the syntax problem (unclosed `[` or `{`, dangling `\`, ...).
   */
  static compile(source: string): GlobPattern {
    if (source.length > MAX_PATTERN_CHARS) {
      throw new Error(`pattern is longer than ${MAX_PATTERN_CHARS} characters`);
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

  matches(text: string): boolean {
    if (text === '' || this.source === '') {
      return false;
    }

    const chars = Array.from(text);
    const folded = chars.map(fold);
    return this.#variants.some((tokens) => matchSequence(tokens, chars, folded));
  }
}

/** A list of patterns that matches when any of them does; invalid entries are skipped. */
export class GlobList {
  readonly #patterns: GlobPattern[];

  constructor(sources: readonly string[]) {
    this.#patterns = sources
      .filter((source) => source !== '')
      .map((source) => GlobPattern.tryCompile(source))
      .filter((pattern) => pattern !== undefined);
  }

  get isEmpty(): boolean {
    return this.#patterns.length === 0;
  }

  matches(text: string): boolean {
    return this.#patterns.some((pattern) => pattern.matches(text));
  }
}
