import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import type {
  Issue,
  IssueActivity,
  IssueHash,
  IssueUpdateRequest,
} from '../../../shared/api/issues';
import type { Release } from '../../../shared/api/releases';
import { fetchApi } from '../../lib/api-client';
import { issuePath, queryKeys } from '../../lib/query-options';

/** A member as `GET /api/0/organizations/{org}/members/` returns it. */
export interface OrganizationMember {
  id: string;
  email: string;
  name: string;
  role: string;
  roleName: string;
  user: { id: string; name: string; email: string; username: string };
}

const encode = encodeURIComponent;

export const workflowKeys = {
  members: (orgSlug: string) => ['members', orgSlug] as const,
  releases: (orgSlug: string, projectSlug: string) => ['releases', orgSlug, projectSlug] as const,
  hashes: (orgSlug: string, issueId: string) =>
    [...queryKeys.issue(orgSlug, issueId), 'hashes'] as const,
};

export function membersOptions(orgSlug: string) {
  return queryOptions({
    queryKey: workflowKeys.members(orgSlug),
    queryFn: ({ signal }) =>
      fetchApi<OrganizationMember[]>(`/api/0/organizations/${encode(orgSlug)}/members/`, {
        signal,
      }),
  });
}

export function projectReleasesOptions(orgSlug: string, projectSlug: string) {
  return queryOptions({
    queryKey: workflowKeys.releases(orgSlug, projectSlug),
    queryFn: ({ signal }) =>
      fetchApi<Release[]>(`/api/0/projects/${encode(orgSlug)}/${encode(projectSlug)}/releases/`, {
        signal,
      }),
  });
}

export function issueHashesOptions(orgSlug: string, issueId: string) {
  return queryOptions({
    queryKey: workflowKeys.hashes(orgSlug, issueId),
    queryFn: ({ signal }) =>
      fetchApi<IssueHash[]>(`${issuePath(orgSlug, issueId)}hashes/`, {
        signal,
        query: { per_page: 100 },
      }),
  });
}

/**
 * Returns a mutation that applies an issue update. On success it stores the updated issue and
 * refetches the issue lists; a discard returns no issue, and `onDiscarded` then runs.
 */
export function useIssueUpdate(orgSlug: string, issueId: string, onDiscarded?: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (update: IssueUpdateRequest) =>
      fetchApi<Issue | undefined>(issuePath(orgSlug, issueId), { method: 'PUT', body: update }),
    onSuccess: (issue) => {
      if (issue === undefined) {
        onDiscarded?.();
      } else {
        queryClient.setQueryData(queryKeys.issue(orgSlug, issueId), issue);
      }
      // Cached lists would show the issue under its old status until refetched: drop them.
      queryClient.removeQueries({ queryKey: [...queryKeys.issues(orgSlug), 'list'] });
    },
  });
}

/** Returns a mutation that deletes the issue; `onDeleted` runs after the request succeeded. */
export function useIssueDelete(orgSlug: string, issueId: string, onDeleted: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => fetchApi<undefined>(issuePath(orgSlug, issueId), { method: 'DELETE' }),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: [...queryKeys.issues(orgSlug), 'list'] });
      onDeleted();
    },
  });
}

/** Refetches the issue and everything under it (events, tags, hashes). */
function useRefreshIssue(orgSlug: string, issueId: string) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: queryKeys.issue(orgSlug, issueId) });
}

export function useAddComment(orgSlug: string, issueId: string) {
  const refresh = useRefreshIssue(orgSlug, issueId);
  return useMutation({
    mutationFn: (text: string) =>
      fetchApi<IssueActivity>(`${issuePath(orgSlug, issueId)}comments/`, {
        method: 'POST',
        body: { text },
      }),
    onSuccess: refresh,
  });
}

export function useEditComment(orgSlug: string, issueId: string) {
  const refresh = useRefreshIssue(orgSlug, issueId);
  return useMutation({
    mutationFn: (comment: { id: string; text: string }) =>
      fetchApi<IssueActivity>(`${issuePath(orgSlug, issueId)}comments/${encode(comment.id)}/`, {
        method: 'PUT',
        body: { text: comment.text },
      }),
    onSuccess: refresh,
  });
}

export function useDeleteComment(orgSlug: string, issueId: string) {
  const refresh = useRefreshIssue(orgSlug, issueId);
  return useMutation({
    mutationFn: (commentId: string) =>
      fetchApi<undefined>(`${issuePath(orgSlug, issueId)}comments/${encode(commentId)}/`, {
        method: 'DELETE',
      }),
    onSuccess: refresh,
  });
}

/** Returns a mutation that moves the given hashes of the issue into a new issue. */
export function useUnmerge(orgSlug: string, issueId: string) {
  const refresh = useRefreshIssue(orgSlug, issueId);
  return useMutation({
    mutationFn: (hashes: string[]) => {
      const query = hashes.map((hash) => `id=${encode(hash)}`).join('&');
      return fetchApi<{ id: string }>(`${issuePath(orgSlug, issueId)}hashes/?${query}`, {
        method: 'DELETE',
      });
    },
    onSuccess: refresh,
  });
}
