import type { Generated } from 'kysely';

/** Tables of source-map uploads: chunks, assemble tasks, artifact bundles and their files. */
export interface ArtifactTables {
  uploadChunks: UploadChunksTable;
  assembleTasks: AssembleTasksTable;
  artifactBundles: ArtifactBundlesTable;
  artifactBundleProjects: ArtifactBundleProjectsTable;
  artifactFiles: ArtifactFilesTable;
}

/**
 * A chunk uploaded through the chunk-upload protocol, stored uncompressed in the blob store
 * under `blobKey`. `sha1` is the SHA-1 of the uncompressed chunk, checked on upload.
 */
export interface UploadChunksTable {
  organizationId: number;
  sha1: string;
  blobKey: string;
  size: number;
  dateCreated: number;
}

/**
 * The state of one assemble request, keyed by the checksum of the whole file. `kind` is
 * `artifact_bundle` or `release_bundle`; `state` is Sentry's `created`, `assembling`, `ok` or
 * `error`, with `detail` for errors.
 */
export interface AssembleTasksTable {
  organizationId: number;
  kind: string;
  checksum: string;
  state: string;
  detail: string | null;
  dateUpdated: number;
}

/**
 * An artifact bundle after assembly. `bundleId` is the bundle's own debug ID from its
 * manifest; `release` and `dist` come from the assemble request or the manifest.
 */
export interface ArtifactBundlesTable {
  id: Generated<number>;
  organizationId: number;
  bundleId: string;
  checksum: string;
  release: string | null;
  dist: string | null;
  fileCount: number;
  /** Uncompressed size of all files in bytes. */
  size: number;
  dateCreated: number;
}

export interface ArtifactBundleProjectsTable {
  bundleId: number;
  projectId: number;
}

/**
 * One stored file: a file of an artifact bundle (`bundleId` set) or a release file uploaded one
 * by one or through release-level assemble (`releaseId` set, `bundleId` null). `name` is the
 * path or URL the client gave (`~/static/app.min.js`); `url` is the URL used for matching
 * (null when the file has none). `fileType` is `minified_source`, `source_map`, `source` or
 * `indexed_ram_bundle` (`release_file` when a legacy upload gave no type). `headers` is a JSON
 * object of the file's headers (`Sourcemap`, `debug-id`, ...). `dist` is '' for none.
 */
export interface ArtifactFilesTable {
  id: Generated<number>;
  organizationId: number;
  bundleId: number | null;
  releaseId: number | null;
  dist: string;
  name: string;
  url: string | null;
  fileType: string;
  debugId: string | null;
  headers: string;
  blobKey: string;
  size: number;
  sha1: string;
  dateCreated: number;
}
