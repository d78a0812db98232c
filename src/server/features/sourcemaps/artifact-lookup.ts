import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';

/**
 * Queries that find uploaded artifacts for symbolication. Each function takes every request of a
 * batch of events at once and runs one query per kind of lookup (in slices for very long lists),
 * so a batch costs a few round trips whatever its size.
 */

/** One stored artifact file, as symbolication needs it. */
export interface StoredArtifact {
  id: number;
  bundleId: number | null;
  releaseId: number | null;
  /** The URL or path the file is matched by, such as `~/assets/app.min.js`. */
  url: string;
  fileType: string;
  debugId: string | null;
  /** Header names in lower case. */
  headers: Record<string, string>;
  blobKey: string;
  size: number;
}

/** Search scope of a URL lookup: a release and distribution that serve one project. */
export interface ArtifactScope {
  projectId: number;
  release: string;
  /** `''` for no distribution. */
  dist: string;
  /** The `releases` row of the version that serves the project, when there is one. */
  releaseId: number | undefined;
}

/** A request for the files stored under some URLs: in a release scope or in given bundles. */
export interface UrlRequest {
  scope: ArtifactScope | undefined;
  /** Bundles to look in besides the release, such as the one a map was found in by debug ID. */
  bundleIds: number[];
  urls: string[];
}

const MAX_LIST_LENGTH = 1_000;

function slices<T>(values: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < values.length; start += MAX_LIST_LENGTH) {
    result.push(values.slice(start, start + MAX_LIST_LENGTH));
  }
  return result;
}

function parseHeaders(text: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Headers that are not JSON are treated as none, so the file can still be used.
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return {};
  }

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value === 'string') {
      headers[name.toLowerCase()] = value;
    }
  }
  return headers;
}

interface ArtifactRow {
  id: number;
  bundleId: number | null;
  releaseId: number | null;
  url: string | null;
  fileType: string;
  debugId: string | null;
  headers: string;
  blobKey: string;
  size: number;
}

function toArtifact(row: ArtifactRow): StoredArtifact {
  return {
    id: Number(row.id),
    bundleId: row.bundleId === null ? null : Number(row.bundleId),
    releaseId: row.releaseId === null ? null : Number(row.releaseId),
    url: row.url ?? '',
    fileType: row.fileType,
    debugId: row.debugId,
    headers: parseHeaders(row.headers),
    blobKey: row.blobKey,
    size: Number(row.size),
  };
}

const ARTIFACT_COLUMNS = [
  'artifactFiles.id',
  'artifactFiles.bundleId',
  'artifactFiles.releaseId',
  'artifactFiles.url',
  'artifactFiles.fileType',
  'artifactFiles.debugId',
  'artifactFiles.headers',
  'artifactFiles.blobKey',
  'artifactFiles.size',
] as const;

/** Selects the releases of the versions that serve the projects. */
export function releaseIdsQuery(db: Kysely<Database>, projectIds: number[], versions: string[]) {
  return db
    .selectFrom('releases')
    .innerJoin('releaseProjects', 'releaseProjects.releaseId', 'releases.id')
    .select(['releases.id', 'releases.version', 'releaseProjects.projectId'])
    .where('releaseProjects.projectId', 'in', projectIds)
    .where('releases.version', 'in', versions);
}

/** Selects the maps and minified files of debug IDs in bundles serving the projects. */
export function debugIdFilesQuery(db: Kysely<Database>, projectIds: number[], debugIds: string[]) {
  return db
    .selectFrom('artifactFiles')
    .innerJoin(
      'artifactBundleProjects',
      'artifactBundleProjects.bundleId',
      'artifactFiles.bundleId',
    )
    .select([...ARTIFACT_COLUMNS, 'artifactBundleProjects.projectId'])
    .where('artifactFiles.debugId', 'in', debugIds)
    .where('artifactFiles.fileType', 'in', ['source_map', 'minified_source'])
    .where('artifactBundleProjects.projectId', 'in', projectIds)
    .orderBy('artifactFiles.bundleId', 'desc')
    .orderBy('artifactFiles.id', 'desc');
}

/** Selects the files at URLs in bundles of releases that serve the projects. */
export function releaseBundleFilesQuery(
  db: Kysely<Database>,
  projectIds: number[],
  releases: string[],
  urls: string[],
) {
  return db
    .selectFrom('artifactFiles')
    .innerJoin('artifactBundles', 'artifactBundles.id', 'artifactFiles.bundleId')
    .innerJoin('artifactBundleProjects', 'artifactBundleProjects.bundleId', 'artifactBundles.id')
    .select([
      ...ARTIFACT_COLUMNS,
      'artifactBundleProjects.projectId',
      'artifactBundles.release as bundleRelease',
      'artifactBundles.dist as bundleDist',
    ])
    .where('artifactBundleProjects.projectId', 'in', projectIds)
    .where('artifactBundles.release', 'in', releases)
    .where('artifactFiles.url', 'in', urls)
    .orderBy('artifactFiles.bundleId', 'desc')
    .orderBy('artifactFiles.id', 'desc');
}

/** Selects the files of releases at URLs. */
export function releaseFilesQuery(
  db: Kysely<Database>,
  releaseIds: number[],
  dists: string[],
  urls: string[],
) {
  return db
    .selectFrom('artifactFiles')
    .select([...ARTIFACT_COLUMNS, 'artifactFiles.dist'])
    .where('artifactFiles.releaseId', 'in', releaseIds)
    .where('artifactFiles.dist', 'in', dists)
    .where('artifactFiles.url', 'in', urls)
    .where('artifactFiles.bundleId', 'is', null)
    .orderBy('artifactFiles.id', 'desc');
}

/** Selects the files of bundles at URLs. */
export function bundleFilesQuery(db: Kysely<Database>, bundleIds: number[], urls: string[]) {
  return db
    .selectFrom('artifactFiles')
    .select(ARTIFACT_COLUMNS)
    .where('artifactFiles.bundleId', 'in', bundleIds)
    .where('artifactFiles.url', 'in', urls)
    .orderBy('artifactFiles.id', 'desc');
}

/** Key of a project's release in the map {@link loadReleaseIds} returns. */
export function releaseKey(projectId: number, version: string): string {
  return `${projectId}\n${version}`;
}

/** Returns the id of each requested release version that serves the project. */
export async function loadReleaseIds(
  db: Kysely<Database>,
  requested: readonly { projectId: number; version: string }[],
): Promise<Map<string, number>> {
  const releaseIds = new Map<string, number>();
  const projectIds = [...new Set(requested.map((item) => item.projectId))];
  const versions = [...new Set(requested.map((item) => item.version))];

  for (const slice of slices(versions)) {
    const rows = await releaseIdsQuery(db, projectIds, slice).execute();
    for (const row of rows) {
      releaseIds.set(releaseKey(Number(row.projectId), row.version), Number(row.id));
    }
  }
  return releaseIds;
}

/** The newest source map and minified file of a debug ID in the bundles serving a project. */
export interface DebugIdArtifacts {
  sourceMap: StoredArtifact | undefined;
  minifiedSource: StoredArtifact | undefined;
}

/** Key of a project's debug ID in the map {@link findArtifactsByDebugId} returns. */
export function debugIdKey(projectId: number, debugId: string): string {
  return `${projectId}\n${debugId}`;
}

/**
 * Finds the `source_map` and `minified_source` files of each debug ID in the artifact bundles
 * that serve the project. When several bundles hold the ID, the newest one wins.
 */
export async function findArtifactsByDebugId(
  db: Kysely<Database>,
  requested: readonly { projectId: number; debugId: string }[],
): Promise<Map<string, DebugIdArtifacts>> {
  const found = new Map<string, DebugIdArtifacts>();
  const projectIds = [...new Set(requested.map((item) => item.projectId))];
  const debugIds = [...new Set(requested.map((item) => item.debugId))];

  for (const slice of slices(debugIds)) {
    const rows = await debugIdFilesQuery(db, projectIds, slice).execute();

    for (const row of rows) {
      if (row.debugId === null) {
        continue;
      }
      const key = debugIdKey(Number(row.projectId), row.debugId);
      const entry = found.get(key) ?? { sourceMap: undefined, minifiedSource: undefined };
      if (row.fileType === 'source_map') {
        entry.sourceMap ??= toArtifact(row);
      } else {
        entry.minifiedSource ??= toArtifact(row);
      }
      found.set(key, entry);
    }
  }
  return found;
}

/**
 * Files found by URL. `get` returns the files stored under one URL for one request, newest
 * artifact bundle first, then the release's own files.
 */
export class UrlArtifacts {
  readonly #byBundleRelease = new Map<string, StoredArtifact[]>();
  readonly #byRelease = new Map<string, StoredArtifact[]>();
  readonly #byBundle = new Map<string, StoredArtifact[]>();

  add(index: 'bundleRelease' | 'release' | 'bundle', key: string, file: StoredArtifact): void {
    const map =
      index === 'bundleRelease'
        ? this.#byBundleRelease
        : index === 'release'
          ? this.#byRelease
          : this.#byBundle;
    const list = map.get(key);
    if (list === undefined) {
      map.set(key, [file]);
    } else {
      list.push(file);
    }
  }

  get(request: Omit<UrlRequest, 'urls'>, url: string): StoredArtifact[] {
    const files: StoredArtifact[] = [];
    for (const bundleId of request.bundleIds) {
      files.push(...(this.#byBundle.get(`${bundleId}\n${url}`) ?? []));
    }

    const scope = request.scope;
    if (scope !== undefined) {
      const bundleKey = `${scope.projectId}\n${scope.release}\n${scope.dist}\n${url}`;
      files.push(...(this.#byBundleRelease.get(bundleKey) ?? []));
      if (scope.releaseId !== undefined) {
        files.push(...(this.#byRelease.get(`${scope.releaseId}\n${scope.dist}\n${url}`) ?? []));
      }
    }

    return [...new Map(files.map((file) => [file.id, file])).values()];
  }
}

/**
 * Finds the files stored under the requested URLs: in artifact bundles of the release and
 * distribution that serve the project, in the release's own files, and in the bundles named by
 * `bundleIds`.
 */
export async function findArtifactsByUrl(
  db: Kysely<Database>,
  requests: readonly UrlRequest[],
): Promise<UrlArtifacts> {
  const found = new UrlArtifacts();
  const urls = [...new Set(requests.flatMap((request) => request.urls))];
  const scopes = requests.flatMap((request) =>
    request.scope === undefined ? [] : [request.scope],
  );
  const projectIds = [...new Set(scopes.map((scope) => scope.projectId))];
  const releases = [...new Set(scopes.map((scope) => scope.release))];
  const releaseIds = [
    ...new Set(scopes.flatMap((scope) => (scope.releaseId === undefined ? [] : [scope.releaseId]))),
  ];
  const dists = [...new Set(scopes.map((scope) => scope.dist))];
  const bundleIds = [...new Set(requests.flatMap((request) => request.bundleIds))];

  for (const slice of slices(urls)) {
    if (projectIds.length > 0) {
      const rows = await releaseBundleFilesQuery(db, projectIds, releases, slice).execute();
      for (const row of rows) {
        const key = [
          row.projectId,
          row.bundleRelease ?? '',
          row.bundleDist ?? '',
          row.url ?? '',
        ].join('\n');
        found.add('bundleRelease', key, toArtifact(row));
      }
    }

    if (releaseIds.length > 0) {
      const rows = await releaseFilesQuery(db, releaseIds, dists, slice).execute();
      for (const row of rows) {
        found.add('release', `${row.releaseId}\n${row.dist}\n${row.url ?? ''}`, toArtifact(row));
      }
    }

    if (bundleIds.length > 0) {
      const rows = await bundleFilesQuery(db, bundleIds, slice).execute();
      for (const row of rows) {
        found.add('bundle', `${row.bundleId}\n${row.url ?? ''}`, toArtifact(row));
      }
    }
  }

  return found;
}
