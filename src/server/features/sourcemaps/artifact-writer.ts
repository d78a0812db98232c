import type { Kysely, Transaction } from 'kysely';

import { createBlobKey, type BlobStore } from '../../platform/blobs/index.js';
import type { Database } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logger.js';
import { deleteUnreferencedBlobs } from './artifact-blobs.js';
import { BundleError, type BundleFile, type SourceBundle } from './bundle-reader.js';

/** Destination of an artifact bundle's files: its projects, release and distribution. */
export interface ArtifactBundleTarget {
  organizationId: number;
  checksum: string;
  projectIds: number[];
  release: string | null;
  dist: string | null;
}

/** The release whose files a release bundle replaces. */
export interface ReleaseTarget {
  organizationId: number;
  releaseId: number;
  version: string;
}

interface StoredFile {
  file: BundleFile;
  blobKey: string;
  size: number;
  sha1: string;
}

// Rows per multi-row insert: 14 columns each stay far below the bind-parameter limits.
const INSERT_BATCH = 500;

/**
 * Stores the files of an opened bundle in the blob store under new keys and records them in
 * `artifact_bundles`, `artifact_bundle_projects` and `artifact_files`. Blobs are written
 * first, then the rows in one transaction per bundle. When anything fails, the new blobs are
 * deleted again.
 */
export class ArtifactWriter {
  readonly #db: Kysely<Database>;
  readonly #blobs: BlobStore;
  readonly #log: Logger;

  constructor(db: Kysely<Database>, blobs: BlobStore, log: Logger) {
    this.#db = db;
    this.#blobs = blobs;
    this.#log = log;
  }

  /**
   * Links the projects to the bundle with this checksum when the organization has it already.
   * Returns whether it did, in which case nothing needs to be assembled.
   */
  async linkExistingBundle(target: ArtifactBundleTarget): Promise<boolean> {
    const existing = await this.#db
      .selectFrom('artifactBundles')
      .select('id')
      .where('organizationId', '=', target.organizationId)
      .where('checksum', '=', target.checksum)
      .executeTakeFirst();
    if (existing === undefined) {
      return false;
    }
    await linkProjects(this.#db, Number(existing.id), target.projectIds);
    return true;
  }

  /**
   * Stores an artifact bundle, or links the projects when the same bundle was stored meanwhile.
   * Release and distribution come from the request, or else from the manifest.
   */
  async storeArtifactBundle(target: ArtifactBundleTarget, bundle: SourceBundle): Promise<void> {
    // A distribution belongs to a release, so it comes from where the release came from.
    let release = target.release;
    let dist = target.dist;
    if (release === null) {
      release = bundle.manifest.release;
      dist = release === null ? null : bundle.manifest.dist;
    }
    const stored = await this.#storeFiles(bundle);
    const now = Date.now();
    let insertedBundle = false;
    try {
      insertedBundle = await this.#db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('artifactBundles')
          .values({
            organizationId: target.organizationId,
            bundleId: bundle.manifest.bundleId,
            checksum: target.checksum,
            release,
            dist,
            fileCount: stored.length,
            size: stored.reduce((total, file) => total + file.size, 0),
            dateCreated: now,
          })
          .onConflict((conflict) => conflict.columns(['organizationId', 'checksum']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (inserted === undefined) {
          return false;
        }

        const bundleId = Number(inserted.id);
        await linkProjects(trx, bundleId, target.projectIds);
        await insertFiles(trx, stored, {
          organizationId: target.organizationId,
          bundleId,
          releaseId: null,
          dist: dist ?? '',
          now,
        });
        return true;
      });
    } finally {
      if (!insertedBundle) {
        await this.#deleteBlobs(stored.map((file) => file.blobKey));
      }
    }

    if (!insertedBundle && !(await this.linkExistingBundle(target))) {
      throw new Error(`Bundle ${target.checksum} was neither stored nor found`);
    }
  }

  /**
   * Stores the files of a release bundle as release files named by their URLs, replacing a
   * file of the release with the same name and distribution.
   * @throws BundleError when the manifest names another release or lists one URL twice.
   */
  async storeReleaseFiles(target: ReleaseTarget, bundle: SourceBundle): Promise<void> {
    const { release } = bundle.manifest;
    if (release !== null && release !== target.version) {
      throw new BundleError(
        `The bundle was built for release ${JSON.stringify(release)}, but was uploaded to release ${JSON.stringify(target.version)}`,
      );
    }
    const names = bundle.files.map(releaseFileName);
    const repeated = names.find((name, index) => names.indexOf(name) !== index);
    if (repeated !== undefined) {
      throw new BundleError(`manifest.json lists the URL ${JSON.stringify(repeated)} twice`);
    }

    const dist = bundle.manifest.dist ?? '';
    const stored = await this.#storeFiles(bundle);
    let replaced: string[];
    try {
      replaced = await this.#db.transaction().execute(async (trx) => {
        const old = await deleteReleaseFiles(trx, target.releaseId, dist, names);
        await insertFiles(trx, stored, {
          organizationId: target.organizationId,
          bundleId: null,
          releaseId: target.releaseId,
          dist,
          now: Date.now(),
        });
        return old;
      });
    } catch (error) {
      await this.#deleteBlobs(stored.map((file) => file.blobKey));
      throw error;
    }
    await deleteUnreferencedBlobs(this.#db, this.#blobs, replaced, this.#log);
  }

  async #storeFiles(bundle: SourceBundle): Promise<StoredFile[]> {
    const stored: StoredFile[] = [];
    try {
      for (const file of bundle.files) {
        const blobKey = createBlobKey('artifacts');
        const info = await this.#blobs.put(blobKey, await bundle.openFile(file));
        stored.push({ file, blobKey, size: info.size, sha1: info.sha1 });
      }
    } catch (error) {
      await this.#deleteBlobs(stored.map((file) => file.blobKey));
      throw error;
    }
    return stored;
  }

  async #deleteBlobs(keys: string[]): Promise<void> {
    for (const key of keys) {
      await this.#blobs.delete(key);
    }
  }
}

/** Returns the name of a release file: its URL from the manifest, else its path in the bundle. */
function releaseFileName(file: BundleFile): string {
  return file.url ?? file.path;
}

async function linkProjects(
  db: Kysely<Database> | Transaction<Database>,
  bundleId: number,
  projectIds: number[],
): Promise<void> {
  if (projectIds.length === 0) {
    return;
  }
  await db
    .insertInto('artifactBundleProjects')
    .values(projectIds.map((projectId) => ({ bundleId, projectId })))
    .onConflict((conflict) => conflict.columns(['bundleId', 'projectId']).doNothing())
    .execute();
}

interface FileOwner {
  organizationId: number;
  bundleId: number | null;
  releaseId: number | null;
  dist: string;
  now: number;
}

async function insertFiles(
  trx: Transaction<Database>,
  stored: StoredFile[],
  owner: FileOwner,
): Promise<void> {
  const rows = stored.map(({ file, blobKey, size, sha1 }) => ({
    organizationId: owner.organizationId,
    bundleId: owner.bundleId,
    releaseId: owner.releaseId,
    dist: owner.dist,
    name: owner.releaseId === null ? file.path : releaseFileName(file),
    url: file.url,
    fileType: file.type,
    debugId: file.debugId,
    headers: JSON.stringify(file.headers),
    blobKey,
    size,
    sha1,
    dateCreated: owner.now,
  }));
  for (let start = 0; start < rows.length; start += INSERT_BATCH) {
    await trx
      .insertInto('artifactFiles')
      .values(rows.slice(start, start + INSERT_BATCH))
      .execute();
  }
}

/** Deletes the release files with these names and returns their blob keys. */
async function deleteReleaseFiles(
  trx: Transaction<Database>,
  releaseId: number,
  dist: string,
  names: string[],
): Promise<string[]> {
  const keys: string[] = [];
  for (let start = 0; start < names.length; start += INSERT_BATCH) {
    const rows = await trx
      .deleteFrom('artifactFiles')
      .where('releaseId', '=', releaseId)
      .where('bundleId', 'is', null)
      .where('dist', '=', dist)
      .where('name', 'in', names.slice(start, start + INSERT_BATCH))
      .returning('blobKey')
      .execute();
    keys.push(...rows.map((row) => row.blobKey));
  }
  return keys;
}
