import type { IssueSort } from '../../../shared/api/issues';
import type { IssueListParams } from '../../lib/query-options';

export type StatusFilter = 'unresolved' | 'resolved' | 'ignored' | 'all';

export const STATUS_TABS: { value: StatusFilter; label: string }[] = [
  { value: 'unresolved', label: 'Unresolved' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'ignored', label: 'Ignored' },
  { value: 'all', label: 'All' },
];

export const SORT_OPTIONS: { value: IssueSort; label: string }[] = [
  { value: 'date', label: 'Last Seen' },
  { value: 'new', label: 'First Seen' },
  { value: 'freq', label: 'Events' },
];

const DEFAULT_QUERY = 'is:unresolved';
const DEFAULT_SORT: IssueSort = 'date';
const STATUS_TOKEN = /(^|\s)is:(unresolved|resolved|ignored)(?=\s|$)/g;

/**
 * Reads the issue list's state from the URL. `query` keeps Sentry's format, so that a URL
 * copied from Sentry works here, and an absent `query` means unresolved issues, as in Sentry.
 */
export function readIssueListParams(searchParams: URLSearchParams): IssueListParams {
  const sort = searchParams.get('sort');

  return {
    query: searchParams.get('query') ?? DEFAULT_QUERY,
    sort: SORT_OPTIONS.some((option) => option.value === sort) ? (sort as IssueSort) : DEFAULT_SORT,
    projectId: emptyToNull(searchParams.get('project')),
    cursor: emptyToNull(searchParams.get('cursor')),
  };
}

/** Splits a search query into its status filter and the remaining free text. */
export function splitQuery(query: string): { status: StatusFilter; text: string } {
  const matches = [...query.matchAll(STATUS_TOKEN)];
  const status = (matches.at(-1)?.[2] ?? 'all') as StatusFilter;
  const text = query.replace(STATUS_TOKEN, ' ').replace(/\s+/g, ' ').trim();

  return { status, text };
}

/** Joins a status filter and free text into one search query. */
export function joinQuery(status: StatusFilter, text: string): string {
  const statusToken = status === 'all' ? '' : `is:${status}`;
  return [statusToken, text.trim()].filter((part) => part !== '').join(' ');
}

/**
 * Returns new search parameters with the given changes. Any change of filter drops the
 * cursor, because a cursor only means something for the query that produced it.
 */
export function updateIssueListSearch(
  current: URLSearchParams,
  changes: Partial<Record<'query' | 'sort' | 'project' | 'cursor', string | null>>,
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

function emptyToNull(value: string | null): string | null {
  return value === null || value === '' ? null : value;
}
