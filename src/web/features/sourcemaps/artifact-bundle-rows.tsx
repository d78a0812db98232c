import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';

import type { ArtifactBundle } from '../../../shared/api/sourcemaps';
import { EventText } from '../../components/event-text';
import { RelativeTime } from '../../components/relative-time';
import { formatCount } from '../../lib/format';
import { releasePath } from '../releases/query-options';
import { ArtifactBundleFiles } from './artifact-bundle-files';
import {
  DeleteButton,
  DeleteConfirmation,
  useDeleteConfirmation,
} from './delete-with-confirmation';
import { describeBundleDeletion } from './bundle-deletion';
import { bundleUploadsOptions, deleteArtifactBundle, sourceMapQueryKeys } from './query-options';

/** Number of columns of the bundle table, which the expanded file list spans. */
const COLUMN_COUNT = 6;

interface ArtifactBundleRowsProps {
  orgSlug: string;
  projectSlug: string;
  bundle: ArtifactBundle;
}

/** Renders one artifact bundle in the table, expandable to its files, with a delete button. */
export function ArtifactBundleRows({ orgSlug, projectSlug, bundle }: ArtifactBundleRowsProps) {
  const queryClient = useQueryClient();
  const [isOpen, setIsOpen] = useState(false);

  async function handleDelete() {
    await deleteArtifactBundle(orgSlug, projectSlug, bundle.bundleId);
    await queryClient.invalidateQueries({
      queryKey: sourceMapQueryKeys.project(orgSlug, projectSlug),
    });
  }
  const deletion = useDeleteConfirmation(handleDelete);

  return (
    <tbody data-bundle-id={bundle.bundleId}>
      <tr>
        <td>
          <button
            type="button"
            className="artifact-row-toggle artifact-id"
            aria-expanded={isOpen}
            onClick={() => {
              setIsOpen((current) => !current);
            }}
          >
            <span aria-hidden="true">{isOpen ? '▾ ' : '▸ '}</span>
            {bundle.bundleId}
          </button>
        </td>
        <td>
          {bundle.release === null ? (
            <span className="muted">—</span>
          ) : (
            <Link to={releasePath(orgSlug, bundle.release)}>
              <EventText>{bundle.release}</EventText>
            </Link>
          )}
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
        <td className="numeric">
          <DeleteButton label={`Delete bundle ${bundle.bundleId}`} state={deletion} />
        </td>
      </tr>
      {deletion.isConfirming ? (
        <tr>
          <td colSpan={COLUMN_COUNT} className="artifact-confirm-cell">
            <DeleteConfirmation
              question={
                <BundleDeletionQuestion
                  orgSlug={orgSlug}
                  projectSlug={projectSlug}
                  bundle={bundle}
                />
              }
              action="delete the bundle"
              state={deletion}
            />
          </td>
        </tr>
      ) : null}
      {isOpen ? (
        <tr>
          <td colSpan={COLUMN_COUNT} className="artifact-files-cell">
            <ArtifactBundleFiles
              orgSlug={orgSlug}
              projectSlug={projectSlug}
              bundleId={bundle.bundleId}
            />
          </td>
        </tr>
      ) : null}
    </tbody>
  );
}

/**
 * Asks to confirm deleting a bundle, naming every release that loses it: the delete removes all
 * uploads with the bundle ID, and sentry-cli gives one build the same ID in each release.
 */
function BundleDeletionQuestion({ orgSlug, projectSlug, bundle }: ArtifactBundleRowsProps) {
  const uploadsQuery = useQuery(bundleUploadsOptions(orgSlug, projectSlug, bundle.bundleId));

  if (uploadsQuery.isPending) {
    return <p aria-busy="true">Delete bundle {bundle.bundleId}? Checking its other uploads…</p>;
  }

  if (uploadsQuery.isError) {
    return (
      <p>
        Delete bundle {bundle.bundleId}? Its other uploads could not be listed. The delete removes
        the bundle from every release it was uploaded for.
      </p>
    );
  }

  return <p>{describeBundleDeletion(bundle.bundleId, uploadsQuery.data)}</p>;
}
