import { queryOptions } from '@tanstack/react-query';

import type {
  DataScrubbingPreviewRequest,
  DataScrubbingPreviewResponse,
  DataScrubbingSettings,
  ProjectDataScrubbingResponse,
} from '../../../shared/api/data-scrubbing';
import { fetchApi } from '../../lib/api-client';

/** Whose settings a page edits. */
export type ScrubbingScope =
  | { kind: 'organization'; orgSlug: string }
  | { kind: 'project'; orgSlug: string; projectSlug: string };

function settingsPath(scope: ScrubbingScope): string {
  const org = encodeURIComponent(scope.orgSlug);
  return scope.kind === 'organization'
    ? `/api/0/organizations/${org}/data-scrubbing/`
    : `/api/0/projects/${org}/${encodeURIComponent(scope.projectSlug)}/data-scrubbing/`;
}

export function scrubbingQueryKey(scope: ScrubbingScope) {
  return scope.kind === 'organization'
    ? (['organizations', scope.orgSlug, 'data-scrubbing'] as const)
    : (['projects', scope.orgSlug, scope.projectSlug, 'data-scrubbing'] as const);
}

export function scrubbingSettingsOptions(scope: ScrubbingScope) {
  return queryOptions({
    queryKey: scrubbingQueryKey(scope),
    queryFn: ({ signal }) =>
      fetchApi<DataScrubbingSettings | ProjectDataScrubbingResponse>(settingsPath(scope), {
        signal,
      }),
  });
}

export function saveScrubbingSettings(
  scope: ScrubbingScope,
  settings: DataScrubbingSettings,
): Promise<DataScrubbingSettings | ProjectDataScrubbingResponse> {
  return fetchApi(settingsPath(scope), { method: 'PUT', body: settings });
}

export function previewScrubbing(
  scope: ScrubbingScope,
  request: DataScrubbingPreviewRequest,
): Promise<DataScrubbingPreviewResponse> {
  return fetchApi(`${settingsPath(scope)}preview/`, { method: 'POST', body: request });
}
