/**
 * Server-side fingerprint rules in Sentry's syntax, one rule per line:
 * `error.type:DatabaseUnavailable message:"*timeout*" -> database-unavailable, {{ default }}`,
 * optionally followed by `title="..."`. A `#` starts a comment, `!` negates a matcher and
 * values are globs. See https://docs.sentry.io/concepts/data-management/event-grouping/fingerprint-rules/.
 */

export type FingerprintMatcherKey =
  | 'type'
  | 'value'
  | 'message'
  | 'logger'
  | 'level'
  | 'tag'
  | 'module'
  | 'path'
  | 'package'
  | 'function'
  | 'family'
  | 'app'
  | 'sdk'
  | 'release';

export interface FingerprintMatcher {
  key: FingerprintMatcherKey;
  /** The tag name of a `tags.<name>` matcher. */
  tag?: string;
  pattern: string;
  negated: boolean;
}

export interface FingerprintRule {
  matchers: FingerprintMatcher[];
  fingerprint: string[];
  attributes: { title?: string };
  /** The rule as written, shown as the `matched rule` of the grouping variant. */
  text: string;
}

export interface RuleError {
  /** 1-based line number in the submitted text. */
  line: number;
  message: string;
}

export interface ParsedFingerprintRules {
  rules: FingerprintRule[];
  errors: RuleError[];
}

const MATCHER_KEYS: Record<string, FingerprintMatcherKey> = {
  type: 'type',
  'error.type': 'type',
  value: 'value',
  'error.value': 'value',
  message: 'message',
  logger: 'logger',
  level: 'level',
  module: 'module',
  'stack.module': 'module',
  path: 'path',
  'stack.abs_path': 'path',
  package: 'package',
  'stack.package': 'package',
  function: 'function',
  'stack.function': 'function',
  family: 'family',
  app: 'app',
  'stack.app': 'app',
  sdk: 'sdk',
  release: 'release',
};

const FAMILIES = new Set(['native', 'javascript', 'other', 'all']);

const ATTRIBUTE_NAMES = new Set(['title']);

/** Reads a quoted string starting at `start` (the opening quote); returns it and the next index. */
function readQuoted(text: string, start: number): [string, number] | undefined {
  let value = '';

  for (let index = start + 1; index < text.length; index++) {
    const char = text[index] ?? '';

    if (char === '\\' && index + 1 < text.length) {
      value += text[++index] ?? '';
    } else if (char === '"') {
      return [value, index + 1];
    } else {
      value += char;
    }
  }

  return undefined;
}

/** Splits on whitespace outside quotes, and stops at an unquoted `#`. */
function splitWords(text: string): { words: string[]; error?: string } {
  const words: string[] = [];
  let index = 0;

  while (index < text.length) {
    const char = text[index] ?? '';

    if (/\s/.test(char)) {
      index++;
      continue;
    }

    if (char === '#') {
      break;
    }

    let word = '';

    while (index < text.length && !/\s/.test(text[index] ?? '')) {
      if (text[index] === '"') {
        const quoted = readQuoted(text, index);

        if (quoted === undefined) {
          return { words, error: 'unterminated quoted value' };
        }

        word += quoted[0];
        index = quoted[1];
      } else {
        word += text[index] ?? '';
        index++;
      }
    }

    words.push(word);
  }

  return { words };
}

function parseMatcher(word: string): FingerprintMatcher | string {
  const negated = word.startsWith('!');
  const body = negated ? word.slice(1) : word;
  const colon = body.indexOf(':');

  if (colon <= 0) {
    return `invalid matcher "${word}": expected key:value`;
  }

  const name = body.slice(0, colon);
  const pattern = body.slice(colon + 1);

  if (pattern === '') {
    return `matcher "${name}" has an empty value`;
  }

  if (name.startsWith('tags.') && name.length > 'tags.'.length) {
    return { key: 'tag', tag: name.slice('tags.'.length), pattern, negated };
  }

  const key = MATCHER_KEYS[name];

  if (key === undefined) {
    return `unknown matcher "${name}"`;
  }

  const badFamily = pattern.split(',').find((family) => !FAMILIES.has(family));

  if (key === 'family' && badFamily !== undefined) {
    return `unknown family "${badFamily}"; use native, javascript, other or all`;
  }

  return { key, pattern, negated };
}

/** Parses the right-hand side: fingerprint values separated by commas, then attributes. */
function parseFingerprint(
  text: string,
): Pick<FingerprintRule, 'fingerprint' | 'attributes'> | string {
  const fingerprint: string[] = [];
  const attributes: FingerprintRule['attributes'] = {};
  let index = 0;

  while (index < text.length) {
    const char = text[index] ?? '';

    if (/[\s,]/.test(char)) {
      index++;
      continue;
    }

    if (char === '#') {
      break;
    }

    if (text.startsWith('{{', index)) {
      const end = text.indexOf('}}', index);

      if (end < 0) {
        return 'unterminated "{{" in the fingerprint';
      }

      fingerprint.push(`{{ ${text.slice(index + 2, end).trim()} }}`);
      index = end + 2;
      continue;
    }

    if (char === '"') {
      const quoted = readQuoted(text, index);

      if (quoted === undefined) {
        return 'unterminated quoted value in the fingerprint';
      }

      fingerprint.push(quoted[0]);
      index = quoted[1];
      continue;
    }

    const attribute = /^([a-zA-Z_]+)="/.exec(text.slice(index));

    if (attribute?.[1] !== undefined) {
      if (!ATTRIBUTE_NAMES.has(attribute[1])) {
        return `unknown attribute "${attribute[1]}"; only title="..." is supported`;
      }

      const quoted = readQuoted(text, index + attribute[1].length + 1);

      if (quoted === undefined) {
        return `unterminated value of attribute "${attribute[1]}"`;
      }

      attributes.title = quoted[0];
      index = quoted[1];
      continue;
    }

    const word = /^[^\s,#]+/.exec(text.slice(index))?.[0] ?? '';
    fingerprint.push(word);
    index += word.length;
  }

  return fingerprint.length === 0
    ? 'the fingerprint after "->" is empty'
    : { fingerprint, attributes };
}

/** Parses one line. Returns undefined for blank and comment lines, a message when invalid. */
export function parseFingerprintRule(line: string): FingerprintRule | string | undefined {
  const trimmed = line.trim();

  if (trimmed === '' || trimmed.startsWith('#')) {
    return undefined;
  }

  const arrow = trimmed.indexOf('->');

  if (arrow < 0) {
    return 'missing "->" between the matchers and the fingerprint';
  }

  const { words, error } = splitWords(trimmed.slice(0, arrow));

  if (error !== undefined) {
    return error;
  }

  if (words.length === 0) {
    return 'a rule needs at least one matcher before "->"';
  }

  const matchers: FingerprintMatcher[] = [];

  for (const word of words) {
    const matcher = parseMatcher(word);

    if (typeof matcher === 'string') {
      return matcher;
    }

    matchers.push(matcher);
  }

  const rhs = parseFingerprint(trimmed.slice(arrow + 2));
  return typeof rhs === 'string' ? rhs : { matchers, ...rhs, text: trimmed };
}

/** Parses rule text, collecting one error per invalid line. */
export function parseFingerprintRules(text: string): ParsedFingerprintRules {
  const result: ParsedFingerprintRules = { rules: [], errors: [] };

  text.split(/\r?\n/).forEach((line, index) => {
    const parsed = parseFingerprintRule(line);

    if (typeof parsed === 'string') {
      result.errors.push({ line: index + 1, message: parsed });
    } else if (parsed !== undefined) {
      result.rules.push(parsed);
    }
  });

  return result;
}

/** Writes a rule back in the text syntax, quoting values that need it. */
export function formatFingerprintRule(
  rule: Pick<FingerprintRule, 'matchers' | 'fingerprint' | 'attributes'>,
): string {
  const quote = (value: string): string =>
    /^[^\s"#,{}]+$/.test(value) ? value : `"${value.replace(/["\\]/g, '\\$&')}"`;
  const matchers = rule.matchers.map((matcher) => {
    const name = matcher.key === 'tag' ? `tags.${matcher.tag ?? ''}` : matcher.key;
    return `${matcher.negated ? '!' : ''}${name}:${quote(matcher.pattern)}`;
  });
  const parts = rule.fingerprint.map((value) =>
    /^\{\{.*\}\}$/.test(value) ? value : quote(value),
  );
  const title =
    rule.attributes.title === undefined
      ? ''
      : ` title="${rule.attributes.title.replace(/["\\]/g, '\\$&')}"`;
  return `${matchers.join(' ')} -> ${parts.join(', ')}${title}`;
}
