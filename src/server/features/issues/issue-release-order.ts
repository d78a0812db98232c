import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';

interface SemanticVersion {
  major: number;
  minor: number;
  patch: number;
  prerelease: string | null;
}

// `1.2.3`, `v1.2.3`, `1.2` and package-prefixed versions such as `web@1.2.3-beta.1+build5`.
const VERSION_PATTERN = /^(?:[^@]+@)?v?(\d+)\.(\d+)(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+.*)?$/;

/** Parses a release version as semantic version, or returns undefined when it is not one. */
export function parseSemanticVersion(version: string): SemanticVersion | undefined {
  const match = VERSION_PATTERN.exec(version.trim());
  if (match === null) {
    return undefined;
  }
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3] ?? 0),
    prerelease: match[4] ?? null,
  };
}

/**
 * Compares two semantic versions: negative when `a` is older. A pre-release is older than the
 * release it precedes; two pre-releases compare as strings.
 */
export function compareSemanticVersions(a: SemanticVersion, b: SemanticVersion): number {
  const parts = [a.major - b.major, a.minor - b.minor, a.patch - b.patch];
  const difference = parts.find((part) => part !== 0);
  if (difference !== undefined) {
    return difference;
  }
  if (a.prerelease === b.prerelease) {
    return 0;
  }
  if (a.prerelease === null) {
    return 1;
  }
  if (b.prerelease === null) {
    return -1;
  }
  return a.prerelease < b.prerelease ? -1 : 1;
}

/**
 * Tells whether release `version` is newer than `than` in an organization: by semantic version
 * when both parse, else by the time each release was first seen (its first error event, or its
 * creation). A release Picket has never seen counts as newer.
 */
export async function isReleaseNewer(
  db: Kysely<Database>,
  organizationId: number,
  version: string,
  than: string,
): Promise<boolean> {
  if (version === than) {
    return false;
  }
  const a = parseSemanticVersion(version);
  const b = parseSemanticVersion(than);
  if (a !== undefined && b !== undefined) {
    return compareSemanticVersions(a, b) > 0;
  }

  const rows = await db
    .selectFrom('releases')
    .select(['version', 'firstEvent', 'dateCreated'])
    .where('organizationId', '=', organizationId)
    .where('version', 'in', [version, than])
    .execute();
  const firstSeen = (name: string) => {
    const row = rows.find((candidate) => candidate.version === name);
    return row === undefined ? undefined : Number(row.firstEvent ?? row.dateCreated);
  };
  const versionSeen = firstSeen(version);
  const thanSeen = firstSeen(than);
  if (versionSeen === undefined || thanSeen === undefined) {
    return true;
  }
  return versionSeen > thanSeen;
}

/** Returns the version of the project's newest release, by the time it was created. */
export async function findLatestRelease(
  db: Kysely<Database>,
  projectId: number,
): Promise<string | null> {
  const row = await db
    .selectFrom('releases')
    .innerJoin('releaseProjects', 'releaseProjects.releaseId', 'releases.id')
    .select('releases.version')
    .where('releaseProjects.projectId', '=', projectId)
    .orderBy('releases.dateCreated', 'desc')
    .orderBy('releases.id', 'desc')
    .executeTakeFirst();
  return row?.version ?? null;
}
