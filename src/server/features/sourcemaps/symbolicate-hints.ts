import { sql, type Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import type { LookupHints } from '../../../shared/api/sourcemaps.js';
import type { ArtifactScope } from './artifact-lookup.js';
import { releaseFileCandidates } from './source-urls.js';

/** A module that found no file, with what it looked for. */
export interface MissingFile {
  projectId: number;
  absPath: string;
  debugId: string | undefined;
  scope: ArtifactScope | undefined;
  /** The first problem of the module: `no_file_at_url` or `no_debug_id_match`. */
  problem: 'no_file_at_url' | 'no_debug_id_match';
}

/** At most this many modules of a batch get hints, so a batch of bad events stays cheap. */
const MAX_MODULES = 20;
/** At most this many releases, URLs or projects are named in one hint. */
const MAX_NAMES = 3;
/** Releases read before the closest names are picked. */
const MAX_RELEASE_CANDIDATES = 50;

/**
 * Looks for the usual mistakes behind a missing file, so the issue page can name them. The
 * release may contain no uploads, or the same file name under another URL prefix. Another
 * release of the project, or another project of the organization, may contain the file.
 * Returns hints per entry of `missing`, in order. Entries past the first {@link MAX_MODULES}
 * get none.
 */
export async function findLookupHints(
  db: Kysely<Database>,
  missing: readonly MissingFile[],
): Promise<(LookupHints | undefined)[]> {
  const hints: (LookupHints | undefined)[] = [];
  for (const [index, file] of missing.entries()) {
    hints.push(index < MAX_MODULES ? await hintsFor(db, file) : undefined);
  }
  return hints;
}

async function hintsFor(db: Kysely<Database>, file: MissingFile): Promise<LookupHints> {
  if (file.problem === 'no_debug_id_match') {
    const otherProjects =
      file.debugId === undefined
        ? []
        : await otherProjectsWith(db, file.projectId, { debugId: file.debugId });
    return { otherProjects };
  }

  const scope = file.scope;
  if (scope === undefined) {
    return {};
  }
  const fileName = baseName(file.absPath);
  const urls = releaseFileCandidates(file.absPath);
  const [releaseFileCount, sameNameUrls, otherReleases, otherProjects] = await Promise.all([
    countReleaseFiles(db, scope),
    fileName === '' ? Promise.resolve([]) : urlsEndingWith(db, scope, fileName),
    releasesWithUrl(db, scope, urls),
    otherProjectsWith(db, scope.projectId, { urls }),
  ]);
  return { releaseFileCount, sameNameUrls, otherReleases, otherProjects };
}

/** Length of the common start of two strings. */
function sharedPrefixLength(a: string, b: string): number {
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) {
    length += 1;
  }
  return length;
}

/**
 * Picks the releases most likely meant: the longest shared start with the event's release
 * (`web@2.0.0` for `web@2.0.1`), then the newest.
 */
function closestReleases(
  eventRelease: string,
  found: { release: string; date: number }[],
): string[] {
  const newest = new Map<string, number>();
  for (const { release, date } of found) {
    newest.set(release, Math.max(newest.get(release) ?? 0, date));
  }
  return [...newest]
    .sort(
      ([a, aDate], [b, bDate]) =>
        sharedPrefixLength(b, eventRelease) - sharedPrefixLength(a, eventRelease) || bDate - aDate,
    )
    .slice(0, MAX_NAMES)
    .map(([release]) => release);
}

/** Returns the last path segment of a URL, without query or fragment. */
function baseName(url: string): string {
  const end = url.search(/[?#]/);
  const path = end === -1 ? url : url.slice(0, end);
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Escapes `%`, `_` and `\` for a LIKE pattern with `\` as the escape character. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** Counts the files of the release: in bundles of its version serving the project and its own. */
async function countReleaseFiles(db: Kysely<Database>, scope: ArtifactScope): Promise<number> {
  const inBundles = await db
    .selectFrom('artifactFiles')
    .innerJoin('artifactBundles', 'artifactBundles.id', 'artifactFiles.bundleId')
    .innerJoin('artifactBundleProjects', 'artifactBundleProjects.bundleId', 'artifactBundles.id')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('artifactBundleProjects.projectId', '=', scope.projectId)
    .where('artifactBundles.release', '=', scope.release)
    .executeTakeFirst();
  const own =
    scope.releaseId === undefined
      ? undefined
      : await db
          .selectFrom('artifactFiles')
          .select((eb) => eb.fn.countAll<number | string>().as('count'))
          .where('releaseId', '=', scope.releaseId)
          .executeTakeFirst();
  return Number(inBundles?.count ?? 0) + Number(own?.count ?? 0);
}

/** URLs in the release (any distribution) whose last segment is `fileName`. */
async function urlsEndingWith(
  db: Kysely<Database>,
  scope: ArtifactScope,
  fileName: string,
): Promise<string[]> {
  const pattern = `%/${likeEscape(fileName)}`;
  const matches = sql<boolean>`artifact_files.url like ${pattern} escape '\\'`;
  const inBundles = await db
    .selectFrom('artifactFiles')
    .innerJoin('artifactBundles', 'artifactBundles.id', 'artifactFiles.bundleId')
    .innerJoin('artifactBundleProjects', 'artifactBundleProjects.bundleId', 'artifactBundles.id')
    .select('artifactFiles.url')
    .distinct()
    .where('artifactBundleProjects.projectId', '=', scope.projectId)
    .where('artifactBundles.release', '=', scope.release)
    .where(matches)
    .limit(MAX_NAMES)
    .execute();
  const own =
    scope.releaseId === undefined
      ? []
      : await db
          .selectFrom('artifactFiles')
          .select('artifactFiles.url')
          .distinct()
          .where('releaseId', '=', scope.releaseId)
          .where(matches)
          .limit(MAX_NAMES)
          .execute();
  const urls = [...inBundles, ...own].flatMap((row) => (row.url === null ? [] : [row.url]));
  return [...new Set(urls)].slice(0, MAX_NAMES);
}

/** Other releases of the project that hold a file at one of `urls`. */
async function releasesWithUrl(
  db: Kysely<Database>,
  scope: ArtifactScope,
  urls: string[],
): Promise<string[]> {
  const inBundles = await db
    .selectFrom('artifactFiles')
    .innerJoin('artifactBundles', 'artifactBundles.id', 'artifactFiles.bundleId')
    .innerJoin('artifactBundleProjects', 'artifactBundleProjects.bundleId', 'artifactBundles.id')
    .select(['artifactBundles.release', 'artifactBundles.dateCreated as date'])
    .where('artifactBundleProjects.projectId', '=', scope.projectId)
    .where('artifactFiles.url', 'in', urls)
    .where('artifactBundles.release', 'is not', null)
    .where('artifactBundles.release', '!=', scope.release)
    .orderBy('artifactBundles.dateCreated', 'desc')
    .limit(MAX_RELEASE_CANDIDATES)
    .execute();
  const own = await db
    .selectFrom('artifactFiles')
    .innerJoin('releases', 'releases.id', 'artifactFiles.releaseId')
    .innerJoin('releaseProjects', 'releaseProjects.releaseId', 'releases.id')
    .select(['releases.version as release', 'artifactFiles.dateCreated as date'])
    .where('releaseProjects.projectId', '=', scope.projectId)
    .where('artifactFiles.url', 'in', urls)
    .where('releases.version', '!=', scope.release)
    .orderBy('artifactFiles.dateCreated', 'desc')
    .limit(MAX_RELEASE_CANDIDATES)
    .execute();
  const found = [...inBundles, ...own].flatMap((row) =>
    row.release === null ? [] : [{ release: row.release, date: Number(row.date) }],
  );
  return closestReleases(scope.release, found);
}

/** A file of another project that could be the one a frame needed: by debug ID or by URL. */
type OtherProjectMatch = { debugId: string } | { urls: string[] };

/** Returns the slugs of the organization's other projects whose bundles contain a matching file. */
async function otherProjectsWith(
  db: Kysely<Database>,
  projectId: number,
  match: OtherProjectMatch,
): Promise<string[]> {
  const project = await db
    .selectFrom('projects')
    .select('organizationId')
    .where('id', '=', projectId)
    .executeTakeFirst();
  if (project === undefined) {
    return [];
  }

  const organizationId = Number(project.organizationId);
  let query = db
    .selectFrom('artifactFiles')
    .innerJoin(
      'artifactBundleProjects',
      'artifactBundleProjects.bundleId',
      'artifactFiles.bundleId',
    )
    .innerJoin('projects', 'projects.id', 'artifactBundleProjects.projectId')
    .select('projects.slug')
    .distinct()
    .where('artifactFiles.organizationId', '=', organizationId)
    .where('projects.organizationId', '=', organizationId)
    .where('projects.id', '!=', projectId);
  query =
    'debugId' in match
      ? query.where('artifactFiles.debugId', '=', match.debugId)
      : query.where('artifactFiles.url', 'in', match.urls);
  const rows = await query.limit(MAX_NAMES).execute();
  return rows.map((row) => row.slug);
}
