import { useQuery } from '@tanstack/react-query';
import { Fragment } from 'react';
import { Link, useLocation, useParams } from 'react-router';

import { EmptyState } from '../../components/empty-state';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { projectKeysOptions, projectsOptions } from '../../lib/query-options';
import { useDocumentTitle } from '../../lib/use-document-title';
import { FirstEventStatus } from './first-event-status';
import { KeySettingsPanel, type ProjectKeyWithSettings } from './key-settings-panel';
import { platformLabel } from './platforms';
import { ProjectIngestPanel } from './project-ingest-panel';
import { ProjectKeyPanel } from './project-key-panel';
import { SetupInstructions } from './setup-instructions';

/** How often the page checks for the project's first event while it has none. */
const FIRST_EVENT_POLL_MS = 5000;

/**
 * Renders the project's client keys and SDK setup instructions. It is also the page shown
 * right after the project is created.
 */
export function ProjectKeysPage() {
  const { orgSlug = '', projectSlug = '' } = useParams();
  const location = useLocation();
  const isNewProject = (location.state as { isNewProject?: boolean } | null)?.isNewProject === true;

  const projectsQuery = useQuery({
    ...projectsOptions(orgSlug),
    refetchInterval: (query) => {
      const project = query.state.data?.find((candidate) => candidate.slug === projectSlug);
      return project !== undefined && project.firstEvent === null ? FIRST_EVENT_POLL_MS : false;
    },
  });
  const keysQuery = useQuery(projectKeysOptions(orgSlug, projectSlug));
  useDocumentTitle(['Client Keys', projectSlug, orgSlug]);

  if (projectsQuery.isPending) {
    return <LoadingIndicator />;
  }

  if (projectsQuery.isError) {
    return (
      <main className="page">
        <LoadError
          message="Unable to load the organization's projects."
          onRetry={() => void projectsQuery.refetch()}
        />
      </main>
    );
  }

  const project = projectsQuery.data.find((candidate) => candidate.slug === projectSlug);
  if (project === undefined) {
    return (
      <main className="page">
        <EmptyState title={`Project "${projectSlug}" not found`}>
          <Link to={`/organizations/${orgSlug}/projects/new/`} className="button">
            Create a project
          </Link>
        </EmptyState>
      </main>
    );
  }

  if (keysQuery.isPending) {
    return <LoadingIndicator />;
  }

  if (keysQuery.isError) {
    return (
      <main className="page">
        <LoadError
          message="Unable to load the project's client keys."
          onRetry={() => void keysQuery.refetch()}
        />
      </main>
    );
  }

  // The keys API also returns each key's rate limit and allowed domains.
  const keys = keysQuery.data as ProjectKeyWithSettings[];
  const setupKey = keys.find((key) => key.isActive) ?? keys[0];

  return (
    <main className="page">
      <div className="page-heading">
        <div>
          <div className="page-kicker">
            {project.slug} · {platformLabel(project.platform)}
          </div>
          <h1>{isNewProject ? `Set up ${project.name}` : 'Client Keys (DSN)'}</h1>
        </div>
        <div className="button-group">
          <Link to={`/settings/${orgSlug}/projects/${project.slug}/filters/`} className="button">
            Inbound filters
          </Link>
          <Link to={`/settings/${orgSlug}/projects/${project.slug}/grouping/`} className="button">
            Grouping
          </Link>
          <Link
            to={`/settings/${orgSlug}/projects/${project.slug}/source-maps/`}
            className="button"
          >
            Source maps
          </Link>
          <Link to={`/organizations/${orgSlug}/issues/?project=${project.id}`} className="button">
            View issues
          </Link>
        </div>
      </div>

      <FirstEventStatus orgSlug={orgSlug} project={project} />

      {keys.length === 0 ? (
        <EmptyState title="This project has no client keys">
          <p>Events can only be sent with a client key. Create one with the API.</p>
        </EmptyState>
      ) : (
        keys.map((key) => (
          <Fragment key={key.id}>
            <ProjectKeyPanel projectKey={key} />
            <KeySettingsPanel orgSlug={orgSlug} projectSlug={project.slug} projectKey={key} />
          </Fragment>
        ))
      )}

      <ProjectIngestPanel orgSlug={orgSlug} projectSlug={project.slug} />

      {setupKey === undefined ? null : (
        <SetupInstructions dsn={setupKey.dsn.public} platform={project.platform} />
      )}
    </main>
  );
}
