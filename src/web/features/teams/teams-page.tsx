import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { Link, useParams } from 'react-router';

import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { createTeam } from '../../lib/api-mutations';
import { queryKeys, teamsOptions } from '../../lib/query-options';
import { useDocumentTitle } from '../../lib/use-document-title';
import { describeFailure } from '../../lib/user-message';
import { organizationSettingsOptions } from '../members/members-api';

/** Renders the organization's teams, with a form to create one for roles with `team:write`. */
export function TeamsPage() {
  const { orgSlug = '' } = useParams();
  const queryClient = useQueryClient();
  const teamsQuery = useQuery(teamsOptions(orgSlug));
  const settingsQuery = useQuery(organizationSettingsOptions(orgSlug));
  const [name, setName] = useState('');
  useDocumentTitle(['Teams', orgSlug]);

  const createMutation = useMutation({
    mutationFn: () => createTeam(orgSlug, { name: name.trim() }),
    onSuccess: async () => {
      setName('');
      await queryClient.invalidateQueries({ queryKey: queryKeys.teams(orgSlug) });
    },
  });

  if (teamsQuery.isPending) {
    return <LoadingIndicator />;
  }
  if (teamsQuery.isError) {
    return (
      <main className="page">
        <LoadError message="Unable to load the teams." onRetry={() => void teamsQuery.refetch()} />
      </main>
    );
  }

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    createMutation.mutate();
  }

  const canCreate = settingsQuery.data?.access.includes('team:write') === true;
  return (
    <main className="page">
      <div className="page-heading">
        <h1>Teams</h1>
      </div>
      <table className="data-table" aria-label="Teams">
        <thead>
          <tr>
            <th>Team</th>
            <th>Members</th>
          </tr>
        </thead>
        <tbody>
          {teamsQuery.data.map((team) => (
            <tr key={team.slug}>
              <td>
                <Link to={`/settings/${orgSlug}/teams/${team.slug}/`}>#{team.slug}</Link>
              </td>
              <td>{(team as { memberCount?: number }).memberCount ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {canCreate ? (
        <form className="form panel panel-padded" onSubmit={handleSubmit} aria-label="Create team">
          <label className="field">
            <span className="field-label">New team</span>
            <input
              name="name"
              required
              maxLength={64}
              value={name}
              onChange={(event) => {
                setName(event.target.value);
              }}
            />
          </label>
          {createMutation.isError ? (
            <div className="alert alert-error" role="alert">
              {describeFailure('create the team', createMutation.error)}
            </div>
          ) : null}
          <button type="submit" className="button" disabled={createMutation.isPending}>
            Create team
          </button>
        </form>
      ) : null}
    </main>
  );
}
