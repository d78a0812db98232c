/**
 * The confirmation question for deleting an artifact bundle. sentry-cli derives the bundle ID
 * from the bundle's content, so one build uploaded for several releases is stored as several
 * uploads with one ID, and the delete endpoint removes all of them.
 */

import type { ArtifactBundle } from '../../../shared/api/sourcemaps';

/** Maximum number of releases the question names before it counts the rest. */
export const MAX_NAMED_RELEASES = 10;

/** Every upload of one bundle ID that serves the project, as far as the API listed them. */
export interface BundleUploads {
  uploads: readonly Pick<ArtifactBundle, 'release' | 'dist' | 'fileCount'>[];
  /** Whether the server has more uploads than `uploads` lists. */
  hasMore: boolean;
}

/** Keeps the uploads whose bundle ID is `bundleId`, because the list search also matches parts. */
export function selectBundleUploads(
  bundleId: string,
  bundles: readonly ArtifactBundle[],
): ArtifactBundle[] {
  const targetId = bundleId.toLowerCase();
  return bundles.filter((bundle) => bundle.bundleId.toLowerCase() === targetId);
}

/**
 * Builds the question that confirms deleting bundle `bundleId`. With one upload it names the
 * file count, and with several it names the releases that lose the bundle.
 */
export function describeBundleDeletion(bundleId: string, { uploads, hasMore }: BundleUploads) {
  const only = uploads[0];
  if (uploads.length <= 1 && !hasMore) {
    const fileCount = only?.fileCount ?? 0;
    const files = fileCount === 1 ? 'its file' : `its ${fileCount} files`;
    return `Delete bundle ${bundleId} and ${files}? Events that arrive later can no longer be mapped with it.`;
  }

  const count = hasMore ? `more than ${uploads.length}` : String(uploads.length);
  const removed = hasMore ? 'all of them are removed' : `all ${uploads.length} are removed`;
  return `Delete bundle ${bundleId}? It was uploaded ${count} times, ${describeReleases(uploads, hasMore)}; ${removed}.`;
}

function describeReleases(uploads: BundleUploads['uploads'], hasMore: boolean): string {
  const names = [...new Set(uploads.map(describeRelease))];
  const named = names.slice(0, MAX_NAMED_RELEASES);
  const rest = names.length - named.length;

  let list = named.join(', ');
  if (rest > 0 || hasMore) {
    list += hasMore ? ' and more' : ` and ${rest} more`;
  }

  const noun = names.length === 1 && !hasMore ? 'release' : 'releases';
  return `for ${noun} ${list}`;
}

function describeRelease(upload: BundleUploads['uploads'][number]): string {
  if (upload.release === null) {
    return '(none)';
  }

  return upload.dist === null ? upload.release : `${upload.release} (distribution ${upload.dist})`;
}
