import type { IssueSort } from '../../../shared/api/issues';

/** A quick filter of the issue list, each one search token (`all` has none). */
export type StatusFilter =
  | 'unresolved'
  | 'for_review'
  | 'regressed'
  | 'archived'
  | 'resolved'
  | 'bookmarked'
  | 'assigned'
  | 'all';

export const STATUS_TABS: { value: StatusFilter; label: string }[] = [
  { value: 'unresolved', label: 'Unresolved' },
  { value: 'for_review', label: 'For Review' },
  { value: 'regressed', label: 'Regressed' },
  { value: 'archived', label: 'Archived' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'bookmarked', label: 'Bookmarked' },
  { value: 'assigned', label: 'Assigned to Me' },
  { value: 'all', label: 'All' },
];

/** The search token of each quick filter, as Sentry's issue search spells it. */
const STATUS_TOKENS: Record<Exclude<StatusFilter, 'all'>, string> = {
  unresolved: 'is:unresolved',
  for_review: 'is:for_review',
  regressed: 'is:regressed',
  archived: 'is:archived',
  resolved: 'is:resolved',
  bookmarked: 'bookmarks:me',
  assigned: 'assigned:me',
};

/** Older spellings that select the same quick filter. */
const TOKEN_ALIASES: Record<string, StatusFilter> = { 'is:ignored': 'archived' };

export const SORT_OPTIONS: { value: IssueSort; label: string }[] = [
  { value: 'date', label: 'Last Seen' },
  { value: 'new', label: 'First Seen' },
  { value: 'freq', label: 'Events' },
  { value: 'user', label: 'Users' },
];

export const STATS_PERIOD_OPTIONS: { value: string; label: string }[] = [
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '14d', label: 'Last 14 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: '90d', label: 'Last 90 days' },
];

/** The issue list's view, read from and written to the URL's search parameters. */
export interface IssueListParams {
  /** Sentry search query, such as `is:unresolved TypeError`. */
  query: string;
  sort: IssueSort;
  /** Numeric project id, or null for all projects. */
  projectId: string | null;
  /** Environment name, or null for all environments. */
  environment: string | null;
  /** Time range of the list, such as `14d`. */
  statsPeriod: string;
  cursor: string | null;
}

/** The URL search parameters the issue list reads. */
export type IssueListSearchKey =
  'query' | 'sort' | 'project' | 'environment' | 'statsPeriod' | 'cursor';

const DEFAULT_QUERY = 'is:unresolved';
const DEFAULT_SORT: IssueSort = 'date';
export const DEFAULT_STATS_PERIOD = '14d';

/**
 * Reads the issue list's state from the URL. `query` keeps Sentry's format, so that a URL
 * copied from Sentry works here, and an absent `query` means unresolved issues, as in Sentry.
 * Unknown sorts and time ranges fall back to the defaults.
 */
export function readIssueListParams(searchParams: URLSearchParams): IssueListParams {
  const sort = searchParams.get('sort');
  const statsPeriod = searchParams.get('statsPeriod');

  return {
    query: searchParams.get('query') ?? DEFAULT_QUERY,
    sort: SORT_OPTIONS.some((option) => option.value === sort) ? (sort as IssueSort) : DEFAULT_SORT,
    projectId: emptyToNull(searchParams.get('project')),
    environment: emptyToNull(searchParams.get('environment')),
    statsPeriod: STATS_PERIOD_OPTIONS.some((option) => option.value === statsPeriod)
      ? (statsPeriod as string)
      : DEFAULT_STATS_PERIOD,
    cursor: emptyToNull(searchParams.get('cursor')),
  };
}

/**
 * Splits a search query into its quick filter and the remaining free text. The last quick-filter
 * token wins; a query without one is shown under All.
 */
export function splitQuery(query: string): { status: StatusFilter; text: string } {
  let status: StatusFilter = 'all';
  const rest: string[] = [];

  for (const word of query.split(/\s+/).filter((part) => part !== '')) {
    const filter = findStatusFilter(word);
    if (filter === undefined) {
      rest.push(word);
    } else {
      status = filter;
    }
  }

  return { status, text: rest.join(' ') };
}

/** The `is:` values that select issues by status, each also valid negated (`!is:resolved`). */
const STATUS_TOKEN =
  /^!?is:(unresolved|resolved|ignored|archived|for_review|regressed|escalating|new)$/;

/** Whether a search word filters by status, such as `is:resolved` or `!is:archived`. */
export function isStatusToken(word: string): boolean {
  return STATUS_TOKEN.test(word);
}

/**
 * Joins a quick filter (a tab) and free text into one search query. A status tab replaces any
 * status token in the text, so that the query never requests two statuses at once; the
 * bookmark and assignment tabs keep them.
 */
export function joinQuery(status: StatusFilter, text: string): string {
  const statusToken = status === 'all' ? '' : STATUS_TOKENS[status];
  const keepStatus = status === 'bookmarked' || status === 'assigned';
  const words = splitWords(text).filter((word) => keepStatus || !isStatusToken(word));
  return dedupeTokens([statusToken, ...words].filter((part) => part !== '')).join(' ');
}

/**
 * Builds the query for text typed in the search box while a tab is selected. Text with its own
 * status token replaces the tab's token instead of adding to it; otherwise the tab's token
 * comes first. A search token is never repeated.
 */
export function searchQuery(status: StatusFilter, typed: string): string {
  const words = splitWords(typed);
  if (words.some(isStatusToken)) {
    return dedupeTokens(words).join(' ');
  }
  return joinQuery(status, typed);
}

/**
 * Returns new search parameters with the given changes. Any change of filter drops the
 * cursor, because a cursor only means something for the query that produced it.
 */
export function updateIssueListSearch(
  current: URLSearchParams,
  changes: Partial<Record<IssueListSearchKey, string | null>>,
): URLSearchParams {
  const next = new URLSearchParams(current);
  if (!('cursor' in changes)) {
    next.delete('cursor');
  }

  for (const [name, value] of Object.entries(changes)) {
    if (value === null) {
      next.delete(name);
    } else {
      next.set(name, value);
    }
  }

  return next;
}

function findStatusFilter(word: string): StatusFilter | undefined {
  const alias = TOKEN_ALIASES[word];
  if (alias !== undefined) {
    return alias;
  }
  const entry = Object.entries(STATUS_TOKENS).find(([, token]) => token === word);
  return entry?.[0] as StatusFilter | undefined;
}

function splitWords(text: string): string[] {
  return text.split(/\s+/).filter((part) => part !== '');
}

/**
 * Drops repeated search tokens (`key:value`), keeping the first. Free words stay as typed,
 * since a quoted phrase can repeat a word on purpose.
 */
function dedupeTokens(words: string[]): string[] {
  const seen = new Set<string>();
  return words.filter((word) => {
    if (!/^!?[\w.-]+:[^\s"]+$/.test(word)) {
      return true;
    }
    if (seen.has(word)) {
      return false;
    }
    seen.add(word);
    return true;
  });
}

function emptyToNull(value: string | null): string | null {
  return value === null || value === '' ? null : value;
}
