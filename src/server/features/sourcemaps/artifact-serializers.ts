import { z } from 'zod';

import type {
  ArtifactBundle,
  ArtifactBundleFile,
  ReleaseFile,
} from '../../../shared/api/sourcemaps.js';
import type { ArtifactBundleRecord } from './artifact-bundle-repository.js';
import { findHeader, findSourceMapHeader } from './release-file-fields.js';
import type { ReleaseFileRecord } from './release-file-repository.js';

// The headers column is JSON text written by Picket; a value of another shape reads as none.
const headersSchema = z.record(z.string(), z.string());

/** Reads the `headers` column of an artifact file. */
export function readHeaders(text: string): Record<string, string> {
  try {
    const parsed = headersSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    // Not JSON: the row predates a writer fix or was edited by hand; it has no usable headers.
    return {};
  }
}

const iso = (ms: number) => new Date(Number(ms)).toISOString();

/** Serializes a release file as Sentry's `/releases/{version}/files/` lists it. */
export function serializeReleaseFile(file: ReleaseFileRecord): ReleaseFile {
  return {
    id: String(file.id),
    name: file.name,
    dist: file.dist === '' ? null : file.dist,
    headers: readHeaders(file.headers),
    size: Number(file.size),
    sha1: file.sha1,
    dateCreated: iso(file.dateCreated),
  };
}

/** Serializes an artifact bundle as Sentry's `/files/artifact-bundles/` lists it. */
export function serializeArtifactBundle(bundle: ArtifactBundleRecord): ArtifactBundle {
  return {
    bundleId: bundle.bundleId,
    release: bundle.release === '' ? null : bundle.release,
    dist: bundle.dist === '' ? null : bundle.dist,
    fileCount: Number(bundle.fileCount),
    date: iso(bundle.dateCreated),
    // Bundles are never changed after assembly.
    dateModified: iso(bundle.dateCreated),
  };
}

/** Serializes one file of an artifact bundle; `filePath` is its URL, as Sentry returns it. */
export function serializeArtifactBundleFile(file: ReleaseFileRecord): ArtifactBundleFile {
  const headers = readHeaders(file.headers);
  return {
    id: String(file.id),
    filePath: file.url ?? file.name,
    fileSize: Number(file.size),
    fileType: file.fileType,
    debugId: file.debugId ?? findHeader(headers, 'debug-id') ?? null,
    sourcemap: findSourceMapHeader(headers) ?? null,
  };
}
