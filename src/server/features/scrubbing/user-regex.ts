/**
 * Compiles the regular expressions that users write in advanced rules. JavaScript's engine
 * backtracks, so a pattern such as `(a+)+$` can take exponential time on a crafted value; Relay
 * uses Rust's linear-time engine and has no such risk. Picket therefore accepts only patterns
 * without the constructs that cause catastrophic backtracking:
 *
 * - a repeated group (`*`, `+`, `{n,}` or `{n,m}` with m > 1) that contains another
 *   quantifier or an alternation `|`;
 * - backreferences (`\1`, `\k<name>`);
 * - patterns longer than {@link MAX_PATTERN_LENGTH} characters.
 *
 * Patterns that pass can still be polynomial (`\s*\s*x`), so the scrubber also limits the time
 * spent in user patterns per event (see `CUSTOM_PATTERN_BUDGET_MS` in `pii-processor.ts`).
 */

export const MAX_PATTERN_LENGTH = 1000;

export class UserRegexError extends Error {
  override name = 'UserRegexError';
}

interface GroupState {
  hasRepeat: boolean;
  hasAlternation: boolean;
}

/** Returns the length of a quantifier at `index`, and whether it repeats more than once. */
function readQuantifier(pattern: string, index: number): { length: number; repeats: boolean } {
  const char = pattern[index];
  if (char === '*' || char === '+') {
    return { length: pattern[index + 1] === '?' ? 2 : 1, repeats: true };
  }
  if (char === '?') {
    return { length: pattern[index + 1] === '?' ? 2 : 1, repeats: false };
  }
  if (char === '{') {
    const match = /^\{(\d+)(,(\d*))?\}\??/.exec(pattern.slice(index));
    if (match !== null) {
      const min = Number(match[1]);
      let max = min;
      if (match[2] !== undefined) {
        max = match[3] === '' ? Infinity : Number(match[3]);
      }
      return { length: match[0].length, repeats: max > 1 };
    }
  }
  return { length: 0, repeats: false };
}

/**
 * Throws `UserRegexError` when `pattern` has a construct that can backtrack without bound.
 * Adjacent quantifiers over overlapping sets pass this check but are polynomial (`\w+\w+!`
 * runs for more than 20 seconds on 10,000 word characters), so `scrubPayload` also stops a
 * payload's user patterns after `CUSTOM_PAYLOAD_LIMIT_MS`, inside a match if need be.
 */
export function checkPatternSafety(pattern: string): void {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new UserRegexError(
      `the pattern has ${pattern.length} characters; the maximum is ${MAX_PATTERN_LENGTH}`,
    );
  }

  const stack: GroupState[] = [{ hasRepeat: false, hasAlternation: false }];
  let index = 0;

  const top = (): GroupState =>
    stack[stack.length - 1] ?? { hasRepeat: false, hasAlternation: false };

  while (index < pattern.length) {
    const char = pattern.charAt(index);
    let closed: GroupState | undefined;

    if (char === '\\') {
      const next = pattern[index + 1] ?? '';
      if (/[1-9]/.test(next) || next === 'k') {
        throw new UserRegexError(`backreferences such as \\${next} are not supported`);
      }
      index += 2;
    } else if (char === '[') {
      index = skipClass(pattern, index);
    } else if (char === '(') {
      stack.push({ hasRepeat: false, hasAlternation: false });
      index += groupPrefixLength(pattern, index);
      continue;
    } else if (char === ')') {
      if (stack.length === 1) {
        throw new UserRegexError(`unmatched ")" at position ${index}`);
      }
      closed = stack.pop();
      index += 1;
    } else if (char === '|') {
      top().hasAlternation = true;
      index += 1;
    } else {
      index += 1;
    }

    const quantifier = readQuantifier(pattern, index);
    if (quantifier.length > 0) {
      const current = top();
      if (quantifier.repeats) {
        if (closed !== undefined && (closed.hasRepeat || closed.hasAlternation)) {
          throw new UserRegexError(
            `a repeated group at position ${index} contains a quantifier or "|", which can ` +
              'take exponential time; rewrite it without nesting',
          );
        }
        current.hasRepeat = true;
      }
      index += quantifier.length;
    }
    // A group counts as containing whatever its inner groups contain.
    if (closed !== undefined) {
      top().hasRepeat ||= closed.hasRepeat;
      top().hasAlternation ||= closed.hasAlternation;
    }
  }

  if (stack.length > 1) {
    throw new UserRegexError('the pattern has an unclosed "("');
  }
}

/** Returns the length of `(`, `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!` or `(?<name>` at `index`. */
function groupPrefixLength(pattern: string, index: number): number {
  const prefix = /^\((\?(:|=|!|<=|<!|<[A-Za-z_][A-Za-z0-9_]*>))?/.exec(pattern.slice(index));
  return prefix?.[0].length ?? 1;
}

function skipClass(pattern: string, start: number): number {
  let index = start + 1;
  if (pattern[index] === '^') {
    index += 1;
  }
  if (pattern[index] === ']') {
    index += 1;
  }
  while (index < pattern.length && pattern[index] !== ']') {
    index += pattern[index] === '\\' ? 2 : 1;
  }
  return index + 1;
}

/**
 * Compiles a user pattern in Relay's syntax into a global JavaScript regex. A leading inline
 * flag group such as `(?i)` becomes a flag, as JavaScript has no inline flags.
 * @throws UserRegexError when the pattern is unsafe or invalid.
 */
export function compileUserRegex(source: string, flags = ''): RegExp {
  let pattern = source;
  const allFlags = new Set([...flags.split(''), 'g', 'd']);
  const inline = /^\(\?([a-zA-Z]+)\)/.exec(pattern);
  if (inline !== null) {
    for (const flag of (inline[1] ?? '').split('')) {
      if (flag !== 'i' && flag !== 's' && flag !== 'm') {
        throw new UserRegexError(`the inline flag "${flag}" is not supported; use i, s or m`);
      }
      allFlags.add(flag);
    }
    pattern = pattern.slice(inline[0].length);
  }
  checkPatternSafety(pattern);

  try {
    return new RegExp(pattern, [...allFlags].join('') + 'u');
  } catch {
    // Patterns with escapes that Unicode mode rejects (`\_`) still compile without it.
    try {
      return new RegExp(pattern, [...allFlags].join(''));
    } catch (error) {
      throw new UserRegexError(`invalid regular expression: ${(error as Error).message}`);
    }
  }
}
