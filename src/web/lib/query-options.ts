import { keepPreviousData, queryOptions } from '@tanstack/react-query';

import type {
  AuthResponse,
  Organization,
  Project,
  ProjectKey,
  Team,
  User,
} from '../../shared/api/accounts';
import type { Event } from '../../shared/api/events';
import type { Issue, IssueSort, IssueTag } from '../../shared/api/issues';
import { fetchApi, isRequestError, requestApi } from './api-client';
import { parseLinkHeader, type PageLinks } from './link-header';

export const ISSUE_PAGE_SIZE = 25;

/** Query keys, grouped so that one prefix invalidates everything about an organization's issues. */
export const queryKeys = {
  currentUser: ['current-user'] as const,
  organizations: ['organizations'] as const,
  projects: (orgSlug: string) => ['organizations', orgSlug, 'projects'] as const,
  teams: (orgSlug: string) => ['organizations', orgSlug, 'teams'] as const,
  projectKeys: (orgSlug: string, projectSlug: string) =>
    ['projects', orgSlug, projectSlug, 'keys'] as const,
  issues: (orgSlug: string) => ['issues', orgSlug] as const,
  issueList: (orgSlug: string, params: IssueListParams) =>
    ['issues', orgSlug, 'list', params] as const,
  issue: (orgSlug: string, issueId: string) => ['issues', orgSlug, 'detail', issueId] as const,
  issueTags: (orgSlug: string, issueId: string) =>
    ['issues', orgSlug, 'detail', issueId, 'tags'] as const,
  issueEvent: (orgSlug: string, issueId: string, eventId: string) =>
    ['issues', orgSlug, 'detail', issueId, 'events', eventId] as const,
};

/**
 * Loads the signed-in user, or null when the session is missing or expired. A 401 is an
 * expected response here, so it resolves to null instead of failing the query.
 */
export function currentUserOptions() {
  return queryOptions({
    queryKey: queryKeys.currentUser,
    queryFn: async ({ signal }): Promise<User | null> => {
      try {
        const response = await fetchApi<AuthResponse>('/api/0/auth/', { signal });
        return response.user;
      } catch (error) {
        if (isRequestError(error, 401)) {
          return null;
        }
        throw error;
      }
    },
    staleTime: Infinity,
  });
}

export function organizationsOptions() {
  return queryOptions({
    queryKey: queryKeys.organizations,
    queryFn: ({ signal }) => fetchApi<Organization[]>('/api/0/organizations/', { signal }),
  });
}

export function projectsOptions(orgSlug: string) {
  return queryOptions({
    queryKey: queryKeys.projects(orgSlug),
    queryFn: ({ signal }) =>
      fetchApi<Project[]>(`/api/0/organizations/${encode(orgSlug)}/projects/`, { signal }),
  });
}

export function teamsOptions(orgSlug: string) {
  return queryOptions({
    queryKey: queryKeys.teams(orgSlug),
    queryFn: ({ signal }) =>
      fetchApi<Team[]>(`/api/0/organizations/${encode(orgSlug)}/teams/`, { signal }),
  });
}

export function projectKeysOptions(orgSlug: string, projectSlug: string) {
  return queryOptions({
    queryKey: queryKeys.projectKeys(orgSlug, projectSlug),
    queryFn: ({ signal }) =>
      fetchApi<ProjectKey[]>(`/api/0/projects/${encode(orgSlug)}/${encode(projectSlug)}/keys/`, {
        signal,
      }),
  });
}

export interface IssueListParams {
  /** Sentry search query, such as `is:unresolved TypeError`. */
  query: string;
  sort: IssueSort;
  /** Numeric project id, or null for all projects. */
  projectId: string | null;
  cursor: string | null;
}

export interface IssueListResult {
  issues: Issue[];
  pageLinks: PageLinks;
}

export function issueListOptions(orgSlug: string, params: IssueListParams) {
  return queryOptions({
    queryKey: queryKeys.issueList(orgSlug, params),
    queryFn: async ({ signal }): Promise<IssueListResult> => {
      const response = await requestApi<Issue[]>(
        `/api/0/organizations/${encode(orgSlug)}/issues/`,
        {
          query: {
            query: params.query,
            sort: params.sort,
            project: params.projectId ?? undefined,
            limit: ISSUE_PAGE_SIZE,
            cursor: params.cursor ?? undefined,
          },
          signal,
        },
      );

      return { issues: response.data, pageLinks: parseLinkHeader(response.headers.get('Link')) };
    },
    placeholderData: keepPreviousData,
  });
}

export function issueOptions(orgSlug: string, issueId: string) {
  return queryOptions({
    queryKey: queryKeys.issue(orgSlug, issueId),
    queryFn: ({ signal }) => fetchApi<Issue>(issuePath(orgSlug, issueId), { signal }),
  });
}

export function issueTagsOptions(orgSlug: string, issueId: string) {
  return queryOptions({
    queryKey: queryKeys.issueTags(orgSlug, issueId),
    queryFn: ({ signal }) =>
      fetchApi<IssueTag[]>(`${issuePath(orgSlug, issueId)}tags/`, { signal }),
  });
}

/**
 * Loads one event of an issue. `eventId` is an event id, or `latest` or `oldest`, which the
 * API accepts in the same place.
 */
export function issueEventOptions(orgSlug: string, issueId: string, eventId: string) {
  return queryOptions({
    queryKey: queryKeys.issueEvent(orgSlug, issueId, eventId),
    queryFn: ({ signal }) =>
      fetchApi<Event>(`${issuePath(orgSlug, issueId)}events/${encode(eventId)}/`, { signal }),
    // Keeps the current event on screen while a newer or older one of the same issue loads.
    placeholderData: (previous) => (previous?.groupID === issueId ? previous : undefined),
  });
}

/** Returns the API path that serves one event of a project as JSON. */
export function eventJsonPath(orgSlug: string, projectSlug: string, eventId: string): string {
  return `/api/0/projects/${encode(orgSlug)}/${encode(projectSlug)}/events/${encode(eventId)}/`;
}

export function issuePath(orgSlug: string, issueId: string): string {
  return `/api/0/organizations/${encode(orgSlug)}/issues/${encode(issueId)}/`;
}

function encode(segment: string): string {
  return encodeURIComponent(segment);
}
