import { keepPreviousData, queryOptions } from '@tanstack/react-query';

import type { Issue, IssueUpdateRequest, SavedSearch, IssueSort } from '../../../shared/api/issues';
import { fetchApi, requestApi } from '../../lib/api-client';
import { parseLinkHeader, type PageLinks } from '../../lib/link-header';
import { ISSUE_PAGE_SIZE, queryKeys } from '../../lib/query-options';
import type { IssueListParams } from './issue-list-params';

export interface IssueListResult {
  issues: Issue[];
  pageLinks: PageLinks;
  /** Issues matching the search on every page, from `X-Hits`; null when the server omits it. */
  hits: number | null;
}

/** A member as `GET /api/0/organizations/{org}/members/` lists them. */
export interface OrganizationMemberSummary {
  id: string;
  email: string;
  name: string;
  user: { id: string; name: string; email: string } | null;
}

export interface EnvironmentSummary {
  id: string;
  name: string;
}

export interface SavedSearchInput {
  name: string;
  query: string;
  sort: IssueSort;
  visibility: SavedSearch['visibility'];
}

/** The issues a bulk update applies to: listed ids, or every issue matching the list's search. */
export type BulkTarget =
  { kind: 'ids'; ids: string[] } | { kind: 'query'; params: IssueListParams };

const encode = encodeURIComponent;

export function issueListQueryOptions(orgSlug: string, params: IssueListParams) {
  return queryOptions({
    queryKey: [...queryKeys.issues(orgSlug), 'list', params] as const,
    queryFn: async ({ signal }): Promise<IssueListResult> => {
      const response = await requestApi<Issue[]>(
        `/api/0/organizations/${encode(orgSlug)}/issues/`,
        {
          query: {
            query: params.query,
            sort: params.sort,
            project: params.projectId ?? undefined,
            environment: params.environment ?? undefined,
            statsPeriod: params.statsPeriod,
            // The rows' sparklines chart the last 24 hours, whatever the list's time range.
            groupStatsPeriod: '24h',
            limit: ISSUE_PAGE_SIZE,
            cursor: params.cursor ?? undefined,
          },
          signal,
        },
      );

      return {
        issues: response.data,
        pageLinks: parseLinkHeader(response.headers.get('Link')),
        hits: readHits(response.headers.get('X-Hits')),
      };
    },
    placeholderData: keepPreviousData,
  });
}

export function environmentsOptions(orgSlug: string) {
  return queryOptions({
    queryKey: ['environments', orgSlug] as const,
    queryFn: ({ signal }) =>
      fetchApi<EnvironmentSummary[]>(`/api/0/organizations/${encode(orgSlug)}/environments/`, {
        signal,
      }),
  });
}

export function membersOptions(orgSlug: string) {
  return queryOptions({
    queryKey: ['members', orgSlug] as const,
    queryFn: ({ signal }) =>
      fetchApi<OrganizationMemberSummary[]>(`/api/0/organizations/${encode(orgSlug)}/members/`, {
        signal,
      }),
  });
}

export function savedSearchesOptions(orgSlug: string) {
  return queryOptions({
    queryKey: ['saved-searches', orgSlug] as const,
    queryFn: ({ signal }) => fetchApi<SavedSearch[]>(savedSearchesPath(orgSlug), { signal }),
  });
}

export function createSavedSearch(orgSlug: string, input: SavedSearchInput): Promise<SavedSearch> {
  return fetchApi<SavedSearch>(savedSearchesPath(orgSlug), {
    method: 'POST',
    body: { type: 0, ...input },
  });
}

export async function deleteSavedSearch(orgSlug: string, searchId: string): Promise<void> {
  await fetchApi<undefined>(`${savedSearchesPath(orgSlug)}${encode(searchId)}/`, {
    method: 'DELETE',
  });
}

/**
 * Sends Sentry's bulk issue update: `?id=` once per issue, or the list's search (`query`,
 * `project`, `environment`, `statsPeriod`) for every matching issue.
 */
export async function bulkUpdateIssues(
  orgSlug: string,
  target: BulkTarget,
  update: IssueUpdateRequest,
): Promise<unknown> {
  const search = new URLSearchParams();
  if (target.kind === 'ids') {
    for (const id of target.ids) {
      search.append('id', id);
    }
  } else {
    const { params } = target;
    search.set('query', params.query);
    search.set('statsPeriod', params.statsPeriod);
    if (params.projectId !== null) {
      search.set('project', params.projectId);
    }
    if (params.environment !== null) {
      search.set('environment', params.environment);
    }
  }

  const path = `/api/0/organizations/${encode(orgSlug)}/issues/?${search.toString()}`;
  return fetchApi<unknown>(path, { method: 'PUT', body: update });
}

function savedSearchesPath(orgSlug: string): string {
  return `/api/0/organizations/${encode(orgSlug)}/searches/`;
}

function readHits(header: string | null): number | null {
  if (header === null || !/^\d+$/.test(header)) {
    return null;
  }
  return Number(header);
}
