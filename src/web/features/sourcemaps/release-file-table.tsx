import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import type { ReleaseFile } from '../../../shared/api/sourcemaps';
import { EventText } from '../../components/event-text';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { RelativeTime } from '../../components/relative-time';
import { formatBytes } from '../../lib/format';
import { readSourceMapHeader } from './artifact-responses';
import { CursorPagination } from './cursor-pagination';
import {
  DeleteButton,
  DeleteConfirmation,
  useDeleteConfirmation,
} from './delete-with-confirmation';
import { deleteReleaseFile, releaseFilesOptions, sourceMapQueryKeys } from './query-options';

/** Number of columns of the file table, which the delete confirmation spans. */
const COLUMN_COUNT = 5;

interface ReleaseFileTableProps {
  orgSlug: string;
  version: string;
  /** Shown when the release has no files. */
  emptyText?: string;
}

/** Lists the files uploaded to a release, a page at a time, each with a delete button. */
export function ReleaseFileTable({ orgSlug, version, emptyText }: ReleaseFileTableProps) {
  const [cursor, setCursor] = useState<string | null>(null);
  const filesQuery = useQuery(releaseFilesOptions(orgSlug, version, cursor));

  if (filesQuery.isPending) {
    return <LoadingIndicator label="Loading release files…" />;
  }

  if (filesQuery.isError) {
    return (
      <LoadError
        message="Unable to load the files of this release."
        onRetry={() => void filesQuery.refetch()}
      />
    );
  }

  const { items, pageLinks } = filesQuery.data;
  if (items.length === 0 && cursor === null) {
    return <p className="muted">{emptyText ?? 'No files were uploaded to this release.'}</p>;
  }

  return (
    <>
      <table className="data-table artifact-table" aria-label={`Files of release ${version}`}>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Distribution</th>
            <th scope="col" className="numeric">
              Size
            </th>
            <th scope="col">Uploaded</th>
            <th scope="col" className="numeric">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((file) => (
            <ReleaseFileRow key={file.id} orgSlug={orgSlug} version={version} file={file} />
          ))}
        </tbody>
      </table>
      <CursorPagination pageLinks={pageLinks} onCursorChange={setCursor} />
    </>
  );
}

interface ReleaseFileRowProps {
  orgSlug: string;
  version: string;
  file: ReleaseFile;
}

function ReleaseFileRow({ orgSlug, version, file }: ReleaseFileRowProps) {
  const queryClient = useQueryClient();
  const sourceMap = readSourceMapHeader(file.headers);

  async function handleDelete() {
    await deleteReleaseFile(orgSlug, version, file.id);
    await queryClient.invalidateQueries({
      queryKey: sourceMapQueryKeys.releaseFilesOf(orgSlug, version),
    });
  }
  const deletion = useDeleteConfirmation(handleDelete);

  return (
    <>
      <tr data-file-name={file.name}>
        <td className="artifact-id">
          <EventText>{file.name}</EventText>
          {sourceMap === null ? null : (
            <div className="muted">
              Source map: <EventText>{sourceMap}</EventText>
            </div>
          )}
        </td>
        <td>
          {file.dist === null ? (
            <span className="muted">—</span>
          ) : (
            <EventText>{file.dist}</EventText>
          )}
        </td>
        <td className="numeric" title={`${file.size} bytes`}>
          {formatBytes(file.size)}
        </td>
        <td>
          <RelativeTime date={file.dateCreated} />
        </td>
        <td className="numeric">
          <DeleteButton label={`Delete release file ${file.name}`} state={deletion} />
        </td>
      </tr>
      {deletion.isConfirming ? (
        <tr>
          <td colSpan={COLUMN_COUNT} className="artifact-confirm-cell">
            <DeleteConfirmation
              question={
                <p>
                  Delete <EventText>{file.name}</EventText> from the release?
                </p>
              }
              action="delete the file"
              state={deletion}
            />
          </td>
        </tr>
      ) : null}
    </>
  );
}
