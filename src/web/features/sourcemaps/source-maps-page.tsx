import './sourcemaps.css';

import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';

import { EmptyState } from '../../components/empty-state';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { projectsOptions } from '../../lib/query-options';
import { useDocumentTitle } from '../../lib/use-document-title';
import { releaseListOptions } from '../releases/query-options';
import { ArtifactBundlesPanel } from './artifact-bundles-panel';
import { ReleaseFilesPanel } from './release-files-panel';
import { UploadHelp } from './upload-help';

/**
 * Renders a project's uploaded source maps: artifact bundles with their files, files uploaded
 * to each release, and the sentry-cli commands that upload more.
 */
export function SourceMapsPage() {
  const { orgSlug = '', projectSlug = '' } = useParams();
  const projectsQuery = useQuery(projectsOptions(orgSlug));
  const project = projectsQuery.data?.find((candidate) => candidate.slug === projectSlug);
  const newestReleaseQuery = useQuery({
    ...releaseListOptions(orgSlug, { query: '', projectId: project?.id ?? null, cursor: null }),
    enabled: project !== undefined,
  });
  useDocumentTitle(['Source Maps', projectSlug, orgSlug]);

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

  if (project === undefined) {
    return (
      <main className="page">
        <EmptyState title={`Project "${projectSlug}" not found`}>
          <p>It does not exist in this organization, or you cannot see it.</p>
        </EmptyState>
      </main>
    );
  }

  const target = { orgSlug, projectSlug: project.slug };
  const uploadHelp = (
    <UploadHelp target={target} release={newestReleaseQuery.data?.releases[0]?.version ?? null} />
  );

  return (
    <main className="page source-maps-page">
      <div className="page-heading">
        <div>
          <div className="page-kicker">{project.slug}</div>
          <h1>Source Maps</h1>
        </div>
        <div className="button-group">
          <Link to={`/settings/${orgSlug}/projects/${project.slug}/keys/`} className="button">
            Client keys
          </Link>
          <Link to={`/settings/${orgSlug}/projects/${project.slug}/filters/`} className="button">
            Inbound filters
          </Link>
          <Link to={`/settings/${orgSlug}/projects/${project.slug}/grouping/`} className="button">
            Grouping
          </Link>
        </div>
      </div>
      <p className="page-intro">
        Picket maps minified JavaScript frames back to the original source with the maps uploaded
        here. It looks a map up by the debug ID of the file first, then by the release of the event
        and the URL of the file. Each frame on the issue page says which way worked, or what is
        missing.
      </p>
      <ArtifactBundlesPanel orgSlug={orgSlug} projectSlug={project.slug} uploadHelp={uploadHelp} />
      <ReleaseFilesPanel orgSlug={orgSlug} projectId={project.id} />
    </main>
  );
}
