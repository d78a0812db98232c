/**
 * Translates a parsed issue search into SQL conditions on `issues` (joined with `projects`).
 * Every user value is a bound parameter. Conditions on other tables are EXISTS subqueries on
 * indexed columns: `issue_tag_values` by its primary key (issue_id, key, value) or, for exact
 * values, by (key, value, issue_id),
 * `issue_bookmarks` by its primary key (issue_id, user_id) and `issue_hourly_counts` by its
 * primary key (issue_id, hour).
 */
import { sql, type RawBuilder } from 'kysely';

import type { Bound, IssueCondition, IssueQuery, PersonTarget } from './issue-query.js';

type Condition = RawBuilder<boolean>;

/** Context of a search besides the query: the requesting user (for `me`) and the time. */
export interface IssueSearchContext {
  userId: number | undefined;
}

/** Limits of the list beyond the query: environments and a time window of events. */
export interface IssueListScope {
  /** Issues with events in any of these environments. */
  environments: string[];
  /** Issues with events in `[start, end]`, epoch milliseconds. */
  window: { start: number; end: number } | undefined;
}

const HOUR_MS = 3_600_000;

const COLUMN_SQL = {
  level: sql.ref('issues.level'),
  platform: sql.ref('issues.platform'),
  firstRelease: sql.ref('issues.first_release'),
  firstSeen: sql.ref('issues.first_seen'),
  lastSeen: sql.ref('issues.last_seen'),
  timesSeen: sql.ref('issues.times_seen'),
  userCount: sql.ref('issues.user_count'),
};

/** Escapes `\`, `%` and `_` for LIKE ... ESCAPE '\' and turns `*` into `%`. */
export function likePattern(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`).replaceAll('*', '%');
}

/** Builds the SQL conditions of a search and a scope, all of which must hold. */
export function issueSearchConditions(
  query: IssueQuery,
  scope: IssueListScope,
  context: IssueSearchContext,
): Condition[] {
  const conditions = query.conditions.map((condition) => {
    const built = conditionSql(condition, context);
    return condition.negated ? negate(built) : built;
  });

  if (query.text !== undefined) {
    conditions.push(freeTextSql(query.text));
  }
  if (scope.environments.length > 0) {
    conditions.push(tagSql('environment', scope.environments));
  }
  if (scope.window !== undefined) {
    conditions.push(windowSql(scope.window));
  }
  return conditions;
}

function conditionSql(condition: IssueCondition, context: IssueSearchContext): Condition {
  switch (condition.kind) {
    case 'statuses':
      return sql<boolean>`issues.status IN (${sql.join(condition.values)})`;
    case 'is':
      return isSql(condition.value, context);
    case 'assigned':
      return anyOf(condition.targets.map((target) => assignedSql(target, context)));
    case 'bookmarks':
      return anyOf(condition.targets.map((target) => bookmarkSql(target, context)));
    case 'column':
      return textMatchSql(COLUMN_SQL[condition.column], condition.values);
    case 'tag':
      return tagSql(condition.key, condition.values);
    case 'metadata':
      return metadataSql(condition.field, condition.values);
    case 'message':
      return anyOf(condition.values.map(freeTextSql));
    case 'shortId':
      return anyOf(condition.values.map(shortIdSql));
    case 'date':
    case 'count':
      return boundsSql(COLUMN_SQL[condition.column], condition.bounds);
    case 'has':
      return hasSql(condition.key);
  }
}

/**
 * Negates a condition so that NULL counts as false: `!assigned:me` keeps unassigned issues,
 * which `NOT (assignee_user_id = ?)` would drop.
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

function allOf(conditions: Condition[]): Condition {
  return sql<boolean>`(${sql.join(conditions, sql` AND `)})`;
}

function isSql(
  value: Extract<IssueCondition, { kind: 'is' }>['value'],
  context: IssueSearchContext,
): Condition {
  switch (value) {
    case 'for_review':
      return sql<boolean>`(issues.status = 'unresolved' AND issues.substatus IN ('new', 'regressed', 'escalating'))`;
    case 'new':
    case 'ongoing':
    case 'regressed':
    case 'escalating':
      return sql<boolean>`(issues.status = 'unresolved' AND issues.substatus = ${value})`;
    case 'assigned':
      return sql<boolean>`(issues.assignee_user_id IS NOT NULL OR issues.assignee_team_id IS NOT NULL)`;
    case 'unassigned':
      return sql<boolean>`(issues.assignee_user_id IS NULL AND issues.assignee_team_id IS NULL)`;
    case 'bookmarked':
      return bookmarkSql({ kind: 'me' }, context);
  }
}

function assignedSql(target: PersonTarget, context: IssueSearchContext): Condition {
  switch (target.kind) {
    case 'me':
      return context.userId === undefined
        ? sql<boolean>`1 = 0`
        : sql<boolean>`issues.assignee_user_id = ${context.userId}`;
    case 'none':
      return sql<boolean>`(issues.assignee_user_id IS NULL AND issues.assignee_team_id IS NULL)`;
    case 'myTeams':
      return context.userId === undefined
        ? sql<boolean>`1 = 0`
        : sql<boolean>`issues.assignee_team_id IN (SELECT tm.team_id FROM team_members AS tm INNER JOIN organization_members AS om ON om.id = tm.member_id WHERE om.user_id = ${context.userId} AND om.organization_id = projects.organization_id)`;
    case 'team':
      return sql<boolean>`issues.assignee_team_id IN (SELECT t.id FROM teams AS t WHERE t.organization_id = projects.organization_id AND t.slug = ${target.slug})`;
    case 'user':
      return sql<boolean>`issues.assignee_user_id IN (SELECT u.id FROM users AS u WHERE lower(u.email) = ${target.email})`;
  }
}

function bookmarkSql(target: PersonTarget, context: IssueSearchContext): Condition {
  switch (target.kind) {
    case 'me':
      return context.userId === undefined
        ? sql<boolean>`1 = 0`
        : sql<boolean>`EXISTS (SELECT 1 FROM issue_bookmarks AS b WHERE b.issue_id = issues.id AND b.user_id = ${context.userId})`;
    case 'user':
      return sql<boolean>`EXISTS (SELECT 1 FROM issue_bookmarks AS b INNER JOIN users AS u ON u.id = b.user_id WHERE b.issue_id = issues.id AND lower(u.email) = ${target.email})`;
    case 'none':
      return sql<boolean>`NOT EXISTS (SELECT 1 FROM issue_bookmarks AS b WHERE b.issue_id = issues.id)`;
    case 'myTeams':
    case 'team':
      return sql<boolean>`1 = 0`;
  }
}

/**
 * Matches a column against values: exact (case-sensitive) without wildcards, and
 * case-insensitive LIKE with them, so that both engines agree.
 */
function textMatchSql(column: RawBuilder<unknown>, values: string[]): Condition {
  const exact = values.filter((value) => !value.includes('*'));
  const wildcards = values.filter((value) => value.includes('*'));
  const parts: Condition[] = [];
  if (exact.length > 0) {
    parts.push(sql<boolean>`${column} IN (${sql.join(exact)})`);
  }
  for (const value of wildcards) {
    parts.push(sql<boolean>`lower(${column}) LIKE ${likePattern(value.toLowerCase())} ESCAPE '\\'`);
  }
  return anyOf(parts);
}

/**
 * An issue has a tag value among `values`. `release:latest` compares with the latest release
 * (by creation time) of the issue's project. An empty value means the issue has no such tag,
 * as Sentry reads `key:""`.
 */
function tagSql(key: string, values: string[]): Condition {
  if (values.length === 1 && values[0] === '') {
    return sql<boolean>`NOT ${hasSql(key)}`;
  }
  const exactOnly =
    values.every((value) => !value.includes('*')) &&
    !(key === 'release' && values.includes('latest'));
  if (exactOnly) {
    // Seeks `issue_tag_values_key_value` (key, value, issue_id) to the few issues with the value,
    // instead of probing every issue of the list for it.
    return sql<boolean>`issues.id IN (SELECT t.issue_id FROM issue_tag_values AS t WHERE t.key = ${key} AND t.value IN (${sql.join(values)}))`;
  }
  const value = sql.ref('t.value');
  let match = textMatchSql(value, values);
  if (key === 'release' && values.includes('latest')) {
    match = anyOf([
      match,
      sql<boolean>`t.value = (SELECT r.version FROM releases AS r INNER JOIN release_projects AS rp ON rp.release_id = r.id WHERE rp.project_id = issues.project_id ORDER BY r.date_created DESC, r.id DESC LIMIT 1)`,
    ]);
  }
  return sql<boolean>`EXISTS (SELECT 1 FROM issue_tag_values AS t WHERE t.issue_id = issues.id AND t.key = ${key} AND ${match})`;
}

function hasSql(key: string): Condition {
  switch (key) {
    case 'assigned':
    case 'assignee':
      return sql<boolean>`(issues.assignee_user_id IS NOT NULL OR issues.assignee_team_id IS NOT NULL)`;
    case 'firstRelease':
    case 'first_release':
      return sql<boolean>`issues.first_release IS NOT NULL`;
    default:
      return sql<boolean>`EXISTS (SELECT 1 FROM issue_tag_values AS t WHERE t.issue_id = issues.id AND t.key = ${key})`;
  }
}

/**
 * Matches `error.type`/`error.value` against the issue's metadata JSON text, which
 * JSON.stringify wrote without spaces.
 * NOTE: a wildcard can match across the end of the field into the next one.
 */
function metadataSql(field: 'type' | 'value', values: string[]): Condition {
  return anyOf(
    values.map((value) => {
      const encoded = JSON.stringify(value).slice(1, -1);
      const pattern = `%"${field}":"${likePattern(encoded)}"%`;
      return sql<boolean>`issues.metadata LIKE ${pattern} ESCAPE '\\'`;
    }),
  );
}

/** Free text: a case-insensitive substring of the title or the culprit, or the short id. */
function freeTextSql(text: string): Condition {
  const pattern = `%${likePattern(text.toLowerCase())}%`;
  const parts: Condition[] = [
    sql<boolean>`lower(issues.title) LIKE ${pattern} ESCAPE '\\'`,
    sql<boolean>`lower(issues.culprit) LIKE ${pattern} ESCAPE '\\'`,
  ];
  const shortId = parseShortId(text);
  if (shortId !== undefined) {
    parts.push(
      sql<boolean>`(projects.slug = ${shortId.slug} AND issues.short_id_number = ${shortId.number})`,
    );
  }
  return anyOf(parts);
}

function shortIdSql(value: string): Condition {
  const shortId = parseShortId(value);
  if (shortId === undefined) {
    return /^\d+$/.test(value) ? sql<boolean>`issues.id = ${Number(value)}` : sql<boolean>`1 = 0`;
  }
  return sql<boolean>`(projects.slug = ${shortId.slug} AND issues.short_id_number = ${shortId.number})`;
}

function parseShortId(text: string): { slug: string; number: number } | undefined {
  const match = /^([a-z0-9_-]+)-([0-9a-z]{1,12})$/i.exec(text.trim());
  if (match?.[1] === undefined || match[2] === undefined) {
    return undefined;
  }
  return { slug: match[1].toLowerCase(), number: parseInt(match[2], 36) };
}

function boundsSql(column: RawBuilder<unknown>, bounds: Bound[]): Condition {
  return allOf(bounds.map((bound) => boundSql(column, bound)));
}

/**
 * Compares an integer column. A fractional value is rounded to the integer that keeps the
 * meaning (`> 1.5` is `> 1`), because PostgreSQL rejects a fraction for a bigint parameter.
 */
function boundSql(column: RawBuilder<unknown>, bound: Bound): Condition {
  let { value } = bound;
  if (!Number.isInteger(value)) {
    if (bound.operator === '=') {
      return sql<boolean>`1 = 0`;
    }
    if (bound.operator === '!=') {
      return sql<boolean>`1 = 1`;
    }
    value =
      bound.operator === '>' || bound.operator === '<=' ? Math.floor(value) : Math.ceil(value);
  }
  const operator = sql.raw(bound.operator === '!=' ? '<>' : bound.operator);
  return sql<boolean>`${column} ${operator} ${value}`;
}

/**
 * Matches issues with events between `start` and `end`. First and last seen must overlap the
 * window. When neither the first nor the last event falls in the window, one of the issue's
 * hourly counts must, so the match is exact to the hour.
 */
function windowSql(window: { start: number; end: number }): Condition {
  const firstHour = Math.floor(window.start / HOUR_MS) * HOUR_MS;
  return sql<boolean>`(issues.last_seen >= ${window.start} AND issues.first_seen <= ${window.end} AND (issues.first_seen >= ${window.start} OR issues.last_seen <= ${window.end} OR EXISTS (SELECT 1 FROM issue_hourly_counts AS h WHERE h.issue_id = issues.id AND h.hour >= ${firstHour} AND h.hour <= ${window.end})))`;
}
