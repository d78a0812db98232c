import { queryOptions } from '@tanstack/react-query';

import type { Project } from '../../../shared/api/accounts';
import type {
  FilterId,
  FilterOptions,
  FilterStats,
  ProjectFilter,
  UpdateFilterRequest,
} from '../../../shared/api/filters';
import { fetchApi } from '../../lib/api-client';

/** The project details response, with the custom filter lists under `options`. */
export interface ProjectDetails extends Project {
  options: FilterOptions;
}

function projectPath(orgSlug: string, projectSlug: string): string {
  return `/api/0/projects/${encodeURIComponent(orgSlug)}/${encodeURIComponent(projectSlug)}/`;
}

/** Query keys of the filters page; the shared prefix refreshes all of them after a change. */
export const filterQueryKeys = {
  all: (orgSlug: string, projectSlug: string) =>
    ['projects', orgSlug, projectSlug, 'filters'] as const,
  list: (orgSlug: string, projectSlug: string) =>
    ['projects', orgSlug, projectSlug, 'filters', 'list'] as const,
  stats: (orgSlug: string, projectSlug: string) =>
    ['projects', orgSlug, projectSlug, 'filters', 'stats'] as const,
  details: (orgSlug: string, projectSlug: string) =>
    ['projects', orgSlug, projectSlug, 'filters', 'details'] as const,
};

export function projectFiltersOptions(orgSlug: string, projectSlug: string) {
  return queryOptions({
    queryKey: filterQueryKeys.list(orgSlug, projectSlug),
    queryFn: ({ signal }) =>
      fetchApi<ProjectFilter[]>(`${projectPath(orgSlug, projectSlug)}filters/`, { signal }),
  });
}

export function filterStatsOptions(orgSlug: string, projectSlug: string) {
  return queryOptions({
    queryKey: filterQueryKeys.stats(orgSlug, projectSlug),
    queryFn: ({ signal }) =>
      fetchApi<FilterStats>(`${projectPath(orgSlug, projectSlug)}filters/stats/`, { signal }),
  });
}

export function projectDetailsOptions(orgSlug: string, projectSlug: string) {
  return queryOptions({
    queryKey: filterQueryKeys.details(orgSlug, projectSlug),
    queryFn: ({ signal }) =>
      fetchApi<ProjectDetails>(projectPath(orgSlug, projectSlug), { signal }),
  });
}

export function updateFilter(
  orgSlug: string,
  projectSlug: string,
  filterId: FilterId,
  request: UpdateFilterRequest,
): Promise<undefined> {
  return fetchApi<undefined>(`${projectPath(orgSlug, projectSlug)}filters/${filterId}/`, {
    method: 'PUT',
    body: request,
  });
}

export function updateFilterOptions(
  orgSlug: string,
  projectSlug: string,
  options: Partial<FilterOptions>,
): Promise<ProjectDetails> {
  return fetchApi<ProjectDetails>(projectPath(orgSlug, projectSlug), {
    method: 'PUT',
    body: { options },
  });
}
