import { queryOptions } from '@tanstack/react-query';

import type { Project } from '../../../shared/api/accounts';
import type {
  GroupingInfoResponse,
  GroupingRulesValidation,
  ProjectGroupingRules,
} from '../../../shared/api/grouping';
import { fetchApi } from '../../lib/api-client';

/** The project details response with its grouping rule fields. */
export type ProjectWithGroupingRules = Project & ProjectGroupingRules;

function projectPath(orgSlug: string, projectSlug: string): string {
  return `/api/0/projects/${encodeURIComponent(orgSlug)}/${encodeURIComponent(projectSlug)}/`;
}

export const groupingQueryKeys = {
  rules: (orgSlug: string, projectSlug: string) =>
    ['projects', orgSlug, projectSlug, 'grouping-rules'] as const,
  info: (orgSlug: string, projectSlug: string, eventId: string) =>
    ['projects', orgSlug, projectSlug, 'events', eventId, 'grouping-info'] as const,
};

export function groupingRulesOptions(orgSlug: string, projectSlug: string) {
  return queryOptions({
    queryKey: groupingQueryKeys.rules(orgSlug, projectSlug),
    queryFn: ({ signal }) =>
      fetchApi<ProjectWithGroupingRules>(projectPath(orgSlug, projectSlug), { signal }),
  });
}

export function groupingInfoOptions(orgSlug: string, projectSlug: string, eventId: string) {
  return queryOptions({
    queryKey: groupingQueryKeys.info(orgSlug, projectSlug, eventId),
    queryFn: ({ signal }) =>
      fetchApi<GroupingInfoResponse>(
        `${projectPath(orgSlug, projectSlug)}events/${encodeURIComponent(eventId)}/grouping-info/`,
        { signal },
      ),
  });
}

export function validateGroupingRules(
  orgSlug: string,
  projectSlug: string,
  rules: ProjectGroupingRules,
): Promise<GroupingRulesValidation> {
  return fetchApi<GroupingRulesValidation>(
    `${projectPath(orgSlug, projectSlug)}grouping-rules/validate/`,
    { method: 'POST', body: rules },
  );
}

export function saveGroupingRules(
  orgSlug: string,
  projectSlug: string,
  rules: ProjectGroupingRules,
): Promise<ProjectWithGroupingRules> {
  return fetchApi<ProjectWithGroupingRules>(projectPath(orgSlug, projectSlug), {
    method: 'PUT',
    body: rules,
  });
}
