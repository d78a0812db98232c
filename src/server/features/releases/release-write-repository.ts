import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import type { ReleaseRecord } from './release-repository.js';

export interface CommitInput {
  sha: string;
  repository: string | null;
  message: string | null;
  authorName: string | null;
  authorEmail: string | null;
  timestamp: number | null;
}

export interface DeployInput {
  environment: string;
  name: string | null;
  url: string | null;
  dateStarted: number | null;
  dateFinished: number;
  projectIds: number[];
}

export interface DeployRecord {
  id: number;
  releaseId: number;
  environment: string;
  name: string | null;
  url: string | null;
  dateStarted: number | null;
  dateFinished: number;
}

export interface CommitRecord extends CommitInput {
  releaseId: number;
  position: number;
}

export interface ReleaseChanges {
  ref?: string | null;
  url?: string | null;
  dateReleased?: number | null;
}

/** Writes releases, their projects, deploys and commits for the release API. */
export class ReleaseWriteRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * Creates a release, or adds projects to the release of that version.
   * @returns the release and whether it was created.
   */
  async createOrAddProjects(
    organizationId: number,
    version: string,
    projectIds: number[],
    changes: ReleaseChanges,
  ): Promise<{ release: ReleaseRecord; created: boolean }> {
    return this.#db.transaction().execute(async (trx) => {
      const now = Date.now();
      const inserted = await trx
        .insertInto('releases')
        .values({
          organizationId,
          version,
          dateCreated: now,
          firstEvent: null,
          lastEvent: null,
          ref: changes.ref ?? null,
          url: changes.url ?? null,
          dateReleased: changes.dateReleased ?? null,
        })
        .onConflict((oc) => oc.columns(['organizationId', 'version']).doNothing())
        .returning('id')
        .executeTakeFirst();

      const release = await trx
        .selectFrom('releases')
        .selectAll()
        .where('organizationId', '=', organizationId)
        .where('version', '=', version)
        .executeTakeFirstOrThrow();

      if (projectIds.length > 0) {
        await trx
          .insertInto('releaseProjects')
          .values(
            projectIds.map((projectId) => ({ releaseId: release.id, projectId, dateCreated: now })),
          )
          .onConflict((oc) => oc.columns(['releaseId', 'projectId']).doNothing())
          .execute();
      }
      return { release, created: inserted !== undefined };
    });
  }

  async update(releaseId: number, changes: ReleaseChanges): Promise<void> {
    if (Object.keys(changes).length === 0) {
      return;
    }
    await this.#db.updateTable('releases').set(changes).where('id', '=', releaseId).execute();
  }

  /**
   * Deletes a release with its deploys, commits and files. Returns the blob keys of the
   * deleted files, for the caller to remove the blobs no other file names.
   */
  async delete(releaseId: number): Promise<string[]> {
    return this.#db.transaction().execute(async (trx) => {
      const files = await trx
        .selectFrom('artifactFiles')
        .select('blobKey')
        .where('releaseId', '=', releaseId)
        .execute();
      await trx.deleteFrom('artifactFiles').where('releaseId', '=', releaseId).execute();
      await trx.deleteFrom('releases').where('id', '=', releaseId).execute();
      return files.map((file) => file.blobKey);
    });
  }

  /** Replaces the commits of a release. The first commit is the newest, as clients send them. */
  async setCommits(releaseId: number, commits: CommitInput[]): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom('releaseCommits').where('releaseId', '=', releaseId).execute();
      for (let start = 0; start < commits.length; start += 200) {
        await trx
          .insertInto('releaseCommits')
          .values(
            commits
              .slice(start, start + 200)
              .map((commit, index) => ({ ...commit, releaseId, position: start + index })),
          )
          .execute();
      }
    });
  }

  listCommits(releaseIds: number[]): Promise<CommitRecord[]> {
    if (releaseIds.length === 0) {
      return Promise.resolve([]);
    }
    return this.#db
      .selectFrom('releaseCommits')
      .selectAll()
      .where('releaseId', 'in', releaseIds)
      .orderBy('releaseId')
      .orderBy('position')
      .execute();
  }

  async addDeploy(releaseId: number, deploy: DeployInput): Promise<DeployRecord> {
    const { projectIds, ...fields } = deploy;
    return this.#db
      .insertInto('releaseDeploys')
      .values({ ...fields, releaseId, projectIds: JSON.stringify(projectIds) })
      .returning(['id', 'releaseId', 'environment', 'name', 'url', 'dateStarted', 'dateFinished'])
      .executeTakeFirstOrThrow();
  }

  /** Lists deploys, the newest first. */
  listDeploys(releaseIds: number[]): Promise<DeployRecord[]> {
    if (releaseIds.length === 0) {
      return Promise.resolve([]);
    }
    return this.#db
      .selectFrom('releaseDeploys')
      .select(['id', 'releaseId', 'environment', 'name', 'url', 'dateStarted', 'dateFinished'])
      .where('releaseId', 'in', releaseIds)
      .orderBy('dateFinished', 'desc')
      .orderBy('id', 'desc')
      .execute();
  }
}
