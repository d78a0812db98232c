import './data-deletion.css';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { useNavigate, useParams } from 'react-router';

import type { Project } from '../../../shared/api/accounts';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Panel } from '../../components/panel';
import { queryKeys } from '../../lib/query-options';
import { useDocumentTitle } from '../../lib/use-document-title';
import { describeFailure } from '../../lib/user-message';
import { PLATFORMS } from '../projects/platforms';
import { DataRetentionPanel } from '../settings/data-retention-panel';
import { deleteProject, fetchProject, updateProject } from './api';

const projectQueryKey = (orgSlug: string, projectSlug: string) =>
  ['projects', orgSlug, projectSlug, 'general'] as const;

/** Renders a project's name and platform with a save button, and the danger zone. */
export function ProjectGeneralPage() {
  const { orgSlug = '', projectSlug = '' } = useParams();
  const projectQuery = useQuery({
    queryKey: projectQueryKey(orgSlug, projectSlug),
    queryFn: ({ signal }) => fetchProject(orgSlug, projectSlug, signal),
  });
  useDocumentTitle(['General Settings', projectSlug, orgSlug]);

  if (projectQuery.isPending) {
    return <LoadingIndicator />;
  }
  if (projectQuery.isError) {
    return (
      <main className="page">
        <LoadError
          message="Unable to load the project."
          onRetry={() => void projectQuery.refetch()}
        />
      </main>
    );
  }

  const project = projectQuery.data;
  return (
    <main className="page page-narrow">
      <div className="page-heading">
        <div>
          <div className="page-kicker">{project.slug}</div>
          <h1>General Settings</h1>
        </div>
      </div>
      <ProjectDetailsForm key={project.id} orgSlug={orgSlug} project={project} />
      <DataRetentionPanel orgSlug={orgSlug} projectSlug={project.slug} />
      <DangerZone orgSlug={orgSlug} project={project} />
    </main>
  );
}

function ProjectDetailsForm({ orgSlug, project }: { orgSlug: string; project: Project }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(project.name);
  const [platform, setPlatform] = useState(project.platform ?? '');
  const saveMutation = useMutation({
    mutationFn: () => updateProject(orgSlug, project.slug, { name, platform: platform || null }),
    onSuccess: async (saved) => {
      queryClient.setQueryData(projectQueryKey(orgSlug, project.slug), saved);
      await queryClient.invalidateQueries({ queryKey: queryKeys.projects(orgSlug) });
    },
  });
  const knownPlatform = PLATFORMS.some((option) => option.id === platform);

  const handleSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    saveMutation.mutate();
  };

  return (
    <Panel title="Project details">
      <form className="form" onSubmit={handleSubmit}>
        <label className="field">
          <span className="field-label">Name</span>
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
        <label className="field">
          <span className="field-label">Platform</span>
          <select
            name="platform"
            value={platform}
            onChange={(event) => {
              setPlatform(event.target.value);
            }}
          >
            <option value="">None</option>
            {PLATFORMS.map((option) => (
              <option key={option.id} value={option.id}>
                {option.label}
              </option>
            ))}
            {platform !== '' && !knownPlatform ? (
              <option value={platform}>{platform}</option>
            ) : null}
          </select>
        </label>
        {saveMutation.isError ? (
          <div className="alert alert-error" role="alert">
            {describeFailure('save the project', saveMutation.error)}
          </div>
        ) : null}
        {saveMutation.isSuccess ? (
          <div className="alert alert-info" role="status">
            Saved.
          </div>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={saveMutation.isPending}>
            {saveMutation.isPending ? 'Saving…' : 'Save changes'}
          </button>
        </div>
      </form>
    </Panel>
  );
}

/** Deletes the project after its slug is typed, then leaves for the issue list. */
function DangerZone({ orgSlug, project }: { orgSlug: string; project: Project }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [confirmation, setConfirmation] = useState('');
  const deleteMutation = useMutation({
    mutationFn: () => deleteProject(orgSlug, project.slug),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: ['projects', orgSlug, project.slug] });
      await queryClient.invalidateQueries({ queryKey: queryKeys.projects(orgSlug) });
      await navigate(`/organizations/${orgSlug}/issues/`, { replace: true });
    },
  });

  const handleSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (confirmation === project.slug) {
      deleteMutation.mutate();
    }
  };

  return (
    <Panel title="Danger zone" className="danger-zone">
      <form className="form" onSubmit={handleSubmit}>
        <p>
          Deleting the project removes its events, issues, attachments, release-health data and
          client keys for good. SDKs that still use its DSN are rejected from then on.
        </p>
        <label className="field">
          <span className="field-label">
            Type <strong>{project.slug}</strong> to confirm
          </span>
          <input
            name="confirm"
            autoComplete="off"
            value={confirmation}
            onChange={(event) => {
              setConfirmation(event.target.value);
            }}
          />
        </label>
        {deleteMutation.isError ? (
          <div className="alert alert-error" role="alert">
            {describeFailure('delete the project', deleteMutation.error)}
          </div>
        ) : null}
        <div className="form-actions">
          <button
            type="submit"
            className="button button-danger"
            disabled={confirmation !== project.slug || deleteMutation.isPending}
          >
            {deleteMutation.isPending ? 'Deleting…' : 'Delete project'}
          </button>
        </div>
      </form>
    </Panel>
  );
}
