import { keepPreviousData, queryOptions } from '@tanstack/react-query';

import type { UserFeedback } from '../../../shared/api/feedback';
import { requestApi } from '../../lib/api-client';
import { parseLinkHeader, type PageLinks } from '../../lib/link-header';

export interface FeedbackListResult {
  feedback: UserFeedback[];
  pageLinks: PageLinks;
}

const PAGE_SIZE = 25;

/** Loads one page of a project's feedback, whatever the status of its issue. */
export function projectFeedbackOptions(
  orgSlug: string,
  projectSlug: string,
  cursor: string | null,
) {
  return queryOptions({
    queryKey: ['feedback', orgSlug, projectSlug, cursor] as const,
    queryFn: async ({ signal }): Promise<FeedbackListResult> => {
      const path = `/api/0/projects/${encodeURIComponent(orgSlug)}/${encodeURIComponent(projectSlug)}/user-feedback/`;
      const response = await requestApi<UserFeedback[]>(path, {
        query: { status: '', per_page: PAGE_SIZE, cursor: cursor ?? undefined },
        signal,
      });
      return { feedback: response.data, pageLinks: parseLinkHeader(response.headers.get('Link')) };
    },
    placeholderData: keepPreviousData,
  });
}

/** Loads the feedback of one issue, newest first. */
export function issueFeedbackOptions(orgSlug: string, issueId: string) {
  return queryOptions({
    queryKey: ['issues', orgSlug, 'detail', issueId, 'user-reports'] as const,
    queryFn: async ({ signal }) => {
      const path = `/api/0/organizations/${encodeURIComponent(orgSlug)}/issues/${encodeURIComponent(issueId)}/user-reports/`;
      const response = await requestApi<UserFeedback[]>(path, { signal });
      return response.data;
    },
  });
}
