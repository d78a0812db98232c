import type { Scope } from '../accounts/index.js';

/**
 * Options of the chunk-upload protocol as `GET /organizations/{org}/chunk-upload/` sends them.
 * The sizes, counts and concurrency are Sentry's values.
 */
export const CHUNK_SIZE = 8 * 1024 * 1024;
export const CHUNKS_PER_REQUEST = 64;
export const MAX_REQUEST_SIZE = 32 * 1024 * 1024;
export const UPLOAD_CONCURRENCY = 8;
/** Largest file (bundle) that may be assembled from chunks, as Sentry's `maxFileSize`. */
export const MAX_ASSEMBLED_BYTES = 2 * 1024 * 1024 * 1024;
export const MAX_CHUNKS_PER_FILE = Math.ceil(MAX_ASSEMBLED_BYTES / CHUNK_SIZE);

/**
 * Upload kinds listed in `accept`. sentry-cli 2.x uploads source maps as artifact bundles only
 * when it finds `artifact_bundles` or `artifact_bundles_v2` here, and falls back to release
 * bundles (`release_files`). sentry-cli 3 ignores the list.
 */
export const ACCEPTED_UPLOADS = [
  'debug_files',
  'release_files',
  'sources',
  'artifact_bundles',
  'artifact_bundles_v2',
] as const;

/**
 * Scopes that allow uploads: Sentry's release permission for writes. Sentry also accepts its
 * `org:ci` scope of organization tokens, which Picket does not issue.
 */
export const UPLOAD_SCOPES: readonly Scope[] = [
  'project:releases',
  'project:write',
  'project:admin',
];

/**
 * Assemblies one web process runs at once. Later ones wait in state `created`, so that many
 * uploads at once do not fill the disk with temporary bundles.
 */
export const MAX_CONCURRENT_ASSEMBLIES = 2;
/** How often a running or waiting assembly records that it is alive. */
export const ASSEMBLY_HEARTBEAT_MS = 30_000;
/**
 * Age of the last heartbeat after which a `created` or `assembling` task counts as abandoned
 * (its process died) and the next assemble request starts it again.
 */
export const STALE_TASK_MS = 3 * 60_000;
/**
 * How long an `ok` or `error` result is returned as is. Later requests with the same checksum
 * assemble again, which finds an existing bundle and stores nothing twice.
 */
export const FINISHED_TASK_MS = 10 * 60_000;
/** Age after which unused chunks, finished tasks and leftover temporary files are removed. */
export const UPLOAD_RETENTION_MS = 24 * 60 * 60_000;
export const CLEANUP_INTERVAL_MS = 60 * 60_000;
