/**
 * Sentry's glob patterns, matched in time proportional to pattern length × value length, so
 * that no rule a project saves can stall the worker (a regular expression built from `*a*a*b`
 * backtracks exponentially on a long run of `a`).
 */

/** A compiled glob; `test` has the shape of `RegExp.test`. */
export interface Glob {
  test(value: string): boolean;
}

interface Step {
  /** `star` repeats zero or more times, `one` matches exactly one character. */
  kind: 'one' | 'star';
  accepts: (char: string) => boolean;
}

const anything = (): boolean => true;
const notSlash = (char: string): boolean => char !== '/';

/**
 * Reads a `[...]` class starting after the `[`: ranges (`a-z`), a leading `!` or `^` negates.
 * Returns undefined when the class is not closed. A reversed range matches nothing.
 */
function readClass(
  pattern: string,
  start: number,
  ignoreCase: boolean,
): { accepts: (char: string) => boolean; end: number } | undefined {
  const close = pattern.indexOf(']', start + 1);
  if (close < 0) {
    return undefined;
  }
  let body = pattern.slice(start, close);
  const negated = body.startsWith('!') || body.startsWith('^');
  if (negated) {
    body = body.slice(1);
  }
  const singles = new Set<string>();
  const ranges: [number, number][] = [];
  for (let index = 0; index < body.length; index++) {
    const char = body[index] ?? '';
    const next = body[index + 2];
    if (body[index + 1] === '-' && next !== undefined) {
      ranges.push([char.codePointAt(0) ?? 0, next.codePointAt(0) ?? 0]);
      index += 2;
    } else {
      singles.add(char);
    }
  }
  const inClass = (char: string): boolean => {
    if (singles.has(char)) {
      return true;
    }
    const code = char.codePointAt(0) ?? 0;
    return ranges.some(([low, high]) => code >= low && code <= high);
  };
  const matches = ignoreCase
    ? (char: string) => inClass(char) || inClass(char.toUpperCase()) || inClass(char.toLowerCase())
    : inClass;
  return { accepts: (char) => matches(char) !== negated, end: close };
}

function compileSteps(pattern: string, doubleStar: boolean, ignoreCase: boolean): Step[] {
  const steps: Step[] = [];
  const literal = (char: string): Step => {
    const expected = ignoreCase ? char.toLowerCase() : char;
    return { kind: 'one', accepts: (candidate) => candidate === expected };
  };

  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index] ?? '';
    if (char === '\\' && index + 1 < pattern.length) {
      index += 1;
      steps.push(literal(pattern[index] ?? ''));
    } else if (char === '*' && pattern[index + 1] === '*') {
      steps.push({ kind: 'star', accepts: anything });
      index += 1;
    } else if (char === '*') {
      steps.push({ kind: 'star', accepts: doubleStar ? notSlash : anything });
    } else if (char === '?') {
      steps.push({ kind: 'one', accepts: doubleStar ? notSlash : anything });
    } else if (char === '[') {
      const charClass = readClass(pattern, index + 1, ignoreCase);
      if (charClass === undefined) {
        steps.push(literal(char));
      } else {
        steps.push({ kind: 'one', accepts: charClass.accepts });
        index = charClass.end;
      }
    } else {
      steps.push(literal(char));
    }
  }
  return steps;
}

/** Runs the steps as a set of states over the value, one pass per character. */
function matchSteps(steps: readonly Step[], value: string): boolean {
  let current = new Uint8Array(steps.length + 1);
  let next = new Uint8Array(steps.length + 1);
  const close = (states: Uint8Array) => {
    // A star may match nothing, so reaching it also reaches the step after it.
    for (let index = 0; index < steps.length; index++) {
      if (states[index] === 1 && steps[index]?.kind === 'star') {
        states[index + 1] = 1;
      }
    }
  };

  current[0] = 1;
  close(current);
  for (const char of value) {
    next.fill(0);
    let alive = false;
    for (let index = 0; index < steps.length; index++) {
      const step = steps[index];
      if (current[index] !== 1 || step === undefined || !step.accepts(char)) {
        continue;
      }
      next[step.kind === 'star' ? index : index + 1] = 1;
      alive = true;
    }
    if (!alive) {
      return false;
    }
    close(next);
    [current, next] = [next, current];
  }
  return current[steps.length] === 1;
}

const MAX_CACHED_GLOBS = 10_000;
const globCache = new Map<string, Glob>();

/**
 * Compiles a Sentry glob. With `doubleStar`, `*` and `?` stop at `/` and `**` crosses it
 * (paths); without, `*` matches anything (module and function names). `\` escapes the next
 * character, and `[...]` is a character class.
 */
export function compileGlob(pattern: string, doubleStar: boolean, ignoreCase: boolean): Glob {
  const cacheKey = `${doubleStar ? 'd' : 's'}${ignoreCase ? 'i' : 'c'}${pattern}`;
  const cached = globCache.get(cacheKey);
  if (cached !== undefined) {
    return cached;
  }

  const steps = compileSteps(pattern, doubleStar, ignoreCase);
  const glob: Glob = {
    test: (value) => matchSteps(steps, ignoreCase ? value.toLowerCase() : value),
  };
  if (globCache.size >= MAX_CACHED_GLOBS) {
    globCache.clear();
  }
  globCache.set(cacheKey, glob);
  return glob;
}
