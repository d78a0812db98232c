import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';

import type { TeamRole } from '../../../shared/api/members';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { fetchApi } from '../../lib/api-client';
import { currentUserOptions, projectsOptions, queryKeys } from '../../lib/query-options';
import { useDocumentTitle } from '../../lib/use-document-title';
import { describeFailure } from '../../lib/user-message';
import {
  membersOptions,
  organizationSettingsOptions,
  setTeamMembership,
  setTeamRole,
  teamMembersOptions,
  teamProjectsOptions,
} from '../members/members-api';

const TEAM_ROLE_LABELS: Record<TeamRole, string> = {
  contributor: 'Contributor',
  admin: 'Team Admin',
};

/** Renders one team: its members with their team roles, its projects, and join or leave buttons. */
export function TeamPage() {
  const { orgSlug = '', teamSlug = '' } = useParams();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const settingsQuery = useQuery(organizationSettingsOptions(orgSlug));
  const teamMembersQuery = useQuery(teamMembersOptions(orgSlug, teamSlug));
  const teamProjectsQuery = useQuery(teamProjectsOptions(orgSlug, teamSlug));
  const membersQuery = useQuery(membersOptions(orgSlug));
  const projectsQuery = useQuery(projectsOptions(orgSlug));
  const userQuery = useQuery(currentUserOptions());
  const [addMemberId, setAddMemberId] = useState('');
  const [addProject, setAddProject] = useState('');
  useDocumentTitle([`#${teamSlug}`, 'Teams', orgSlug]);

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['organizations', orgSlug] });
  const membershipMutation = useMutation({
    mutationFn: (input: { memberId: string; join: boolean }) =>
      setTeamMembership(orgSlug, input.memberId, teamSlug, input.join),
    onSuccess: refresh,
  });
  const roleMutation = useMutation({
    mutationFn: (input: { memberId: string; role: TeamRole }) =>
      setTeamRole(orgSlug, input.memberId, teamSlug, input.role),
    onSuccess: refresh,
  });
  const projectMutation = useMutation({
    mutationFn: (input: { projectSlug: string; add: boolean }) =>
      fetchApi(
        `/api/0/projects/${encodeURIComponent(orgSlug)}/${encodeURIComponent(input.projectSlug)}/teams/${encodeURIComponent(teamSlug)}/`,
        { method: input.add ? 'POST' : 'DELETE' },
      ),
    onSuccess: refresh,
  });
  const deleteMutation = useMutation({
    mutationFn: () =>
      fetchApi(`/api/0/teams/${encodeURIComponent(orgSlug)}/${encodeURIComponent(teamSlug)}/`, {
        method: 'DELETE',
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.teams(orgSlug) });
      await navigate(`/settings/${orgSlug}/teams/`);
    },
  });

  if (teamMembersQuery.isPending || settingsQuery.isPending) {
    return <LoadingIndicator />;
  }
  if (teamMembersQuery.isError || settingsQuery.isError) {
    return (
      <main className="page">
        <LoadError
          message="Unable to load the team."
          onRetry={() => void teamMembersQuery.refetch()}
        />
      </main>
    );
  }

  const access = settingsQuery.data.access;
  const teamMembers = teamMembersQuery.data;
  const self = teamMembers.find((member) => member.email === userQuery.data?.email);
  const canManage = access.includes('team:write') || self?.teamRole === 'admin';
  const canJoin = settingsQuery.data.openMembership || access.includes('team:write');
  const candidates = (membersQuery.data ?? []).filter(
    (member) => !member.pending && !teamMembers.some((inTeam) => inTeam.id === member.id),
  );
  const teamProjects = teamProjectsQuery.data ?? [];
  const otherProjects = (projectsQuery.data ?? []).filter(
    (project) => !teamProjects.some((linked) => linked.slug === project.slug),
  );
  const error =
    membershipMutation.error ?? roleMutation.error ?? projectMutation.error ?? deleteMutation.error;

  return (
    <main className="page">
      <div className="page-heading">
        <h1>#{teamSlug}</h1>
        <div className="button-group">
          {self === undefined ? (
            canJoin ? (
              <button
                type="button"
                className="button"
                onClick={() => {
                  membershipMutation.mutate({ memberId: 'me', join: true });
                }}
              >
                Join team
              </button>
            ) : null
          ) : (
            <button
              type="button"
              className="button"
              onClick={() => {
                membershipMutation.mutate({ memberId: 'me', join: false });
              }}
            >
              Leave team
            </button>
          )}
          {access.includes('team:admin') || self?.teamRole === 'admin' ? (
            <button
              type="button"
              className="button button-danger"
              onClick={() => {
                if (window.confirm(`Delete the team #${teamSlug}? Its projects stay.`)) {
                  deleteMutation.mutate();
                }
              }}
            >
              Delete team
            </button>
          ) : null}
        </div>
      </div>
      {error === null ? null : (
        <div className="alert alert-error" role="alert">
          {describeFailure('change the team', error)}
        </div>
      )}

      <h2>Members</h2>
      <table className="data-table" aria-label="Team members">
        <tbody>
          {teamMembers.map((member) => (
            <tr key={member.id}>
              <td>
                {member.name} <span className="text-muted">{member.email}</span>
              </td>
              <td>
                {canManage ? (
                  <select
                    aria-label={`Team role of ${member.email}`}
                    value={member.teamRole}
                    onChange={(event) => {
                      roleMutation.mutate({
                        memberId: member.id,
                        role: event.target.value as TeamRole,
                      });
                    }}
                  >
                    <option value="contributor">{TEAM_ROLE_LABELS.contributor}</option>
                    <option value="admin">{TEAM_ROLE_LABELS.admin}</option>
                  </select>
                ) : (
                  TEAM_ROLE_LABELS[member.teamRole]
                )}
              </td>
              <td>
                {canManage && member.id !== self?.id ? (
                  <button
                    type="button"
                    className="button"
                    onClick={() => {
                      membershipMutation.mutate({ memberId: member.id, join: false });
                    }}
                  >
                    Remove
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {canManage && candidates.length > 0 ? (
        <div className="button-group">
          <select
            aria-label="Member to add"
            value={addMemberId}
            onChange={(event) => {
              setAddMemberId(event.target.value);
            }}
          >
            <option value="">Add a member…</option>
            {candidates.map((member) => (
              <option key={member.id} value={member.id}>
                {member.email}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button"
            disabled={addMemberId === ''}
            onClick={() => {
              membershipMutation.mutate({ memberId: addMemberId, join: true });
            }}
          >
            Add
          </button>
        </div>
      ) : null}

      <h2>Projects</h2>
      <ul>
        {teamProjects.map((project) => (
          <li key={project.slug}>
            {project.slug}{' '}
            {canManage ? (
              <button
                type="button"
                className="button"
                onClick={() => {
                  projectMutation.mutate({ projectSlug: project.slug, add: false });
                }}
              >
                Remove
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {canManage && otherProjects.length > 0 ? (
        <div className="button-group">
          <select
            aria-label="Project to add"
            value={addProject}
            onChange={(event) => {
              setAddProject(event.target.value);
            }}
          >
            <option value="">Add a project…</option>
            {otherProjects.map((project) => (
              <option key={project.slug} value={project.slug}>
                {project.slug}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button"
            disabled={addProject === ''}
            onClick={() => {
              projectMutation.mutate({ projectSlug: addProject, add: true });
            }}
          >
            Add
          </button>
        </div>
      ) : null}
    </main>
  );
}
