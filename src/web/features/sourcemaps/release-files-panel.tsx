import { useQueries, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';

import type { Release } from '../../../shared/api/releases';
import { EventText } from '../../components/event-text';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Panel } from '../../components/panel';
import { RelativeTime } from '../../components/relative-time';
import { releaseListOptions, releasePath } from '../releases/query-options';
import { CursorPagination } from './cursor-pagination';
import { releaseFilesOptions } from './query-options';
import { ReleaseFileTable } from './release-file-table';
import { splitReleasesByFiles } from './release-file-groups';

interface ReleaseFilesPanelProps {
  orgSlug: string;
  /** Numeric id of the project, which filters the release list. */
  projectId: string;
}

/**
 * Lists the releases of a project that have files uploaded one by one (legacy release files, as
 * older sentry-cli versions upload them), each expandable to its files. Releases without such
 * files are folded into one line.
 */
export function ReleaseFilesPanel({ orgSlug, projectId }: ReleaseFilesPanelProps) {
  const [cursor, setCursor] = useState<string | null>(null);
  const releasesQuery = useQuery(releaseListOptions(orgSlug, { query: '', projectId, cursor }));
  const pageLinks = releasesQuery.data?.pageLinks;
  const releases = releasesQuery.data?.releases ?? [];
  // The first page of each release's files, which the table reuses from the cache when opened.
  const fileQueries = useQueries({
    queries: releases.map((release) => releaseFilesOptions(orgSlug, release.version, null)),
  });
  const isCounting = fileQueries.some((query) => query.isPending);
  const groups = splitReleasesByFiles(
    releases,
    fileQueries.map((query) =>
      query.isSuccess ? (query.data.total ?? query.data.items.length) : null,
    ),
  );

  return (
    <Panel title="Release files" className="release-files">
      <p className="muted">
        Files uploaded to a release one at a time. Bundles uploaded with a release are listed above.
      </p>
      {releasesQuery.isPending || isCounting ? (
        <LoadingIndicator label="Loading releases…" />
      ) : null}
      {releasesQuery.isError ? (
        <LoadError
          message="Unable to load the releases of this project."
          onRetry={() => void releasesQuery.refetch()}
        />
      ) : null}
      {releasesQuery.isSuccess && releases.length === 0 ? (
        <p className="muted">This project has no releases yet.</p>
      ) : null}
      {releasesQuery.isSuccess && !isCounting && groups.withFiles.length > 0 ? (
        <ul className="release-file-groups">
          {groups.withFiles.map((release) => (
            <ReleaseFileGroup key={release.version} orgSlug={orgSlug} release={release} />
          ))}
        </ul>
      ) : null}
      {releasesQuery.isSuccess && !isCounting && groups.withoutFiles.length > 0 ? (
        <ReleasesWithoutFiles
          orgSlug={orgSlug}
          releases={groups.withoutFiles}
          isPaged={pageLinks?.next?.hasResults === true || pageLinks?.previous?.hasResults === true}
        />
      ) : null}
      <CursorPagination pageLinks={pageLinks} onCursorChange={setCursor} />
    </Panel>
  );
}

interface ReleasesWithoutFilesProps {
  orgSlug: string;
  releases: Release[];
  /** Whether the release list has other pages, whose releases the count leaves out. */
  isPaged: boolean;
}

function ReleasesWithoutFiles({ orgSlug, releases, isPaged }: ReleasesWithoutFilesProps) {
  const count = releases.length;

  return (
    <details className="releases-without-files">
      <summary>
        {count === 1 ? '1 release' : `${count} releases`} without files
        {isPaged ? ' on this page' : ''}
      </summary>
      <ul>
        {releases.map((release) => (
          <li key={release.version} data-release-without-files={release.version}>
            <Link to={releasePath(orgSlug, release.version)}>
              <EventText>{release.version}</EventText>
            </Link>
          </li>
        ))}
      </ul>
    </details>
  );
}

function ReleaseFileGroup({ orgSlug, release }: { orgSlug: string; release: Release }) {
  const [isOpen, setIsOpen] = useState(false);

  return (
    <li className="release-file-group" data-release={release.version}>
      <div className="release-file-group-header">
        <button
          type="button"
          className="artifact-row-toggle"
          aria-expanded={isOpen}
          onClick={() => {
            setIsOpen((current) => !current);
          }}
        >
          <span aria-hidden="true">{isOpen ? '▾ ' : '▸ '}</span>
          Files of <EventText>{release.version}</EventText>
        </button>
        <span className="muted">
          <RelativeTime date={release.dateCreated} prefix="created" /> ·{' '}
          <Link to={releasePath(orgSlug, release.version)}>release page</Link>
        </span>
      </div>
      {isOpen ? <ReleaseFileTable orgSlug={orgSlug} version={release.version} /> : null}
    </li>
  );
}
