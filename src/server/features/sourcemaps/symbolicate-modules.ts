import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logger.js';
import type {
  FrameMappingProblem,
  LookupHints,
  MappingSource,
} from '../../../shared/api/sourcemaps.js';
import {
  debugIdKey,
  findArtifactsByDebugId,
  findArtifactsByUrl,
  loadReleaseIds,
  releaseKey,
  type ArtifactScope,
  type DebugIdArtifacts,
  type StoredArtifact,
  type UrlArtifacts,
  type UrlRequest,
} from './artifact-lookup.js';
import type { ParsedSourceMap } from './source-map.js';
import {
  decodeDataUrl,
  findSourceMapReference,
  isDataUrl,
  joinPaths,
  releaseFileCandidates,
} from './source-urls.js';
import type { ArtifactCache, Loaded } from './symbolicate-cache.js';
import { findLookupHints } from './symbolicate-hints.js';

/**
 * A minified file that frames of an event point to: its `abs_path`, the debug ID the event gives
 * for it, and the release it may be uploaded for.
 */
export interface ModuleRequest {
  projectId: number;
  absPath: string;
  debugId: string | undefined;
  release: string | undefined;
  /** `''` for no distribution. */
  dist: string;
}

/** Lookup scope of the original source files of a module whose map has no source text. */
export interface SourceFileLookup {
  scope: ArtifactScope | undefined;
  bundleIds: number[];
}

/** Result of the artifact lookups for one minified file. */
export interface ResolvedModule {
  debugId: string | undefined;
  /** Set when the lookup went by release. */
  release: string | undefined;
  dist: string | undefined;
  /** URL of the minified file found. */
  minifiedFile: string | undefined;
  /** Name or URL of the source map used or looked for. */
  sourceMap: string | undefined;
  resolvedWith: MappingSource | undefined;
  map: ParsedSourceMap | undefined;
  minifiedSource: string | undefined;
  /** Reasons no map could be used, first cause first. Empty when `map` is set. */
  problems: FrameMappingProblem[];
  /** URL that original source paths of the map are relative to. */
  sourceBase: string;
  sourceFiles: SourceFileLookup;
  /** URL of the file that failed, for the event's processing errors. */
  failedUrl: string | undefined;
  /** Likely mistakes behind a missing file, when one was detected. */
  hints?: LookupHints;
}

/** Returns the key of a module request. Requests with equal keys resolve the same way. */
export function moduleKey(request: ModuleRequest): string {
  const release = request.release ?? '';
  return [request.projectId, release, request.dist, request.debugId ?? '', request.absPath].join(
    '\n',
  );
}

function withoutQueryAndFragment(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/** Returns the `<url>.map` names that a frame URL's source map may be uploaded under. */
function dotMapCandidates(absPath: string): string[] {
  return releaseFileCandidates(`${withoutQueryAndFragment(absPath)}.map`);
}

function firstFile(
  found: UrlArtifacts,
  request: Omit<UrlRequest, 'urls'>,
  urls: string[],
  accept: (file: StoredArtifact) => boolean,
): StoredArtifact | undefined {
  for (const url of urls) {
    const file = found.get(request, url).find(accept);
    if (file !== undefined) {
      return file;
    }
  }
  return undefined;
}

const isNotSourceMap = (file: StoredArtifact) => file.fileType !== 'source_map';
const isAnyFile = () => true;

/** The state of one module while its lookups run. */
interface Pending {
  request: ModuleRequest;
  scope: ArtifactScope | undefined;
  result: ResolvedModule;
  minified: StoredArtifact | undefined;
  mapFile: StoredArtifact | undefined;
  inlineMap: string | undefined;
  /** URL of a map named by the minified file, to look up by release. */
  mapUrl: string | undefined;
  /** Debug ID found in the minified file, to look up when it names no map. */
  fileDebugId: string | undefined;
  /** Set once the module is decided, mapped or not. */
  done: boolean;
}

function fail(pending: Pending, problem: FrameMappingProblem, url?: string): void {
  pending.result.problems.push(problem);
  pending.result.failedUrl ??= url;
  pending.done = true;
}

/**
 * Resolves the minified files of a batch of events to their source maps: by debug ID, else by
 * release, distribution and URL, else through the `sourceMappingURL` of the minified file. Each
 * step runs for the whole batch at once. Read failures become problems of the module, and only
 * database errors are thrown.
 */
export async function resolveModules(
  db: Kysely<Database>,
  cache: ArtifactCache,
  requests: ModuleRequest[],
  log: Logger,
): Promise<Map<string, ResolvedModule>> {
  const pendings = new Map<string, Pending>();
  for (const request of requests) {
    const key = moduleKey(request);
    if (!pendings.has(key)) {
      pendings.set(key, createPending(request));
    }
  }
  const all = [...pendings.values()];

  await findScopes(db, all);
  await findByDebugIdAndUrl(db, all);
  await addLookupHints(db, all);
  await readMinifiedFiles(cache, all, log);
  await findReferencedMaps(db, all);
  await loadMaps(cache, all, log);

  return new Map([...pendings].map(([key, pending]) => [key, pending.result]));
}

/** Adds hints to the modules whose file or debug ID matched nothing. */
async function addLookupHints(db: Kysely<Database>, all: Pending[]): Promise<void> {
  const missing = all.flatMap((pending) => {
    const [problem] = pending.result.problems;
    if (problem !== 'no_file_at_url' && problem !== 'no_debug_id_match') {
      return [];
    }
    return [{ pending, problem }];
  });
  if (missing.length === 0) {
    return;
  }
  const hints = await findLookupHints(
    db,
    missing.map(({ pending, problem }) => ({
      projectId: pending.request.projectId,
      absPath: pending.request.absPath,
      debugId: pending.request.debugId,
      scope: pending.scope,
      problem,
    })),
  );
  for (const [index, { pending }] of missing.entries()) {
    const found = hints[index];
    if (found !== undefined && Object.values(found).some(hasHintValue)) {
      pending.result.hints = found;
    }
  }
}

function hasHintValue(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== undefined;
}

function createPending(request: ModuleRequest): Pending {
  return {
    request,
    scope: undefined,
    result: {
      debugId: request.debugId,
      release: undefined,
      dist: undefined,
      minifiedFile: undefined,
      sourceMap: undefined,
      resolvedWith: undefined,
      map: undefined,
      minifiedSource: undefined,
      problems: [],
      sourceBase: request.absPath,
      sourceFiles: { scope: undefined, bundleIds: [] },
      failedUrl: undefined,
    },
    minified: undefined,
    mapFile: undefined,
    inlineMap: undefined,
    mapUrl: undefined,
    fileDebugId: undefined,
    done: false,
  };
}

async function findScopes(db: Kysely<Database>, all: Pending[]): Promise<void> {
  const requested = all.flatMap(({ request }) =>
    request.release === undefined
      ? []
      : [{ projectId: request.projectId, version: request.release }],
  );
  const releaseIds =
    requested.length === 0 ? new Map<string, number>() : await loadReleaseIds(db, requested);

  for (const pending of all) {
    const { projectId, release, dist } = pending.request;
    if (release !== undefined) {
      const releaseId = releaseIds.get(releaseKey(projectId, release));
      pending.scope = { projectId, release, dist, releaseId };
      pending.result.sourceFiles.scope = pending.scope;
    }
  }
}

/** Finds the map of each debug ID and the files at each frame URL and its `.map` URL. */
async function findByDebugIdAndUrl(db: Kysely<Database>, all: Pending[]): Promise<void> {
  const withDebugId = all.filter((pending) => pending.request.debugId !== undefined);
  const byDebugId =
    withDebugId.length === 0
      ? new Map<string, DebugIdArtifacts>()
      : await findArtifactsByDebugId(
          db,
          withDebugId.map(({ request }) => ({
            projectId: request.projectId,
            debugId: request.debugId ?? '',
          })),
        );

  for (const pending of withDebugId) {
    const { projectId, debugId = '' } = pending.request;
    const found = byDebugId.get(debugIdKey(projectId, debugId));
    if (found?.sourceMap === undefined) {
      pending.result.problems.push('no_debug_id_match');
      pending.result.failedUrl = pending.request.absPath;
      continue;
    }
    pending.mapFile = found.sourceMap;
    pending.minified = found.minifiedSource;
    pending.result.resolvedWith = 'debug-id';
    pending.result.sourceMap = found.sourceMap.url;
    pending.result.minifiedFile = found.minifiedSource?.url;
    pending.result.sourceFiles.bundleIds =
      found.sourceMap.bundleId === null ? [] : [found.sourceMap.bundleId];
  }

  const byRelease = all.filter((pending) => pending.mapFile === undefined);
  for (const pending of byRelease) {
    if (pending.scope === undefined) {
      // Without a release there is nothing else to look in, so a debug ID miss is the reason
      // given.
      if (pending.result.problems.length === 0) {
        fail(pending, 'no_release');
      }
      pending.done = true;
    }
  }

  const searched = byRelease.filter((pending) => !pending.done);
  if (searched.length === 0) {
    return;
  }
  const found = await findArtifactsByUrl(
    db,
    searched.map((pending) => ({
      scope: pending.scope,
      bundleIds: [],
      urls: [
        ...releaseFileCandidates(pending.request.absPath),
        ...dotMapCandidates(pending.request.absPath),
      ],
    })),
  );

  for (const pending of searched) {
    const where = { scope: pending.scope, bundleIds: [] };
    const { absPath, dist } = pending.request;
    pending.result.release = pending.scope?.release;
    pending.result.dist = dist;
    pending.minified = firstFile(found, where, releaseFileCandidates(absPath), isNotSourceMap);
    pending.result.minifiedFile = pending.minified?.url;

    const dotMap = firstFile(found, where, dotMapCandidates(absPath), isAnyFile);
    if (pending.minified !== undefined) {
      // The map is decided once the minified file has been read, with `.map` as the fallback.
      pending.mapFile = dotMap;
      continue;
    }
    if (dotMap === undefined) {
      fail(pending, 'no_file_at_url', absPath);
      continue;
    }
    pending.mapFile = dotMap;
    pending.result.resolvedWith = 'release';
    pending.result.sourceMap = dotMap.url;
    pending.result.sourceBase = `${withoutQueryAndFragment(absPath)}.map`;
  }
}

/**
 * Reads the minified files found and follows the source map they name. Files found by debug ID
 * are read for the base URL of original sources and for function names.
 */
async function readMinifiedFiles(cache: ArtifactCache, all: Pending[], log: Logger) {
  for (const pending of all) {
    const minified = pending.minified;
    if (pending.done || minified === undefined) {
      continue;
    }

    const text = await cache.text(minified.blobKey, minified.size);
    logReadError(log, text, minified);
    const source = text.ok ? text.value : undefined;
    pending.result.minifiedSource = source;

    const reference = findSourceMapReference(minified.headers, source);
    const byDebugId = pending.result.resolvedWith === 'debug-id';
    if (reference !== undefined && !isDataUrl(reference.value)) {
      const mapUrl = joinPaths(pending.request.absPath, reference.value);
      pending.result.sourceBase = mapUrl;
      if (!byDebugId) {
        pending.mapUrl = mapUrl;
        pending.result.sourceMap = mapUrl;
        pending.result.resolvedWith =
          reference.origin === 'comment' ? 'source-mapping-url' : 'release';
        // A `.map` file found by name is not the map this file names.
        pending.mapFile = undefined;
      }
      continue;
    }
    if (byDebugId) {
      continue;
    }

    if (reference !== undefined) {
      pending.inlineMap = decodeDataUrl(reference.value);
      pending.mapFile = undefined;
      pending.result.resolvedWith =
        reference.origin === 'comment' ? 'source-mapping-url' : 'release';
      pending.result.sourceMap = pending.request.absPath;
      if (pending.inlineMap === undefined) {
        fail(pending, 'invalid_source_map', pending.request.absPath);
      }
      continue;
    }

    if (pending.mapFile !== undefined) {
      pending.result.resolvedWith = 'release';
      pending.result.sourceMap = pending.mapFile.url;
      pending.result.sourceBase = `${withoutQueryAndFragment(pending.request.absPath)}.map`;
      continue;
    }

    if (!text.ok) {
      fail(pending, 'artifact_unreadable', minified.url);
    } else if (minified.debugId !== null) {
      pending.fileDebugId = minified.debugId;
    } else {
      fail(pending, 'no_source_map_reference', minified.url);
    }
  }
}

/** Finds the maps that minified files name by URL, or by their own debug ID. */
async function findReferencedMaps(db: Kysely<Database>, all: Pending[]): Promise<void> {
  const byUrl = all.filter((pending) => !pending.done && pending.mapUrl !== undefined);
  const byFileDebugId = all.filter((pending) => !pending.done && pending.fileDebugId !== undefined);

  if (byUrl.length > 0) {
    const found = await findArtifactsByUrl(
      db,
      byUrl.map((pending) => ({
        scope: pending.scope,
        bundleIds: pending.minified?.bundleId == null ? [] : [pending.minified.bundleId],
        urls: releaseFileCandidates(pending.mapUrl ?? ''),
      })),
    );
    for (const pending of byUrl) {
      const mapUrl = pending.mapUrl ?? '';
      const where = {
        scope: pending.scope,
        bundleIds: pending.minified?.bundleId == null ? [] : [pending.minified.bundleId],
      };
      pending.mapFile = firstFile(found, where, releaseFileCandidates(mapUrl), isAnyFile);
      if (pending.mapFile === undefined) {
        fail(pending, 'source_map_not_found', mapUrl);
      }
    }
  }

  if (byFileDebugId.length > 0) {
    const found = await findArtifactsByDebugId(
      db,
      byFileDebugId.map((pending) => ({
        projectId: pending.request.projectId,
        debugId: pending.fileDebugId ?? '',
      })),
    );
    for (const pending of byFileDebugId) {
      const map = found.get(debugIdKey(pending.request.projectId, pending.fileDebugId ?? ''));
      if (map?.sourceMap === undefined) {
        fail(pending, 'no_source_map_reference', pending.minified?.url);
        continue;
      }
      pending.mapFile = map.sourceMap;
      pending.result.resolvedWith = 'debug-id';
      pending.result.debugId = pending.fileDebugId;
      pending.result.sourceMap = map.sourceMap.url;
    }
  }
}

/** Reads and parses the maps found. */
async function loadMaps(cache: ArtifactCache, all: Pending[], log: Logger): Promise<void> {
  for (const pending of all) {
    if (pending.done) {
      continue;
    }

    let loaded: Loaded<ParsedSourceMap>;
    if (pending.inlineMap !== undefined) {
      const cacheKey = pending.minified?.blobKey ?? pending.request.absPath;
      loaded = cache.inlineSourceMap(cacheKey, pending.inlineMap);
    } else if (pending.mapFile !== undefined) {
      loaded = await cache.sourceMap(pending.mapFile.blobKey, pending.mapFile.size);
      logReadError(log, loaded, pending.mapFile);
    } else {
      // Every path above either sets a map or fails the module, so this branch is a safety net.
      fail(pending, 'source_map_not_found', pending.request.absPath);
      continue;
    }

    const mapUrl = pending.result.sourceMap ?? pending.request.absPath;
    if (loaded.ok) {
      pending.result.map = loaded.value;
      pending.result.problems = [];
      pending.done = true;
    } else if (loaded.failure === 'invalid') {
      fail(pending, 'invalid_source_map', mapUrl);
    } else {
      fail(pending, 'artifact_unreadable', mapUrl);
    }
  }
}

function logReadError(log: Logger, loaded: Loaded<unknown>, file: StoredArtifact): void {
  if (!loaded.ok && loaded.error !== undefined) {
    log.warn(
      { err: loaded.error, artifactId: file.id, blobKey: file.blobKey },
      'artifact read failed',
    );
  }
}
