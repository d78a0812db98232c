import { useMutation, useQueryClient } from '@tanstack/react-query';

import type { FilterId, ProjectFilter, UpdateFilterRequest } from '../../../shared/api/filters';
import { filterQueryKeys, updateFilter } from './query-options';

/** Computes the `active` value the server stores for a request, by Sentry's rules. */
function expectedActive(request: UpdateFilterRequest): ProjectFilter['active'] {
  if (request.active !== undefined || request.subfilters === undefined) {
    return request.active ?? false;
  }
  const subfilters = [...new Set(request.subfilters)].sort();
  return subfilters.length > 0 ? subfilters : false;
}

/**
 * Returns a mutation that changes one filter. The list shows the new state at once and goes
 * back to the previous one when the server rejects the change. It is reloaded either way.
 */
export function useUpdateFilter(orgSlug: string, projectSlug: string, filterId: FilterId) {
  const queryClient = useQueryClient();
  const listKey = filterQueryKeys.list(orgSlug, projectSlug);

  return useMutation({
    mutationFn: (request: UpdateFilterRequest) =>
      updateFilter(orgSlug, projectSlug, filterId, request),
    onMutate: async (request) => {
      await queryClient.cancelQueries({ queryKey: listKey });
      const previous = queryClient.getQueryData<ProjectFilter[]>(listKey);
      queryClient.setQueryData<ProjectFilter[]>(listKey, (filters) =>
        filters?.map((filter) =>
          filter.id === filterId ? { ...filter, active: expectedActive(request) } : filter,
        ),
      );
      return { previous };
    },
    onError: (_error, _request, context) => {
      queryClient.setQueryData(listKey, context?.previous);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: listKey }),
  });
}
