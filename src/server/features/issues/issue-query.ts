import { ValidationError } from '../../platform/errors.js';
import {
  checkFilterCount,
  checkQueryLength,
  parseSearch,
  searchFilters,
  searchFreeText,
  unescapeQuoted,
  type FilterToken,
  type SearchOperator,
  type TextValue,
} from '../search/index.js';

/** A comparison of a date or number column: `operator value`. */
export interface Bound {
  operator: '>' | '>=' | '<' | '<=' | '=' | '!=';
  value: number;
}

/**
 * An `is:` value: a status (`unresolved`, `resolved`, `ignored`), a substatus of unresolved
 * issues (`new`, `ongoing`, `regressed`, `escalating`), `for_review`, `assigned`,
 * `unassigned` or `bookmarked`.
 */
export type IsValue =
  | 'unresolved'
  | 'resolved'
  | 'ignored'
  | 'new'
  | 'ongoing'
  | 'regressed'
  | 'escalating'
  | 'for_review'
  | 'assigned'
  | 'unassigned'
  | 'bookmarked';

/**
 * Who `assigned:` and `bookmarks:` name: the requesting user (`me`), no one (`none`), the
 * requesting user's teams (`my_teams`), a team by slug (`#slug`), or a user by e-mail.
 */
export type PersonTarget =
  | { kind: 'me' }
  | { kind: 'none' }
  | { kind: 'myTeams' }
  | { kind: 'team'; slug: string }
  | { kind: 'user'; email: string };

/** An issue column that text filters compare directly. */
export type IssueTextColumn = 'level' | 'platform' | 'firstRelease';

/** One condition of an issue search; every condition must hold. */
export type IssueCondition = { negated: boolean } & (
  | { kind: 'statuses'; values: ('unresolved' | 'resolved' | 'ignored')[] }
  | { kind: 'is'; value: Exclude<IsValue, 'unresolved' | 'resolved' | 'ignored'> }
  | { kind: 'assigned'; targets: PersonTarget[] }
  | { kind: 'bookmarks'; targets: PersonTarget[] }
  | { kind: 'column'; column: IssueTextColumn; values: string[] }
  /** Values may contain `*` wildcards; `release:latest` names the latest release. */
  | { kind: 'tag'; key: string; values: string[] }
  | { kind: 'metadata'; field: 'type' | 'value'; values: string[] }
  | { kind: 'message'; values: string[] }
  | { kind: 'shortId'; values: string[] }
  | { kind: 'date'; column: 'firstSeen' | 'lastSeen'; bounds: Bound[] }
  | { kind: 'count'; column: 'timesSeen' | 'userCount'; bounds: Bound[] }
  | { kind: 'has'; key: string }
);

/** A parsed issue search: its conditions and its free text (matched against title, culprit and short id). */
export interface IssueQuery {
  conditions: IssueCondition[];
  text: string | undefined;
}

const STATUS_VALUES: Record<string, 'unresolved' | 'resolved' | 'ignored'> = {
  unresolved: 'unresolved',
  resolved: 'resolved',
  ignored: 'ignored',
  archived: 'ignored',
  muted: 'ignored',
};
const OTHER_IS_VALUES = new Set([
  'new',
  'ongoing',
  'regressed',
  'escalating',
  'for_review',
  'assigned',
  'unassigned',
  'bookmarked',
]);
const IS_HELP =
  'use unresolved, resolved, archived (or ignored), for_review, new, ongoing, regressed, escalating, assigned, unassigned or bookmarked';

const DATE_COLUMNS: Record<string, 'firstSeen' | 'lastSeen'> = {
  firstSeen: 'firstSeen',
  first_seen: 'firstSeen',
  age: 'firstSeen',
  lastSeen: 'lastSeen',
  last_seen: 'lastSeen',
};
const COUNT_COLUMNS: Record<string, 'timesSeen' | 'userCount'> = {
  times_seen: 'timesSeen',
  timesSeen: 'timesSeen',
  'user.count': 'userCount',
  userCount: 'userCount',
  users: 'userCount',
};
const TEXT_COLUMNS: Record<string, IssueTextColumn> = {
  level: 'level',
  platform: 'platform',
  firstRelease: 'firstRelease',
  first_release: 'firstRelease',
};

/** `user.*` keys, which match the `user` tag value that starts with the given prefix. */
const USER_KEYS: Record<string, string> = {
  'user.id': 'id:',
  'user.email': 'email:',
  'user.username': 'username:',
  'user.ip': 'ip:',
};

/** Other names of tags: `has:user.id` means the issue has a `user` tag. */
const TAG_ALIASES: Record<string, string> = {
  'user.id': 'user',
  'user.email': 'user',
  'user.username': 'user',
  'user.ip': 'user',
  'tags[user]': 'user',
};

const DAY_MS = 86_400_000;

/**
 * Parses Sentry's issue search into conditions. A missing query means `is:unresolved`; an
 * empty one means every issue.
 * @throws ValidationError naming the token, for a malformed token, an unknown `is:` value or a
 * key that the issue search cannot match.
 */
export function parseIssueQuery(query: string | undefined, now = Date.now()): IssueQuery {
  checkQueryLength(query ?? '');
  const tokens = parseSearch(query ?? 'is:unresolved', { now: new Date(now) });
  checkFilterCount(searchFilters(tokens).length);
  const conditions: IssueCondition[] = [];
  const statuses: { values: IssueCondition[]; negated: IssueCondition[] } = {
    values: [],
    negated: [],
  };

  for (const filter of searchFilters(tokens)) {
    if (filter.invalid !== undefined) {
      throw invalidToken(filter, filter.invalid.reason);
    }
    const condition = toCondition(filter, now);
    if (condition.kind === 'statuses') {
      (condition.negated ? statuses.negated : statuses.values).push(condition);
    } else {
      conditions.push(condition);
    }
  }

  // Several `is:<status>` filters mean any of those statuses, as in Sentry.
  for (const group of [statuses.values, statuses.negated]) {
    const values = group.flatMap((condition) =>
      condition.kind === 'statuses' ? condition.values : [],
    );
    if (values.length > 0) {
      conditions.push({
        kind: 'statuses',
        values: [...new Set(values)],
        negated: group === statuses.negated,
      });
    }
  }

  const text = searchFreeText(tokens);
  return { conditions, text: text === '' ? undefined : text };
}

function invalidToken(filter: FilterToken, reason: string): ValidationError {
  return new ValidationError(`Invalid search "${filter.text}": ${reason}`);
}

/** Returns the text values of a text or list filter, with quote escapes removed. */
export function textValues(filter: FilterToken): string[] {
  const value = filter.value;
  if (value.type === 'valueTextList') {
    return value.items
      .map((item) => item.value)
      .filter((item): item is TextValue => item !== null)
      .map(plainText);
  }
  if (value.type === 'valueText') {
    return [plainText(value)];
  }
  if (value.type === 'valueNumberList') {
    return value.items.map((item) => item.value?.value ?? '');
  }
  return [value.value];
}

function plainText(value: TextValue): string {
  return value.quoted ? unescapeQuoted(value.value) : value.value;
}

function toCondition(filter: FilterToken, now: number): IssueCondition {
  const negated = filter.negated;
  const key = filter.key.type === 'keyExplicitTag' ? `tags[${filter.key.value}]` : filter.key.value;

  if (filter.filter === 'is') {
    return isCondition(filter, negated);
  }
  if (filter.filter === 'has') {
    const name = textValues(filter)[0] ?? '';
    if (name === '') {
      throw invalidToken(filter, 'has: needs a key, e.g. has:release');
    }
    return { kind: 'has', key: TAG_ALIASES[name] ?? name, negated };
  }
  if (filter.key.type === 'keyExplicitTag') {
    return { kind: 'tag', key: filter.key.value, values: textValues(filter), negated };
  }

  const dateColumn = DATE_COLUMNS[key];
  if (dateColumn !== undefined) {
    return { kind: 'date', column: dateColumn, bounds: dateBounds(filter, now), negated };
  }
  const countColumn = COUNT_COLUMNS[key];
  if (countColumn !== undefined) {
    return { kind: 'count', column: countColumn, bounds: countBounds(filter), negated };
  }
  if (filter.filter !== 'text' && filter.filter !== 'textIn') {
    throw invalidToken(
      filter,
      `the issue search does not support ${filter.filter} filters on "${key}"`,
    );
  }

  const values = textValues(filter);
  switch (key) {
    case 'assigned':
    case 'assigned_to':
    case 'assigned_or_suggested':
      return { kind: 'assigned', targets: values.map(personTarget), negated };
    case 'bookmarks':
      return { kind: 'bookmarks', targets: values.map(personTarget), negated };
    case 'issue':
    case 'issue.id':
      return { kind: 'shortId', values, negated };
    case 'error.type':
      return { kind: 'metadata', field: 'type', values, negated };
    case 'error.value':
      return { kind: 'metadata', field: 'value', values, negated };
    case 'message':
    case 'title':
      return { kind: 'message', values, negated };
    default:
      break;
  }

  const column = TEXT_COLUMNS[key];
  if (column !== undefined) {
    return { kind: 'column', column, values, negated };
  }
  const userPrefix = USER_KEYS[key];
  if (userPrefix !== undefined) {
    return {
      kind: 'tag',
      key: 'user',
      values: values.map((value) => `${userPrefix}${value}`),
      negated,
    };
  }
  return { kind: 'tag', key: TAG_ALIASES[key] ?? key, values, negated };
}

function isCondition(filter: FilterToken, negated: boolean): IssueCondition {
  const value = textValues(filter)[0] ?? '';
  const status = STATUS_VALUES[value];
  if (status !== undefined) {
    return { kind: 'statuses', values: [status], negated };
  }
  if (OTHER_IS_VALUES.has(value)) {
    return {
      kind: 'is',
      value: value as Exclude<IsValue, 'unresolved'>,
      negated,
    } as IssueCondition;
  }
  throw invalidToken(filter, `unknown value "${value}": ${IS_HELP}`);
}

function personTarget(value: string): PersonTarget {
  if (value === 'me') {
    return { kind: 'me' };
  }
  if (value === 'none') {
    return { kind: 'none' };
  }
  if (value === 'my_teams') {
    return { kind: 'myTeams' };
  }
  if (value.startsWith('#')) {
    return { kind: 'team', slug: value.slice(1).toLowerCase() };
  }
  return { kind: 'user', email: value.toLowerCase() };
}

/**
 * Turns a date filter into bounds. A relative time `-24h` means "within the last 24 hours" and
 * `+7d` "more than 7 days ago", as in Sentry. A date without an operator matches its whole UTC
 * day; a date-time without an operator matches that second.
 */
function dateBounds(filter: FilterToken, now: number): Bound[] {
  const value = filter.value;
  if (value.type === 'valueRelativeDate') {
    const edge = now - value.milliseconds;
    return [{ operator: value.sign === '-' ? '>=' : '<=', value: edge }];
  }
  if (value.type !== 'valueIso8601Date') {
    throw invalidToken(
      filter,
      'expected a date such as 2024-01-31 or a relative time such as -24h',
    );
  }
  const time = Date.parse(value.parsed.value);
  if (filter.operator !== '') {
    return [{ operator: comparison(filter.operator), value: time }];
  }
  const length = value.dateOnly ? DAY_MS : 1_000;
  return [
    { operator: '>=', value: time },
    { operator: '<', value: time + length },
  ];
}

function countBounds(filter: FilterToken): Bound[] {
  const value = filter.value;
  if (value.type !== 'valueNumber') {
    throw invalidToken(filter, 'expected a number, e.g. times_seen:>100');
  }
  if (!Number.isSafeInteger(Math.round(value.parsed.value))) {
    throw invalidToken(filter, 'the number is out of range');
  }
  return [{ operator: comparison(filter.operator), value: value.parsed.value }];
}

function comparison(operator: SearchOperator): Bound['operator'] {
  return operator === '' ? '=' : operator;
}
