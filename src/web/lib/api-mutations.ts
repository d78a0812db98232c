import type {
  AuthResponse,
  CreateOrganizationRequest,
  CreateProjectRequest,
  CreateTeamRequest,
  LoginRequest,
  Organization,
  Project,
  Team,
  User,
} from '../../shared/api/accounts';
import type { Issue, IssueStatus } from '../../shared/api/issues';
import { fetchApi } from './api-client';
import { issuePath } from './query-options';

export async function logIn(credentials: LoginRequest): Promise<User> {
  const response = await fetchApi<AuthResponse>('/api/0/auth/login/', {
    method: 'POST',
    body: credentials,
  });
  return response.user;
}

export async function logOut(): Promise<void> {
  await fetchApi<undefined>('/api/0/auth/logout/', { method: 'POST' });
}

export function createOrganization(request: CreateOrganizationRequest): Promise<Organization> {
  return fetchApi<Organization>('/api/0/organizations/', { method: 'POST', body: request });
}

export function createTeam(orgSlug: string, request: CreateTeamRequest): Promise<Team> {
  return fetchApi<Team>(`/api/0/organizations/${encodeURIComponent(orgSlug)}/teams/`, {
    method: 'POST',
    body: request,
  });
}

export function createProject(
  orgSlug: string,
  teamSlug: string,
  request: CreateProjectRequest,
): Promise<Project> {
  const path = `/api/0/teams/${encodeURIComponent(orgSlug)}/${encodeURIComponent(teamSlug)}/projects/`;
  return fetchApi<Project>(path, { method: 'POST', body: request });
}

export function updateIssueStatus(
  orgSlug: string,
  issueId: string,
  status: IssueStatus,
): Promise<Issue> {
  return fetchApi<Issue>(issuePath(orgSlug, issueId), { method: 'PUT', body: { status } });
}
