import { ValidationError } from '../../platform/errors.js';

/** A `key:value` condition on the tag values of an issue; `*` in the value is a wildcard. */
export interface TagFilter {
  key: string;
  value: string;
  negated: boolean;
}

/** The part of Sentry's issue search that the issue list understands today. */
export interface IssueQuery {
  statuses: string[] | undefined;
  text: string | undefined;
  level: string | undefined;
  tags: TagFilter[];
  /** `has:key` conditions: whether the issue has any value for the tag. */
  has: { key: string; negated: boolean }[];
}

const STATUS_ALIASES: Record<string, string> = {
  unresolved: 'unresolved',
  resolved: 'resolved',
  ignored: 'ignored',
  archived: 'ignored',
};

// Search keys that name the same tag under another spelling.
const KEY_ALIASES: Record<string, string> = {
  'user.id': 'user',
  'tags[user]': 'user',
};

const TOKEN = /(?:[^\s"]+|"[^"]*")+/g;
const KEY_VALUE = /^(!?)([\w.[\]-]+):(.+)$/;

function unquote(text: string): string {
  return text.replace(/^"|"$/g, '');
}

/**
 * Parses Sentry's issue search: `is:`, `level:`, `has:`, `key:value` tag conditions (with `!`
 * for negation and quoted values) and free text. A missing query means `is:unresolved`; an
 * empty one means every status.
 * @throws ValidationError for an unknown `is:` value.
 */
export function parseIssueQuery(query: string | undefined): IssueQuery {
  const parsed: IssueQuery = {
    statuses: undefined,
    text: undefined,
    level: undefined,
    tags: [],
    has: [],
  };
  const statuses: string[] = [];
  const words: string[] = [];

  for (const token of (query ?? 'is:unresolved').match(TOKEN) ?? []) {
    const match = KEY_VALUE.exec(token);
    if (match === null) {
      words.push(unquote(token));
      continue;
    }

    const negated = match[1] === '!';
    const key = match[2] ?? '';
    const value = unquote(match[3] ?? '');

    if (key === 'is') {
      const status = STATUS_ALIASES[value];
      if (status === undefined) {
        throw new ValidationError(
          `Invalid search "is:${value}": use unresolved, resolved or ignored`,
        );
      }
      statuses.push(status);
    } else if (key === 'level' && !negated) {
      parsed.level = value;
    } else if (key === 'has') {
      parsed.has.push({ key: KEY_ALIASES[value] ?? value, negated });
    } else {
      parsed.tags.push({ key: KEY_ALIASES[key] ?? key, value, negated });
    }
  }

  const text = words.join(' ').trim();
  parsed.statuses = statuses.length > 0 ? statuses : undefined;
  parsed.text = text === '' ? undefined : text;
  return parsed;
}
