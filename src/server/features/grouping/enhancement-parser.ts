/**
 * Parser for stack-trace rules in Sentry's syntax, for example
 * `path:**\/node_modules/** -app` or `[ category:gl ] | category:gl category=internals`.
 * See https://docs.sentry.io/concepts/data-management/event-grouping/stack-trace-rules/.
 */

export type MatcherKey =
  | 'family'
  | 'path'
  | 'module'
  | 'function'
  | 'package'
  | 'app'
  | 'category'
  | 'type'
  | 'value'
  | 'mechanism';

export interface FrameMatcher {
  key: MatcherKey;
  pattern: string;
  negated: boolean;
}

export type RuleAction =
  | { kind: 'flag'; flag: 'app' | 'group'; value: boolean; range: 'up' | 'down' | undefined }
  | { kind: 'variable'; name: string; value: string };

export interface EnhancementRule {
  matchers: FrameMatcher[];
  /** Matchers for the calling frame (the one before, towards `main`). */
  callerMatchers: FrameMatcher[];
  /** Matchers for the called frame (the one after, towards the crash). */
  calleeMatchers: FrameMatcher[];
  actions: RuleAction[];
  /** The rule as written, for hints. */
  text: string;
}

const KEY_ALIASES: Record<string, MatcherKey> = {
  family: 'family',
  path: 'path',
  'stack.abs_path': 'path',
  module: 'module',
  'stack.module': 'module',
  function: 'function',
  'stack.function': 'function',
  package: 'package',
  'stack.package': 'package',
  app: 'app',
  'stack.app': 'app',
  category: 'category',
  type: 'type',
  'error.type': 'type',
  value: 'value',
  'error.value': 'value',
  mechanism: 'mechanism',
  'error.mechanism': 'mechanism',
};

/** `^` applies an action to the frames towards the crash, `v` to those towards `main`. */
const RANGE_BY_PREFIX: Record<string, 'up' | 'down' | undefined> = { '^': 'up', v: 'down' };
const FLAG_ACTION_PATTERN = /^([\^v]?)([+-])(app|group)$/;
const VARIABLE_ACTION_PATTERN = /^([a-zA-Z][a-zA-Z0-9_-]*)=(.+)$/;

/** Splits a line into tokens, keeping quoted matcher values together and dropping comments. */
function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quoted = false;

  for (const char of line) {
    if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && char === '#') {
      break;
    } else if (!quoted && /\s/.test(char)) {
      if (current !== '') {
        tokens.push(current);
      }

      current = '';
    } else if (!quoted && (char === '[' || char === ']' || char === '|')) {
      if (current !== '') {
        tokens.push(current);
      }

      tokens.push(char);
      current = '';
    } else {
      current += char;
    }
  }

  if (current !== '') {
    tokens.push(current);
  }

  return tokens;
}

function parseMatcher(token: string): FrameMatcher | undefined {
  const negated = token.startsWith('!');
  const body = negated ? token.slice(1) : token;
  const colon = body.indexOf(':');
  const key = colon > 0 ? KEY_ALIASES[body.slice(0, colon)] : undefined;

  return key === undefined ? undefined : { key, pattern: body.slice(colon + 1), negated };
}

function parseAction(token: string): RuleAction | undefined {
  const flag = FLAG_ACTION_PATTERN.exec(token);

  if (flag !== null) {
    const range = RANGE_BY_PREFIX[flag[1] ?? ''];
    return { kind: 'flag', flag: flag[3] as 'app' | 'group', value: flag[2] === '+', range };
  }

  const variable = VARIABLE_ACTION_PATTERN.exec(token);
  return variable === null
    ? undefined
    : { kind: 'variable', name: variable[1] ?? '', value: variable[2] ?? '' };
}

/** Reads matchers from `tokens` starting at `start` until `]`; returns them and the next index. */
function readGroup(tokens: string[], start: number): [FrameMatcher[], number] | undefined {
  const matchers: FrameMatcher[] = [];
  let index = start;

  while (index < tokens.length && tokens[index] !== ']') {
    const matcher = parseMatcher(tokens[index] ?? '');

    if (matcher === undefined) {
      return undefined;
    }

    matchers.push(matcher);
    index++;
  }

  return index < tokens.length ? [matchers, index + 1] : undefined;
}

/** Parses one rule line. Returns undefined for blank lines, comments and invalid rules. */
export function parseRule(line: string): EnhancementRule | undefined {
  const tokens = tokenize(line);
  const rule: EnhancementRule = {
    matchers: [],
    callerMatchers: [],
    calleeMatchers: [],
    actions: [],
    text: line.trim(),
  };
  let index = 0;

  if (tokens[0] === '[') {
    const group = readGroup(tokens, 1);

    if (group === undefined || tokens[group[1]] !== '|') {
      return undefined;
    }

    rule.callerMatchers = group[0];
    index = group[1] + 1;
  }

  for (; index < tokens.length; index++) {
    const token = tokens[index] ?? '';

    if (token === '|' && tokens[index + 1] === '[') {
      const group = readGroup(tokens, index + 2);

      if (group === undefined) {
        return undefined;
      }

      rule.calleeMatchers = group[0];
      index = group[1] - 1;
      continue;
    }

    const matcher = rule.actions.length === 0 ? parseMatcher(token) : undefined;
    const action = matcher === undefined ? parseAction(token) : undefined;

    if (matcher !== undefined) {
      rule.matchers.push(matcher);
    } else if (action !== undefined) {
      rule.actions.push(action);
    } else {
      return undefined;
    }
  }

  const hasMatchers = rule.matchers.length > 0 || rule.callerMatchers.length > 0;
  return hasMatchers && rule.actions.length > 0 ? rule : undefined;
}

/** Parses a rule file, one rule per line. Lines that do not parse are skipped. */
export function parseRules(text: string): EnhancementRule[] {
  return text
    .split(/\r?\n/)
    .map((line) => parseRule(line))
    .filter((rule): rule is EnhancementRule => rule !== undefined);
}

/** Names the problem of a line that `parseRule` rejects. */
function explainInvalidRule(tokens: string[]): string {
  let seenAction = false;
  let seenMatcher = false;
  let depth = 0;

  for (const token of tokens) {
    if (token === '[') {
      depth++;
    } else if (token === ']') {
      depth--;
    } else if (token !== '|') {
      const matcher = parseMatcher(token);

      if (matcher !== undefined && seenAction) {
        return `matcher "${token}" comes after an action; put matchers first`;
      }

      if (matcher === undefined && parseAction(token) === undefined) {
        return `unknown matcher or action "${token}"`;
      }

      seenMatcher ||= matcher !== undefined;
      seenAction ||= matcher === undefined;
    }

    if (depth < 0 || depth > 1) {
      return 'unbalanced "[" and "]"';
    }
  }

  if (depth !== 0) {
    return 'unbalanced "[" and "]"';
  }

  if (!seenMatcher) {
    return 'a rule needs at least one matcher, such as function:foo';
  }

  return seenAction
    ? 'invalid caller or callee group; write [ matchers ] | matchers or matchers | [ matchers ]'
    : 'a rule needs at least one action, such as +app, -app, +group or -group';
}

/** Checks a rule file and returns one error per line that does not parse (1-based line numbers). */
export function validateRules(text: string): { line: number; message: string }[] {
  return text.split(/\r?\n/).flatMap((line, index) => {
    const tokens = tokenize(line);

    if (tokens.length === 0 || parseRule(line) !== undefined) {
      return [];
    }

    return [{ line: index + 1, message: explainInvalidRule(tokens) }];
  });
}
