/**
 * Translates Sentry's search syntax into SQL conditions on the events of one issue. Tags are
 * matched in `events.tag_line` (`\nkey=value\n...`) with LIKE, so the search reads no payloads;
 * the issue's rows are found by `events_issue_timestamp` (issue_id, timestamp, id) first.
 */
import { sql, type RawBuilder } from 'kysely';

import { ValidationError } from '../../platform/errors.js';
import {
  checkFilterCount,
  checkQueryLength,
  parseSearch,
  searchFilters,
  searchFreeText,
  unescapeQuoted,
  type FilterToken,
  type TimeWindow,
} from '../search/index.js';

type Condition = RawBuilder<boolean>;

/** Limits of the events list beyond the query: environments and a time window. */
export interface EventListScope {
  environments: string[];
  window: TimeWindow | undefined;
}

/** Search keys that name a column of `events`. */
const COLUMNS: Record<string, RawBuilder<unknown>> = {
  level: sql.ref('events.level'),
  environment: sql.ref('events.environment'),
  release: sql.ref('events.release'),
  platform: sql.ref('events.platform'),
  'event.type': sql.ref('events.type'),
  id: sql.ref('events.event_id'),
  'event.id': sql.ref('events.event_id'),
  trace: sql.ref('events.trace_id'),
  'trace.id': sql.ref('events.trace_id'),
  message: sql.ref('events.title'),
  title: sql.ref('events.title'),
};

/** `user.*` keys, which match the `user` tag value that starts with the given prefix. */
const USER_PREFIXES: Record<string, string> = {
  'user.id': 'id:',
  'user.email': 'email:',
  'user.username': 'username:',
  'user.ip': 'ip:',
};

const DAY_MS = 86_400_000;

/** Escapes `\`, `%` and `_` for LIKE ... ESCAPE '\' and turns `*` into `%`. */
function likePattern(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`).replaceAll('*', '%');
}

/** Writes a line break as a space, as the stored tag line does, so a value cannot span lines. */
function oneLine(value: string): string {
  return value.replace(/[\r\n]/g, ' ');
}

/**
 * Builds the SQL conditions of an events search: free text in the title, `key:value` tags,
 * the event columns (`level`, `environment`, `release`, ...), `timestamp` comparisons, `has:`
 * and negation, plus the scope's environments and time window. Text comparisons ignore case.
 * @throws ValidationError naming a malformed token or one the events search cannot match.
 */
export function eventSearchConditions(
  query: string | undefined,
  scope: EventListScope,
  now = Date.now(),
): Condition[] {
  checkQueryLength(query ?? '');
  const tokens = parseSearch(query ?? '', { now: new Date(now) });
  checkFilterCount(searchFilters(tokens).length);
  const conditions: Condition[] = [];

  for (const filter of searchFilters(tokens)) {
    if (filter.invalid !== undefined) {
      throw invalidToken(filter, filter.invalid.reason);
    }
    const condition = filterSql(filter, now);
    conditions.push(filter.negated ? negate(condition) : condition);
  }

  const text = searchFreeText(tokens);
  if (text !== '') {
    const pattern = `%${likePattern(text.toLowerCase())}%`;
    conditions.push(sql<boolean>`lower(events.title) LIKE ${pattern} ESCAPE '\\'`);
  }
  if (scope.environments.length > 0) {
    conditions.push(sql<boolean>`events.environment IN (${sql.join(scope.environments)})`);
  }
  if (scope.window !== undefined) {
    conditions.push(
      sql<boolean>`events.timestamp >= ${scope.window.start} AND events.timestamp <= ${scope.window.end}`,
    );
  }
  return conditions;
}

function invalidToken(filter: FilterToken, reason: string): ValidationError {
  return new ValidationError(`Invalid search "${filter.text}": ${reason}`);
}

function filterSql(filter: FilterToken, now: number): Condition {
  const key = filter.key.value;
  if (filter.filter === 'is') {
    throw invalidToken(filter, 'is: filters apply to issues, not to the events of an issue');
  }
  if (filter.filter === 'has') {
    const name = values(filter)[0] ?? '';
    if (name === '') {
      throw invalidToken(filter, 'has: needs a key, e.g. has:release');
    }
    return hasSql(name);
  }
  if (filter.key.type === 'keySimple' && (key === 'timestamp' || key === 'event.timestamp')) {
    return timestampSql(filter, now);
  }
  if (filter.filter !== 'text' && filter.filter !== 'textIn') {
    throw invalidToken(
      filter,
      `the events search does not support ${filter.filter} filters on "${key}"`,
    );
  }

  const list = values(filter);
  const column = filter.key.type === 'keySimple' ? COLUMNS[key] : undefined;
  if (column !== undefined) {
    return anyOf(list.map((value) => columnMatchSql(column, value)));
  }
  const userPrefix = USER_PREFIXES[key];
  if (userPrefix !== undefined) {
    return anyOf(list.map((value) => tagMatchSql('user', `${userPrefix}${value}`)));
  }
  return anyOf(list.map((value) => tagMatchSql(key, value)));
}

function values(filter: FilterToken): string[] {
  const value = filter.value;
  if (value.type === 'valueTextList') {
    return value.items.flatMap((item) =>
      item.value === null
        ? []
        : [item.value.quoted ? unescapeQuoted(item.value.value) : item.value.value],
    );
  }
  if (value.type === 'valueText') {
    return [value.quoted ? unescapeQuoted(value.value) : value.value];
  }
  return [];
}

/**
 * Negates a condition so that NULL counts as false: `!environment:production` keeps events
 * without an environment, which `NOT (environment = ?)` would drop.
 */
function negate(condition: Condition): Condition {
  return sql<boolean>`(${condition}) IS NOT TRUE`;
}

function anyOf(conditions: Condition[]): Condition {
  if (conditions.length === 0) {
    return sql<boolean>`1 = 0`;
  }
  return sql<boolean>`(${sql.join(conditions, sql` OR `)})`;
}

function columnMatchSql(column: RawBuilder<unknown>, value: string): Condition {
  if (value === '') {
    return sql<boolean>`(${column} IS NULL OR ${column} = '')`;
  }
  return sql<boolean>`lower(${column}) LIKE ${likePattern(value.toLowerCase())} ESCAPE '\\'`;
}

/**
 * Matches `\nkey=value\n` in the tag line. An empty value means the event has no such tag.
 * NOTE: a `*` wildcard becomes `%`, which can also match across the line breaks into the next
 * tag, so a wildcard search may return a few extra events.
 */
function tagMatchSql(key: string, value: string): Condition {
  if (value === '') {
    return sql<boolean>`NOT ${hasSql(key)}`;
  }
  const pattern = `%\n${likePattern(oneLine(key).toLowerCase())}=${likePattern(oneLine(value).toLowerCase())}\n%`;
  return sql<boolean>`lower(events.tag_line) LIKE ${pattern} ESCAPE '\\'`;
}

function hasSql(key: string): Condition {
  const column = COLUMNS[key];
  if (column !== undefined) {
    return sql<boolean>`(${column} IS NOT NULL AND ${column} <> '')`;
  }
  const pattern = `%\n${likePattern(oneLine(key).toLowerCase())}=%`;
  return sql<boolean>`lower(events.tag_line) LIKE ${pattern} ESCAPE '\\'`;
}

function timestampSql(filter: FilterToken, now: number): Condition {
  const value = filter.value;
  if (value.type === 'valueRelativeDate') {
    const edge = now - value.milliseconds;
    return value.sign === '-'
      ? sql<boolean>`events.timestamp >= ${edge}`
      : sql<boolean>`events.timestamp <= ${edge}`;
  }
  if (value.type !== 'valueIso8601Date') {
    throw invalidToken(
      filter,
      'expected a date such as 2024-01-31 or a relative time such as -24h',
    );
  }
  const time = Date.parse(value.parsed.value);
  if (filter.operator === '') {
    const length = value.dateOnly ? DAY_MS : 1_000;
    return sql<boolean>`(events.timestamp >= ${time} AND events.timestamp < ${time + length})`;
  }
  const operator = sql.raw(filter.operator === '!=' ? '<>' : filter.operator);
  return sql<boolean>`events.timestamp ${operator} ${time}`;
}
