import { useMutation, useQueryClient } from '@tanstack/react-query';

import type { IssueStatus } from '../../../shared/api/issues';
import { updateIssueStatus } from '../../lib/api-mutations';
import { queryKeys } from '../../lib/query-options';

/**
 * Returns a mutation that sets an issue's status. On success it stores the updated issue and
 * marks every cached issue list as stale, so the issue moves to its new status tab.
 */
export function useUpdateIssueStatus(orgSlug: string, issueId: string) {
  const queryClient = useQueryClient();

  return useMutation({
    mutationFn: (status: IssueStatus) => updateIssueStatus(orgSlug, issueId, status),
    onSuccess: async (issue) => {
      queryClient.setQueryData(queryKeys.issue(orgSlug, issueId), issue);
      await queryClient.invalidateQueries({ queryKey: [...queryKeys.issues(orgSlug), 'list'] });
    },
  });
}
