import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';

import { EventText } from '../../components/event-text';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { formatBytes } from '../../lib/format';
import { formatFileType } from './artifact-paths';
import { CursorPagination } from './cursor-pagination';
import { artifactBundleFilesOptions } from './query-options';

interface ArtifactBundleFilesProps {
  orgSlug: string;
  projectSlug: string;
  bundleId: string;
}

/** Lists the files of one artifact bundle: path, type, debug ID and size. */
export function ArtifactBundleFiles({ orgSlug, projectSlug, bundleId }: ArtifactBundleFilesProps) {
  const [cursor, setCursor] = useState<string | null>(null);
  const filesQuery = useQuery(artifactBundleFilesOptions(orgSlug, projectSlug, bundleId, cursor));

  if (filesQuery.isPending) {
    return <LoadingIndicator label="Loading files…" />;
  }

  if (filesQuery.isError) {
    return (
      <LoadError
        message="Unable to load the files of this bundle."
        onRetry={() => void filesQuery.refetch()}
      />
    );
  }

  const { items, pageLinks } = filesQuery.data;
  if (items.length === 0 && cursor === null) {
    return <p className="muted">This bundle has no files.</p>;
  }

  return (
    <>
      <table className="data-table artifact-table" aria-label={`Files of bundle ${bundleId}`}>
        <thead>
          <tr>
            <th scope="col">Path</th>
            <th scope="col">Type</th>
            <th scope="col">Debug ID</th>
            <th scope="col" className="numeric">
              Size
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((file) => (
            <tr key={file.id} data-file-path={file.filePath}>
              <td className="artifact-id">
                <EventText>{file.filePath}</EventText>
                {file.sourcemap === null ? null : (
                  <div className="muted">
                    Source map: <EventText>{file.sourcemap}</EventText>
                  </div>
                )}
              </td>
              <td>{formatFileType(file.fileType)}</td>
              <td className="artifact-id">{file.debugId ?? <span className="muted">—</span>}</td>
              <td className="numeric" title={`${file.fileSize} bytes`}>
                {file.fileSize < 0 ? '—' : formatBytes(file.fileSize)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <CursorPagination pageLinks={pageLinks} onCursorChange={setCursor} />
    </>
  );
}
