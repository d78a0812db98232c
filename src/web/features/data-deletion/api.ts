import type { Project } from '../../../shared/api/accounts';
import type {
  UserDataDeleteRequest,
  UserDataDeleteResult,
} from '../../../shared/api/data-deletion';
import { fetchApi } from '../../lib/api-client';

function projectPath(orgSlug: string, projectSlug: string): string {
  return `/api/0/projects/${encodeURIComponent(orgSlug)}/${encodeURIComponent(projectSlug)}/`;
}

export function fetchProject(orgSlug: string, projectSlug: string, signal?: AbortSignal) {
  return fetchApi<Project>(projectPath(orgSlug, projectSlug), { signal });
}

export function updateProject(
  orgSlug: string,
  projectSlug: string,
  change: { name: string; platform: string | null },
) {
  return fetchApi<Project>(projectPath(orgSlug, projectSlug), { method: 'PUT', body: change });
}

export function deleteProject(orgSlug: string, projectSlug: string) {
  return fetchApi<undefined>(projectPath(orgSlug, projectSlug), { method: 'DELETE' });
}

export function deleteUserData(orgSlug: string, request: UserDataDeleteRequest) {
  return fetchApi<UserDataDeleteResult>(
    `/api/0/organizations/${encodeURIComponent(orgSlug)}/user-data/delete/`,
    { method: 'POST', body: request },
  );
}
