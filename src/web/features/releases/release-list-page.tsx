import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';

import type { Release } from '../../../shared/api/releases';
import { EmptyState } from '../../components/empty-state';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Pagination } from '../../components/pagination';
import { RelativeTime } from '../../components/relative-time';
import { formatCount } from '../../lib/format';
import { projectsOptions } from '../../lib/query-options';
import { useDocumentTitle } from '../../lib/use-document-title';
import { crashFreeClassName, formatCrashFreeRate } from './health-format';
import {
  releaseListOptions,
  releasePath,
  type ReleaseListParams,
  type ReleaseListResult,
} from './query-options';
import { VersionSearchForm } from './version-search-form';
import './releases.css';

/** Renders an organization's releases with sessions and crash-free rates per project. */
export function ReleaseListPage() {
  const { orgSlug = '' } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const params: ReleaseListParams = {
    query: searchParams.get('query') ?? '',
    projectId: searchParams.get('project'),
    cursor: searchParams.get('cursor'),
  };
  const releasesQuery = useQuery(releaseListOptions(orgSlug, params));
  const projectsQuery = useQuery(projectsOptions(orgSlug));
  useDocumentTitle(['Releases', orgSlug]);

  function changeSearch(changes: Partial<Record<'query' | 'project' | 'cursor', string | null>>) {
    const next = new URLSearchParams(searchParams);
    if (!('cursor' in changes)) {
      next.delete('cursor');
    }
    for (const [name, value] of Object.entries(changes)) {
      if (value === null || value === '') {
        next.delete(name);
      } else {
        next.set(name, value);
      }
    }
    setSearchParams(next);
  }

  const pageLinks = releasesQuery.data?.pageLinks;

  return (
    <main className="page page-wide">
      <div className="page-heading">
        <h1>Releases</h1>
      </div>
      <div className="issue-toolbar">
        <VersionSearchForm
          key={params.query}
          initialText={params.query}
          onSearch={(query) => {
            changeSearch({ query });
          }}
        />
        <label className="sort-select">
          <span>Project</span>
          <select
            aria-label="Filter by project"
            value={params.projectId ?? ''}
            onChange={(event) => {
              changeSearch({ project: event.target.value });
            }}
          >
            <option value="">All projects</option>
            {(projectsQuery.data ?? []).map((project) => (
              <option key={project.id} value={project.id}>
                {project.slug}
              </option>
            ))}
          </select>
        </label>
      </div>

      <section className="panel" aria-busy={releasesQuery.isFetching}>
        <ReleaseListBody orgSlug={orgSlug} query={releasesQuery} />
      </section>

      {pageLinks === undefined ||
      (pageLinks.previous?.hasResults !== true && pageLinks.next?.hasResults !== true) ? null : (
        <Pagination
          hasPrevious={pageLinks.previous?.hasResults === true}
          hasNext={pageLinks.next?.hasResults === true}
          onPrevious={() => {
            changeSearch({ cursor: pageLinks.previous?.cursor ?? null });
          }}
          onNext={() => {
            changeSearch({ cursor: pageLinks.next?.cursor ?? null });
          }}
        />
      )}
    </main>
  );
}

interface ReleaseListBodyProps {
  orgSlug: string;
  query: UseQueryResult<ReleaseListResult>;
}

function ReleaseListBody({ orgSlug, query }: ReleaseListBodyProps) {
  if (query.isPending) {
    return <LoadingIndicator label="Loading releases…" />;
  }
  if (query.isError) {
    return <LoadError message="Unable to load releases." onRetry={() => void query.refetch()} />;
  }
  if (query.data.releases.length === 0) {
    return (
      <EmptyState title="No releases yet">
        <p className="muted">
          A release appears here when an SDK sends a session or an error event with a release set in
          its options.
        </p>
      </EmptyState>
    );
  }

  return (
    <table className="data-table release-table">
      <thead>
        <tr>
          <th scope="col">Version</th>
          <th scope="col">Project</th>
          <th scope="col" className="numeric">
            Sessions
          </th>
          <th scope="col" className="numeric">
            Crash-free sessions
          </th>
          <th scope="col" className="numeric">
            Crash-free users
          </th>
          <th scope="col" className="numeric">
            New issues
          </th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      {query.data.releases.map((release) => (
        <ReleaseRows key={release.version} orgSlug={orgSlug} release={release} />
      ))}
    </table>
  );
}

function ReleaseRows({ orgSlug, release }: { orgSlug: string; release: Release }) {
  const projects = release.projects.length > 0 ? release.projects : [null];

  return (
    <tbody className="release-group" data-release={release.version}>
      {projects.map((project, index) => (
        <tr key={project?.id ?? 'none'}>
          {index === 0 ? (
            <th scope="rowgroup" rowSpan={projects.length} className="release-version">
              <Link to={releasePath(orgSlug, release.version)} title={release.version}>
                {release.shortVersion}
              </Link>
              {release.shortVersion === release.version ? null : (
                <div className="muted release-version-full">{release.version}</div>
              )}
            </th>
          ) : null}
          <td>{project?.slug ?? '—'}</td>
          <td className="numeric">
            {project?.healthData?.hasHealthData === true
              ? formatCount(project.healthData.totalSessions)
              : '—'}
          </td>
          <td className="numeric">
            <span className={crashFreeClassName(project?.healthData?.crashFreeSessions ?? null)}>
              {formatCrashFreeRate(project?.healthData?.crashFreeSessions ?? null)}
            </span>
          </td>
          <td className="numeric">
            <span className={crashFreeClassName(project?.healthData?.crashFreeUsers ?? null)}>
              {formatCrashFreeRate(project?.healthData?.crashFreeUsers ?? null)}
            </span>
          </td>
          <td className="numeric">{project === null ? '—' : formatCount(project.newGroups)}</td>
          <td>{index === 0 ? <RelativeTime date={release.dateCreated} /> : null}</td>
        </tr>
      ))}
    </tbody>
  );
}
