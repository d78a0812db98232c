import { useMutation, useQueryClient } from '@tanstack/react-query';

import type { IssueStatus } from '../../../shared/api/issues';
import { updateIssueStatus } from '../../lib/api-mutations';
import { queryKeys } from '../../lib/query-options';

/**
 * Returns a mutation that sets an issue's status. On success it stores the updated issue and
 * drops the cached issue lists, so that a list opened next is fetched again instead of briefly
 * showing the issue under its old status tab.
 */
export function useUpdateIssueStatus(orgSlug: string, issueId: string) {
  const queryClient = useQueryClient();

  return useMutation({
    mutationFn: (status: IssueStatus) => updateIssueStatus(orgSlug, issueId, status),
    onSuccess: async (issue) => {
      queryClient.setQueryData(queryKeys.issue(orgSlug, issueId), issue);
      const listKey = [...queryKeys.issues(orgSlug), 'list'];
      queryClient.removeQueries({ queryKey: listKey, type: 'inactive' });
      await queryClient.invalidateQueries({ queryKey: listKey });
    },
  });
}
