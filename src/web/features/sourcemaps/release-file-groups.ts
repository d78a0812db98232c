/** Splitting a page of releases into those with release files and those without. */

export interface ReleaseFileGroups<T> {
  /** Releases with files, and releases whose files failed to load, in the order given. */
  withFiles: T[];
  withoutFiles: T[];
}

/**
 * Splits `releases` by the file count at the same index of `fileCounts`, where null means the
 * count failed to load. Such a release stays listed, so that opening it shows the error.
 */
export function splitReleasesByFiles<T>(
  releases: readonly T[],
  fileCounts: readonly (number | null)[],
): ReleaseFileGroups<T> {
  const groups: ReleaseFileGroups<T> = { withFiles: [], withoutFiles: [] };

  releases.forEach((release, index) => {
    const count = fileCounts[index] ?? null;
    if (count === 0) {
      groups.withoutFiles.push(release);
    } else {
      groups.withFiles.push(release);
    }
  });

  return groups;
}
