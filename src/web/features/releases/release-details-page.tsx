import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useParams } from 'react-router';

import type { ReleaseProject } from '../../../shared/api/releases';
import { EmptyState } from '../../components/empty-state';
import { KeyValueTable } from '../../components/key-value-table';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Panel } from '../../components/panel';
import { RelativeTime } from '../../components/relative-time';
import { isRequestError } from '../../lib/api-client';
import { formatCount } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { ReleaseArtifactsPanel } from '../sourcemaps/release-artifacts-panel';
import { crashFreeClassName, formatCrashFreeRate } from './health-format';
import { releaseOptions } from './query-options';
import { readReleaseVersion } from './release-route';
import './releases.css';

/**
 * Renders one release: when it was seen, its session health in each project, and the source maps
 * and other artifacts uploaded for it.
 */
export function ReleaseDetailsPage() {
  const { orgSlug = '', version: routerVersion = '' } = useParams();
  const version = readReleaseVersion(useLocation().pathname) ?? routerVersion;
  const releaseQuery = useQuery(releaseOptions(orgSlug, version));
  useDocumentTitle([version, 'Releases', orgSlug]);

  if (releaseQuery.isPending) {
    return <LoadingIndicator label="Loading release…" />;
  }

  if (releaseQuery.isError) {
    return (
      <main className="page">
        {isRequestError(releaseQuery.error, 404) ? (
          <EmptyState title="Release not found">
            <Link to={`/organizations/${orgSlug}/releases/`} className="button">
              All releases
            </Link>
          </EmptyState>
        ) : (
          <LoadError
            message="Unable to load the release."
            onRetry={() => void releaseQuery.refetch()}
          />
        )}
      </main>
    );
  }

  const release = releaseQuery.data;

  return (
    <main className="page page-wide">
      <nav className="breadcrumb-nav" aria-label="Breadcrumb">
        <Link to={`/organizations/${orgSlug}/releases/`}>Releases</Link>
      </nav>
      <div className="page-heading">
        <h1 className="release-title" title={release.version}>
          {release.shortVersion}
        </h1>
      </div>

      <div className="release-layout">
        <Panel title="Session health by project" className="release-projects">
          <table className="data-table release-table">
            <thead>
              <tr>
                <th scope="col">Project</th>
                <th scope="col" className="numeric">
                  Sessions
                </th>
                <th scope="col" className="numeric">
                  Crash-free sessions
                </th>
                <th scope="col" className="numeric">
                  Users
                </th>
                <th scope="col" className="numeric">
                  Crash-free users
                </th>
                <th scope="col" className="numeric">
                  Crashed
                </th>
                <th scope="col" className="numeric">
                  Errored
                </th>
                <th scope="col" className="numeric">
                  Abnormal
                </th>
                <th scope="col" className="numeric">
                  New issues
                </th>
              </tr>
            </thead>
            <tbody>
              {release.projects.map((project) => (
                <ProjectHealthRow key={project.id} project={project} />
              ))}
            </tbody>
          </table>
        </Panel>

        <Panel title="Details" className="release-details">
          <KeyValueTable
            rows={[
              { key: 'Version', value: release.version },
              { key: 'Package', value: release.versionInfo.package ?? '—' },
              { key: 'New issues', value: String(release.newGroups) },
            ]}
          />
          <dl className="release-dates">
            <dt>Created</dt>
            <dd>
              <RelativeTime date={release.dateCreated} />
            </dd>
            <dt>First event</dt>
            <dd>
              <RelativeTime date={release.firstEvent} />
            </dd>
            <dt>Last event</dt>
            <dd>
              <RelativeTime date={release.lastEvent} />
            </dd>
          </dl>
        </Panel>
      </div>

      <ReleaseArtifactsPanel orgSlug={orgSlug} release={release} />
    </main>
  );
}

function ProjectHealthRow({ project }: { project: ReleaseProject }) {
  const health = project.healthData;
  const count = (value: number | undefined) =>
    health?.hasHealthData === true && value !== undefined ? formatCount(value) : '—';

  return (
    <tr data-project={project.slug}>
      <th scope="row">{project.slug}</th>
      <td className="numeric">{count(health?.totalSessions)}</td>
      <td className="numeric">
        <span className={crashFreeClassName(health?.crashFreeSessions ?? null)}>
          {formatCrashFreeRate(health?.crashFreeSessions ?? null)}
        </span>
      </td>
      <td className="numeric">{count(health?.totalUsers)}</td>
      <td className="numeric">
        <span className={crashFreeClassName(health?.crashFreeUsers ?? null)}>
          {formatCrashFreeRate(health?.crashFreeUsers ?? null)}
        </span>
      </td>
      <td className="numeric">{count(health?.sessionsCrashed)}</td>
      <td className="numeric">{count(health?.sessionsErrored)}</td>
      <td className="numeric">{count(health?.sessionsAbnormal)}</td>
      <td className="numeric">{formatCount(project.newGroups)}</td>
    </tr>
  );
}
