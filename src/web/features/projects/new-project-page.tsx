import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { useNavigate, useParams } from 'react-router';

import type { Project } from '../../../shared/api/accounts';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { createProject, createTeam } from '../../lib/api-mutations';
import { queryKeys, teamsOptions } from '../../lib/query-options';
import { useDocumentTitle } from '../../lib/use-document-title';
import { describeFailure } from '../../lib/user-message';
import { PLATFORMS } from './platforms';

interface NewProjectInput {
  name: string;
  platform: string;
  /** Slug of the team that will own the project, or null to create the default team first. */
  teamSlug: string | null;
}

export function NewProjectPage() {
  const { orgSlug = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const teamsQuery = useQuery(teamsOptions(orgSlug));
  const [name, setName] = useState('');
  const [platform, setPlatform] = useState('javascript');
  const [chosenTeamSlug, setChosenTeamSlug] = useState<string | null>(null);
  useDocumentTitle(['New project', orgSlug]);

  const createMutation = useMutation({
    mutationFn: async (input: NewProjectInput): Promise<Project> => {
      // An organization made by another client may have no team yet. Sentry names the
      // default team after the organization, so this does the same.
      const teamSlug = input.teamSlug ?? (await createTeam(orgSlug, { name: orgSlug })).slug;
      return createProject(orgSlug, teamSlug, { name: input.name, platform: input.platform });
    },
    onSuccess: async (project) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.projects(orgSlug) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.teams(orgSlug) }),
      ]);
      await navigate(`/settings/${orgSlug}/projects/${project.slug}/keys/`, {
        state: { isNewProject: true },
      });
    },
  });

  if (teamsQuery.isPending) {
    return <LoadingIndicator />;
  }

  if (teamsQuery.isError) {
    return (
      <main className="page page-narrow">
        <LoadError message="Unable to load teams." onRetry={() => void teamsQuery.refetch()} />
      </main>
    );
  }

  const teams = teamsQuery.data;
  const teamSlug = chosenTeamSlug ?? teams[0]?.slug ?? null;

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    createMutation.mutate({ name: name.trim(), platform, teamSlug });
  }

  return (
    <main className="page page-narrow">
      <div className="page-heading">
        <h1>Create a project</h1>
      </div>
      <p className="page-intro">
        A project receives the events of one application. Each has its own DSN.
      </p>
      <form className="form panel panel-padded" onSubmit={handleSubmit}>
        <fieldset className="field">
          <legend className="field-label">Platform</legend>
          <div className="platform-grid">
            {PLATFORMS.map((option) => (
              <label
                key={option.id}
                className={
                  option.id === platform ? 'platform-card platform-card-selected' : 'platform-card'
                }
              >
                <input
                  type="radio"
                  name="platform"
                  value={option.id}
                  checked={option.id === platform}
                  onChange={() => {
                    setPlatform(option.id);
                  }}
                />
                {option.label}
              </label>
            ))}
          </div>
        </fieldset>
        <label className="field">
          <span className="field-label">Project name</span>
          <input
            name="name"
            required
            autoFocus
            maxLength={64}
            placeholder="my-app"
            value={name}
            onChange={(event) => {
              setName(event.target.value);
            }}
          />
        </label>
        {teams.length > 1 ? (
          <label className="field">
            <span className="field-label">Team</span>
            <select
              name="team"
              value={teamSlug ?? ''}
              onChange={(event) => {
                setChosenTeamSlug(event.target.value);
              }}
            >
              {teams.map((team) => (
                <option key={team.id} value={team.slug}>
                  {team.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {createMutation.isError ? (
          <div className="alert alert-error" role="alert">
            {describeFailure('create the project', createMutation.error)}
          </div>
        ) : null}
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={createMutation.isPending}
          >
            {createMutation.isPending ? 'Creating…' : 'Create project'}
          </button>
        </div>
      </form>
    </main>
  );
}
