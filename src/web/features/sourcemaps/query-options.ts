import { keepPreviousData, queryOptions } from '@tanstack/react-query';

import type {
  ArtifactBundle,
  ArtifactBundleFile,
  ReleaseFile,
} from '../../../shared/api/sourcemaps';
import { fetchApi, requestApi } from '../../lib/api-client';
import { parseLinkHeader, type PageLinks } from '../../lib/link-header';
import { readBundleFiles } from './artifact-responses';
import { selectBundleUploads, type BundleUploads } from './bundle-deletion';

export const ARTIFACT_PAGE_SIZE = 25;
export const BUNDLE_FILE_PAGE_SIZE = 100;
/** Largest `per_page` that the API accepts. */
const MAX_PAGE_SIZE = 100;

export interface ArtifactPage<T> {
  items: T[];
  pageLinks: PageLinks;
  /** Total from the `X-Hits` header, or null when the server did not send one. */
  total: number | null;
}

export const sourceMapQueryKeys = {
  project: (orgSlug: string, projectSlug: string) =>
    ['projects', orgSlug, projectSlug, 'source-maps'] as const,
  bundles: (orgSlug: string, projectSlug: string, query: string, cursor: string | null) =>
    ['projects', orgSlug, projectSlug, 'source-maps', 'bundles', query, cursor] as const,
  bundleUploads: (orgSlug: string, projectSlug: string, bundleId: string) =>
    ['projects', orgSlug, projectSlug, 'source-maps', 'bundle-uploads', bundleId] as const,
  bundleFiles: (orgSlug: string, projectSlug: string, bundleId: string, cursor: string | null) =>
    ['projects', orgSlug, projectSlug, 'source-maps', 'bundle-files', bundleId, cursor] as const,
  releaseFilesOf: (orgSlug: string, version: string) =>
    ['releases', orgSlug, 'files', version] as const,
  releaseFiles: (orgSlug: string, version: string, cursor: string | null) =>
    ['releases', orgSlug, 'files', version, cursor] as const,
};

/** Returns the path of a project's source maps page in the app. */
export function sourceMapsSettingsPath(orgSlug: string, projectSlug: string): string {
  return `/settings/${orgSlug}/projects/${projectSlug}/source-maps/`;
}

function projectApiPath(orgSlug: string, projectSlug: string): string {
  return `/api/0/projects/${encodeURIComponent(orgSlug)}/${encodeURIComponent(projectSlug)}/`;
}

function releaseFilesApiPath(orgSlug: string, version: string): string {
  return `/api/0/organizations/${encodeURIComponent(orgSlug)}/releases/${encodeURIComponent(version)}/files/`;
}

/**
 * Loads a page of a project's artifact bundles. `query` filters on bundle ID or release, as
 * Sentry's endpoint does; empty for all bundles.
 */
export function artifactBundlesOptions(
  orgSlug: string,
  projectSlug: string,
  query: string,
  cursor: string | null,
) {
  return queryOptions({
    queryKey: sourceMapQueryKeys.bundles(orgSlug, projectSlug, query, cursor),
    queryFn: async ({ signal }): Promise<ArtifactPage<ArtifactBundle>> => {
      const response = await requestApi<ArtifactBundle[]>(
        `${projectApiPath(orgSlug, projectSlug)}files/artifact-bundles/`,
        {
          query: {
            query: query === '' ? undefined : query,
            per_page: ARTIFACT_PAGE_SIZE,
            cursor: cursor ?? undefined,
          },
          signal,
        },
      );
      return toPage(response.data, response.headers);
    },
    placeholderData: keepPreviousData,
  });
}

/**
 * Loads the uploads of one bundle ID that serve the project (one per release it was uploaded
 * for), which a delete removes together. Reads the first 100, the API's maximum page size.
 */
export function bundleUploadsOptions(orgSlug: string, projectSlug: string, bundleId: string) {
  return queryOptions({
    queryKey: sourceMapQueryKeys.bundleUploads(orgSlug, projectSlug, bundleId),
    queryFn: async ({ signal }): Promise<BundleUploads> => {
      const response = await requestApi<ArtifactBundle[]>(
        `${projectApiPath(orgSlug, projectSlug)}files/artifact-bundles/`,
        { query: { query: bundleId, per_page: MAX_PAGE_SIZE }, signal },
      );
      const page = toPage(response.data, response.headers);
      return {
        uploads: selectBundleUploads(bundleId, page.items),
        hasMore: page.pageLinks.next?.hasResults === true,
      };
    },
  });
}

/** Loads a page of the files of one artifact bundle. */
export function artifactBundleFilesOptions(
  orgSlug: string,
  projectSlug: string,
  bundleId: string,
  cursor: string | null,
) {
  return queryOptions({
    queryKey: sourceMapQueryKeys.bundleFiles(orgSlug, projectSlug, bundleId, cursor),
    queryFn: async ({ signal }): Promise<ArtifactPage<ArtifactBundleFile>> => {
      const response = await requestApi<unknown>(
        `${projectApiPath(orgSlug, projectSlug)}artifact-bundles/${encodeURIComponent(bundleId)}/files/`,
        { query: { per_page: BUNDLE_FILE_PAGE_SIZE, cursor: cursor ?? undefined }, signal },
      );
      return toPage(readBundleFiles(response.data), response.headers);
    },
    placeholderData: keepPreviousData,
  });
}

/** Loads a page of the files uploaded to a release (legacy release files). */
export function releaseFilesOptions(orgSlug: string, version: string, cursor: string | null) {
  return queryOptions({
    queryKey: sourceMapQueryKeys.releaseFiles(orgSlug, version, cursor),
    queryFn: async ({ signal }): Promise<ArtifactPage<ReleaseFile>> => {
      const response = await requestApi<ReleaseFile[]>(releaseFilesApiPath(orgSlug, version), {
        query: { per_page: ARTIFACT_PAGE_SIZE, cursor: cursor ?? undefined },
        signal,
      });
      return toPage(response.data, response.headers);
    },
    placeholderData: keepPreviousData,
  });
}

/** Deletes an artifact bundle with its files, in the query-string form Sentry's UI uses. */
export async function deleteArtifactBundle(
  orgSlug: string,
  projectSlug: string,
  bundleId: string,
): Promise<void> {
  await fetchApi<undefined>(`${projectApiPath(orgSlug, projectSlug)}files/artifact-bundles/`, {
    method: 'DELETE',
    query: { bundleId },
  });
}

/** Deletes one file of a release. */
export async function deleteReleaseFile(
  orgSlug: string,
  version: string,
  fileId: string,
): Promise<void> {
  await fetchApi<undefined>(
    `${releaseFilesApiPath(orgSlug, version)}${encodeURIComponent(fileId)}/`,
    { method: 'DELETE' },
  );
}

function toPage<T>(data: T[], headers: Headers): ArtifactPage<T> {
  const hits = Number(headers.get('X-Hits'));
  return {
    items: data,
    pageLinks: parseLinkHeader(headers.get('Link')),
    total: headers.has('X-Hits') && Number.isInteger(hits) && hits >= 0 ? hits : null,
  };
}
