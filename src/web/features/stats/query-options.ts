import { keepPreviousData, queryOptions } from '@tanstack/react-query';

import type {
  ProjectIngestControls,
  ProjectSpikeProtection,
  StatsResponse,
  UpdateProjectIngestControlsRequest,
  UpdateProjectKeyRequest,
} from '../../../shared/api/stats';
import { fetchApi } from '../../lib/api-client';

/** Periods the Stats page offers, each read per hour. */
export const STATS_PERIODS = ['24h', '7d', '30d'] as const;
export type StatsPeriod = (typeof STATS_PERIODS)[number];

export interface StatsParams {
  period: StatsPeriod;
  /** Numeric project id, or null for every project. */
  projectId: string | null;
  category: string;
}

// How often the spike protection state is read again while a page shows it.
const SPIKE_POLL_MS = 30_000;

export const statsQueryKeys = {
  stats: (orgSlug: string, params: StatsParams) => ['stats', orgSlug, params] as const,
  organizationControls: (orgSlug: string) => ['ingest-controls', orgSlug] as const,
  projectControls: (orgSlug: string, projectSlug: string) =>
    ['ingest-controls', orgSlug, projectSlug] as const,
};

export function statsOptions(orgSlug: string, params: StatsParams) {
  return queryOptions({
    queryKey: statsQueryKeys.stats(orgSlug, params),
    queryFn: ({ signal }) => {
      const search = new URLSearchParams({
        field: 'sum(quantity)',
        interval: '1h',
        statsPeriod: params.period,
        category: params.category,
      });
      search.append('groupBy', 'outcome');
      search.append('groupBy', 'reason');
      if (params.projectId !== null) {
        search.set('project', params.projectId);
      }
      return fetchApi<StatsResponse>(
        `/api/0/organizations/${encode(orgSlug)}/stats_v2/?${search.toString()}`,
        { signal },
      );
    },
    placeholderData: keepPreviousData,
  });
}

export function organizationIngestControlsOptions(orgSlug: string) {
  return queryOptions({
    queryKey: statsQueryKeys.organizationControls(orgSlug),
    queryFn: ({ signal }) =>
      fetchApi<ProjectSpikeProtection[]>(
        `/api/0/organizations/${encode(orgSlug)}/ingest-controls/`,
        { signal },
      ),
    refetchInterval: SPIKE_POLL_MS,
  });
}

export function projectIngestControlsOptions(orgSlug: string, projectSlug: string) {
  return queryOptions({
    queryKey: statsQueryKeys.projectControls(orgSlug, projectSlug),
    queryFn: ({ signal }) =>
      fetchApi<ProjectIngestControls>(projectControlsPath(orgSlug, projectSlug), { signal }),
    refetchInterval: SPIKE_POLL_MS,
  });
}

export function updateProjectKey(
  orgSlug: string,
  projectSlug: string,
  keyId: string,
  request: UpdateProjectKeyRequest,
): Promise<unknown> {
  return fetchApi(
    `/api/0/projects/${encode(orgSlug)}/${encode(projectSlug)}/keys/${encode(keyId)}/`,
    { method: 'PUT', body: request },
  );
}

export function updateProjectIngestControls(
  orgSlug: string,
  projectSlug: string,
  request: UpdateProjectIngestControlsRequest,
): Promise<ProjectIngestControls> {
  return fetchApi<ProjectIngestControls>(projectControlsPath(orgSlug, projectSlug), {
    method: 'PUT',
    body: request,
  });
}

function projectControlsPath(orgSlug: string, projectSlug: string): string {
  return `/api/0/projects/${encode(orgSlug)}/${encode(projectSlug)}/ingest-controls/`;
}

function encode(segment: string): string {
  return encodeURIComponent(segment);
}
