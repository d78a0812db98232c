import { queryOptions } from '@tanstack/react-query';

import type {
  AcceptInviteRequest,
  AcceptInviteResponse,
  CreateUserRequest,
  InstanceUser,
  InviteDetails,
  InviteMemberRequest,
  Member,
  OrgRole,
  OrganizationSettings,
  TeamMember,
  UpdateMemberRequest,
  UpdateOrganizationRequest,
  UpdateUserRequest,
} from '../../../shared/api/members';
import { fetchApi } from '../../lib/api-client';

export const ROLE_LABELS: Record<OrgRole, string> = {
  member: 'Member',
  admin: 'Admin',
  manager: 'Manager',
  owner: 'Owner',
};

export const ORG_ROLE_ORDER: readonly OrgRole[] = ['member', 'admin', 'manager', 'owner'];

/** Query keys of the member, team and settings pages; each starts with the organization's prefix. */
export const memberKeys = {
  organization: (orgSlug: string) => ['organizations', orgSlug, 'details'] as const,
  members: (orgSlug: string) => ['organizations', orgSlug, 'members'] as const,
  teamMembers: (orgSlug: string, teamSlug: string) =>
    ['organizations', orgSlug, 'teams', teamSlug, 'members'] as const,
  teamProjects: (orgSlug: string, teamSlug: string) =>
    ['organizations', orgSlug, 'teams', teamSlug, 'projects'] as const,
  users: ['instance-users'] as const,
};

const orgPath = (orgSlug: string) => `/api/0/organizations/${encodeURIComponent(orgSlug)}/`;
const memberPath = (orgSlug: string, memberId: string) =>
  `${orgPath(orgSlug)}members/${encodeURIComponent(memberId)}/`;

export function organizationSettingsOptions(orgSlug: string) {
  return queryOptions({
    queryKey: memberKeys.organization(orgSlug),
    queryFn: ({ signal }) => fetchApi<OrganizationSettings>(orgPath(orgSlug), { signal }),
  });
}

export function membersOptions(orgSlug: string) {
  return queryOptions({
    queryKey: memberKeys.members(orgSlug),
    queryFn: ({ signal }) => fetchApi<Member[]>(`${orgPath(orgSlug)}members/`, { signal }),
  });
}

export function teamMembersOptions(orgSlug: string, teamSlug: string) {
  return queryOptions({
    queryKey: memberKeys.teamMembers(orgSlug, teamSlug),
    queryFn: ({ signal }) =>
      fetchApi<TeamMember[]>(
        `/api/0/teams/${encodeURIComponent(orgSlug)}/${encodeURIComponent(teamSlug)}/members/`,
        { signal },
      ),
  });
}

export function teamProjectsOptions(orgSlug: string, teamSlug: string) {
  return queryOptions({
    queryKey: memberKeys.teamProjects(orgSlug, teamSlug),
    queryFn: ({ signal }) =>
      fetchApi<{ id: string; slug: string; name: string }[]>(
        `/api/0/teams/${encodeURIComponent(orgSlug)}/${encodeURIComponent(teamSlug)}/projects/`,
        { signal },
      ),
  });
}

export function instanceUsersOptions() {
  return queryOptions({
    queryKey: memberKeys.users,
    queryFn: ({ signal }) => fetchApi<InstanceUser[]>('/api/0/users/', { signal }),
  });
}

export function inviteMember(orgSlug: string, body: InviteMemberRequest): Promise<Member> {
  return fetchApi<Member>(`${orgPath(orgSlug)}members/`, { method: 'POST', body });
}

export function updateMember(
  orgSlug: string,
  memberId: string,
  body: UpdateMemberRequest,
): Promise<Member> {
  return fetchApi<Member>(memberPath(orgSlug, memberId), { method: 'PUT', body });
}

export function removeMember(orgSlug: string, memberId: string): Promise<void> {
  return fetchApi<undefined>(memberPath(orgSlug, memberId), { method: 'DELETE' });
}

export function setTeamMembership(
  orgSlug: string,
  memberId: string,
  teamSlug: string,
  join: boolean,
): Promise<unknown> {
  return fetchApi(`${memberPath(orgSlug, memberId)}teams/${encodeURIComponent(teamSlug)}/`, {
    method: join ? 'POST' : 'DELETE',
  });
}

export function setTeamRole(
  orgSlug: string,
  memberId: string,
  teamSlug: string,
  teamRole: string,
): Promise<unknown> {
  return fetchApi(`${memberPath(orgSlug, memberId)}teams/${encodeURIComponent(teamSlug)}/`, {
    method: 'PUT',
    body: { teamRole },
  });
}

export function updateOrganization(
  orgSlug: string,
  body: UpdateOrganizationRequest,
): Promise<OrganizationSettings> {
  return fetchApi<OrganizationSettings>(orgPath(orgSlug), { method: 'PUT', body });
}

export function deleteOrganization(orgSlug: string): Promise<void> {
  return fetchApi<undefined>(orgPath(orgSlug), { method: 'DELETE' });
}

const acceptPath = (memberId: string, token: string) =>
  `/api/0/accept-invite/${encodeURIComponent(memberId)}/${encodeURIComponent(token)}/`;

export function inviteDetailsOptions(memberId: string, token: string) {
  return queryOptions({
    queryKey: ['accept-invite', memberId, token] as const,
    queryFn: ({ signal }) => fetchApi<InviteDetails>(acceptPath(memberId, token), { signal }),
    retry: false,
  });
}

export function acceptInvite(
  memberId: string,
  token: string,
  body: AcceptInviteRequest,
): Promise<AcceptInviteResponse> {
  return fetchApi<AcceptInviteResponse>(acceptPath(memberId, token), { method: 'POST', body });
}

export function createInstanceUser(body: CreateUserRequest): Promise<InstanceUser> {
  return fetchApi<InstanceUser>('/api/0/users/', { method: 'POST', body });
}

export function updateInstanceUser(userId: string, body: UpdateUserRequest): Promise<InstanceUser> {
  return fetchApi<InstanceUser>(`/api/0/users/${encodeURIComponent(userId)}/`, {
    method: 'PUT',
    body,
  });
}

/** Roles an actor may give, as the server enforces them: up to its own, with member:write. */
export function grantableRoles(settings: OrganizationSettings | undefined): OrgRole[] {
  if (settings?.orgRole === undefined || !settings.access.includes('member:write')) {
    return [];
  }
  const own = ORG_ROLE_ORDER.indexOf(settings.orgRole);
  return ORG_ROLE_ORDER.filter((role) => ORG_ROLE_ORDER.indexOf(role) <= own);
}
