import './sourcemaps.css';

import { useQueries, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';

import type { Release } from '../../../shared/api/releases';
import type { ArtifactBundle } from '../../../shared/api/sourcemaps';
import { EventText } from '../../components/event-text';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Panel } from '../../components/panel';
import { RelativeTime } from '../../components/relative-time';
import { formatCount } from '../../lib/format';
import { countArtifactFiles } from './artifact-responses';
import {
  artifactBundlesOptions,
  releaseFilesOptions,
  sourceMapsSettingsPath,
} from './query-options';
import { ReleaseFileTable } from './release-file-table';

interface ReleaseArtifactsPanelProps {
  orgSlug: string;
  release: Release;
}

/** A bundle of the release, with the project whose bundle list it came from. */
interface ProjectBundle {
  projectSlug: string;
  bundle: ArtifactBundle;
}

/**
 * Lists what was uploaded for a release: the artifact bundles of its projects that carry this
 * release, and the files uploaded to the release one by one. The title counts their files.
 */
export function ReleaseArtifactsPanel({ orgSlug, release }: ReleaseArtifactsPanelProps) {
  const filesQuery = useQuery(releaseFilesOptions(orgSlug, release.version, null));
  // NOTE: Only the first page of bundles whose ID or release contains the version is read, so a
  // release with more than a page of matching bundles is undercounted here.
  const bundleQueries = useQueries({
    queries: release.projects.map((project) =>
      artifactBundlesOptions(orgSlug, project.slug, release.version, null),
    ),
  });
  const bundles: ProjectBundle[] = bundleQueries.flatMap((query, index) =>
    (query.data?.items ?? [])
      .filter((bundle) => bundle.release === release.version)
      .map((bundle) => ({ projectSlug: release.projects[index]?.slug ?? '', bundle })),
  );
  const isBundleListLoaded = bundleQueries.every((query) => query.isSuccess);
  const count = isBundleListLoaded
    ? countArtifactFiles({
        bundleFileCounts: bundles.map(({ bundle }) => bundle.fileCount),
        releaseFiles: filesQuery.data ?? null,
      })
    : null;

  return (
    <Panel
      title="Artifacts"
      className="release-artifacts"
      actions={
        count === null ? null : (
          <span className="muted" data-testid="artifact-count">
            {count.text} {count.isOne ? 'file' : 'files'}
          </span>
        )
      }
    >
      <h3 className="release-artifacts-heading">Artifact bundles</h3>
      {bundleQueries.some((query) => query.isPending) ? (
        <LoadingIndicator label="Loading bundles…" />
      ) : null}
      {bundleQueries.some((query) => query.isError) ? (
        <LoadError
          message="Unable to load the artifact bundles of this release."
          onRetry={() => {
            for (const query of bundleQueries) {
              if (query.isError) {
                void query.refetch();
              }
            }
          }}
        />
      ) : null}
      {bundles.length > 0 ? <BundleTable orgSlug={orgSlug} bundles={bundles} /> : null}
      {bundles.length === 0 && isBundleListLoaded ? (
        <p className="muted">No bundle was uploaded with this release.</p>
      ) : null}
      <h3 className="release-artifacts-heading">Release files</h3>
      <ReleaseFileTable orgSlug={orgSlug} version={release.version} />
    </Panel>
  );
}

function BundleTable({ orgSlug, bundles }: { orgSlug: string; bundles: ProjectBundle[] }) {
  return (
    <table className="data-table artifact-table" aria-label="Artifact bundles of this release">
      <thead>
        <tr>
          <th scope="col">Bundle ID</th>
          <th scope="col">Project</th>
          <th scope="col">Distribution</th>
          <th scope="col" className="numeric">
            Files
          </th>
          <th scope="col">Uploaded</th>
        </tr>
      </thead>
      <tbody>
        {bundles.map(({ projectSlug, bundle }) => (
          <tr key={`${projectSlug}-${bundle.bundleId}`}>
            <td className="artifact-id">{bundle.bundleId}</td>
            <td>
              <Link to={sourceMapsSettingsPath(orgSlug, projectSlug)}>{projectSlug}</Link>
            </td>
            <td>
              {bundle.dist === null ? (
                <span className="muted">—</span>
              ) : (
                <EventText>{bundle.dist}</EventText>
              )}
            </td>
            <td className="numeric">{formatCount(bundle.fileCount)}</td>
            <td>
              <RelativeTime date={bundle.date} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
