import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logger.js';
import { findArtifactsByUrl } from './artifact-lookup.js';
import { splitLines } from './context-lines.js';
import { releaseFileCandidates } from './source-urls.js';
import type { ArtifactCache } from './symbolicate-cache.js';
import type { SourceFileLookup } from './symbolicate-modules.js';

/** An original source file to look for among the uploads, for a map without source text. */
export interface SourceRequest {
  key: string;
  /** The source's URL, resolved against the map's URL. */
  url: string;
  lookup: SourceFileLookup;
}

/**
 * Finds uploaded original source files (any file but a source map) by URL, in the release and
 * bundles each request names, and returns their lines by request key. Sources that are not
 * uploaded or cannot be read are left out.
 */
export async function findUploadedSources(
  db: Kysely<Database>,
  cache: ArtifactCache,
  requests: readonly SourceRequest[],
  log: Logger,
): Promise<Map<string, string[]>> {
  const lines = new Map<string, string[]>();
  const searched = requests.filter(
    (request) => request.lookup.scope !== undefined || request.lookup.bundleIds.length > 0,
  );
  if (searched.length === 0) {
    return lines;
  }

  const found = await findArtifactsByUrl(
    db,
    searched.map((request) => ({ ...request.lookup, urls: releaseFileCandidates(request.url) })),
  );

  for (const request of searched) {
    const file = releaseFileCandidates(request.url)
      .flatMap((url) => found.get(request.lookup, url))
      .find((candidate) => candidate.fileType !== 'source_map');
    if (file === undefined) {
      continue;
    }

    const text = await cache.text(file.blobKey, file.size);
    if (text.ok) {
      lines.set(request.key, splitLines(text.value));
    } else if (text.error !== undefined) {
      log.warn(
        { err: text.error, artifactId: file.id, blobKey: file.blobKey },
        'artifact read failed',
      );
    }
  }
  return lines;
}
