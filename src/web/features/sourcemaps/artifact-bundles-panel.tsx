import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';

import { EmptyState } from '../../components/empty-state';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Panel } from '../../components/panel';
import { SearchForm } from '../../components/search-form';
import { ArtifactBundleRows } from './artifact-bundle-rows';
import { CursorPagination } from './cursor-pagination';
import { artifactBundlesOptions } from './query-options';

interface ArtifactBundlesPanelProps {
  orgSlug: string;
  projectSlug: string;
  /** How to upload: the empty state shows it, and a list of bundles offers it folded. */
  uploadHelp: ReactNode;
}

/**
 * Lists the artifact bundles that serve a project, newest first as the API returns them, with
 * a search by bundle ID or release.
 */
export function ArtifactBundlesPanel({
  orgSlug,
  projectSlug,
  uploadHelp,
}: ArtifactBundlesPanelProps) {
  const [query, setQuery] = useState('');
  const [cursor, setCursor] = useState<string | null>(null);
  const bundlesQuery = useQuery(artifactBundlesOptions(orgSlug, projectSlug, query, cursor));
  const pageLinks = bundlesQuery.data?.pageLinks;

  return (
    <Panel title="Artifact bundles" className="artifact-bundles">
      <SearchForm
        label="Search bundles"
        placeholder="Bundle ID or release"
        initialText={query}
        onSearch={(text) => {
          setQuery(text.trim());
          setCursor(null);
        }}
      />
      {bundlesQuery.isPending ? <LoadingIndicator label="Loading bundles…" /> : null}
      {bundlesQuery.isError ? (
        <LoadError
          message="Unable to load the artifact bundles."
          onRetry={() => void bundlesQuery.refetch()}
        />
      ) : null}
      {bundlesQuery.isSuccess && bundlesQuery.data.items.length === 0 ? (
        query === '' && cursor === null ? (
          <EmptyState title="No artifact bundles uploaded yet">{uploadHelp}</EmptyState>
        ) : (
          <p className="muted">No bundle matches this search.</p>
        )
      ) : null}
      {bundlesQuery.isSuccess && bundlesQuery.data.items.length > 0 ? (
        <table className="data-table artifact-table" aria-busy={bundlesQuery.isFetching}>
          <thead>
            <tr>
              <th scope="col">Bundle ID</th>
              <th scope="col">Release</th>
              <th scope="col">Distribution</th>
              <th scope="col" className="numeric">
                Files
              </th>
              <th scope="col">Uploaded</th>
              <th scope="col" className="numeric">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          {bundlesQuery.data.items.map((bundle) => (
            <ArtifactBundleRows
              key={`${bundle.bundleId}\n${bundle.release ?? ''}\n${bundle.dist ?? ''}\n${bundle.date}`}
              orgSlug={orgSlug}
              projectSlug={projectSlug}
              bundle={bundle}
            />
          ))}
        </table>
      ) : null}
      {bundlesQuery.isSuccess && bundlesQuery.data.items.length > 0 ? (
        <details className="upload-help-more">
          <summary>How to upload more source maps</summary>
          {uploadHelp}
        </details>
      ) : null}
      <CursorPagination pageLinks={pageLinks} onCursorChange={setCursor} />
    </Panel>
  );
}
