import { keepPreviousData, queryOptions } from '@tanstack/react-query';

import type { Release } from '../../../shared/api/releases';
import { fetchApi, requestApi } from '../../lib/api-client';
import { parseLinkHeader, type PageLinks } from '../../lib/link-header';

export const RELEASE_PAGE_SIZE = 25;

export interface ReleaseListParams {
  /** Part of the version to search for; empty for all releases. */
  query: string;
  /** Numeric project id, or null for all projects. */
  projectId: string | null;
  cursor: string | null;
}

export interface ReleaseListResult {
  releases: Release[];
  pageLinks: PageLinks;
}

export const releaseQueryKeys = {
  list: (orgSlug: string, params: ReleaseListParams) =>
    ['releases', orgSlug, 'list', params] as const,
  detail: (orgSlug: string, version: string) => ['releases', orgSlug, 'detail', version] as const,
};

/** Loads a page of releases with their session health per project. */
export function releaseListOptions(orgSlug: string, params: ReleaseListParams) {
  return queryOptions({
    queryKey: releaseQueryKeys.list(orgSlug, params),
    queryFn: async ({ signal }): Promise<ReleaseListResult> => {
      const response = await requestApi<Release[]>(
        `/api/0/organizations/${encodeURIComponent(orgSlug)}/releases/`,
        {
          query: {
            health: 1,
            query: params.query === '' ? undefined : params.query,
            project: params.projectId ?? undefined,
            per_page: RELEASE_PAGE_SIZE,
            cursor: params.cursor ?? undefined,
          },
          signal,
        },
      );
      return { releases: response.data, pageLinks: parseLinkHeader(response.headers.get('Link')) };
    },
    placeholderData: keepPreviousData,
  });
}

export function releaseOptions(orgSlug: string, version: string) {
  return queryOptions({
    queryKey: releaseQueryKeys.detail(orgSlug, version),
    queryFn: ({ signal }) =>
      fetchApi<Release>(
        `/api/0/organizations/${encodeURIComponent(orgSlug)}/releases/${encodeURIComponent(version)}/`,
        { query: { health: 1 }, signal },
      ),
  });
}

/** Returns the path of a release's page in the app. */
export function releasePath(orgSlug: string, version: string): string {
  return `/organizations/${orgSlug}/releases/${encodeURIComponent(version)}/`;
}
