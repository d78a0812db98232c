import { sql, type Kysely, type Selectable } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import type { ArtifactBundlesTable } from '../../platform/db/tables/artifacts.js';
import { containsPattern, type ReleaseFileRecord } from './release-file-repository.js';

/** An `artifact_bundles` row. */
export type ArtifactBundleRecord = Selectable<ArtifactBundlesTable>;

export interface ArtifactBundleFilter {
  /** Part of the bundle ID, release or distribution to match in any case; '' for all. */
  text: string;
  /** Order by upload time. */
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

export interface BundleFileFilter {
  /** Part of the file's URL or name to match in any case; '' for all. */
  text: string;
  offset: number;
  limit: number;
}

/** Reads the artifact bundles a project can use, and detaches them from it. */
export class ArtifactBundleRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Lists the bundles serving a project, fetching `limit + 1` rows to reveal a next page. */
  list(projectId: number, filter: ArtifactBundleFilter): Promise<ArtifactBundleRecord[]> {
    let query = this.#db
      .selectFrom('artifactBundles')
      .selectAll('artifactBundles')
      .innerJoin('artifactBundleProjects', 'artifactBundleProjects.bundleId', 'artifactBundles.id')
      .where('artifactBundleProjects.projectId', '=', projectId);

    if (filter.text !== '') {
      const pattern = containsPattern(filter.text);
      query = query.where((eb) =>
        eb.or([
          sql<boolean>`lower(artifact_bundles.bundle_id) LIKE ${pattern} ESCAPE '\\'`,
          sql<boolean>`lower(artifact_bundles.release) LIKE ${pattern} ESCAPE '\\'`,
          sql<boolean>`lower(artifact_bundles.dist) LIKE ${pattern} ESCAPE '\\'`,
        ]),
      );
    }

    return query
      .orderBy('artifactBundles.dateCreated', filter.order)
      .orderBy('artifactBundles.id', filter.order)
      .offset(filter.offset)
      .limit(filter.limit + 1)
      .execute();
  }

  /**
   * Returns the bundles with one of the given bundle IDs in an organization, newest first, each
   * with whether it serves the project. An organization may hold several uploads of one bundle
   * ID with different contents.
   */
  async findByBundleId(
    organizationId: number,
    projectId: number,
    bundleIds: string[],
  ): Promise<(ArtifactBundleRecord & { servesProject: boolean })[]> {
    const rows = await this.#db
      .selectFrom('artifactBundles')
      .selectAll('artifactBundles')
      .select((eb) =>
        eb
          .exists(
            eb
              .selectFrom('artifactBundleProjects')
              .select('artifactBundleProjects.bundleId')
              .whereRef('artifactBundleProjects.bundleId', '=', 'artifactBundles.id')
              .where('artifactBundleProjects.projectId', '=', projectId),
          )
          .as('servesProject'),
      )
      .where('organizationId', '=', organizationId)
      .where('bundleId', 'in', bundleIds)
      .orderBy('id', 'desc')
      .execute();
    // SQLite returns EXISTS as 0 or 1, PostgreSQL as a boolean.
    return rows.map((row) => ({ ...row, servesProject: Boolean(row.servesProject) }));
  }

  /** Lists the files of a bundle by URL, fetching `limit + 1` rows to reveal a next page. */
  listFiles(bundleRowId: number, filter: BundleFileFilter): Promise<ReleaseFileRecord[]> {
    let query = this.#db
      .selectFrom('artifactFiles')
      .selectAll()
      .where('bundleId', '=', bundleRowId);

    if (filter.text !== '') {
      const pattern = containsPattern(filter.text);
      query = query.where(sql<boolean>`lower(coalesce(url, name)) LIKE ${pattern} ESCAPE '\\'`);
    }

    return query
      .orderBy(sql`coalesce(url, name)`)
      .orderBy('id')
      .offset(filter.offset)
      .limit(filter.limit + 1)
      .execute();
  }

  /**
   * Stops the bundles from serving a project, as Sentry's delete does. A bundle that serves
   * other projects too only loses this project, and a bundle left with no project is deleted
   * with its files. Returns the blob keys of the deleted files, which the caller deletes once no
   * row names them.
   */
  detachFromProject(bundleRowIds: number[], projectId: number): Promise<string[]> {
    return this.#db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('artifactBundleProjects')
        .where('bundleId', 'in', bundleRowIds)
        .where('projectId', '=', projectId)
        .execute();

      const orphans = await trx
        .selectFrom('artifactBundles')
        .select('id')
        .where('id', 'in', bundleRowIds)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('artifactBundleProjects')
                .select('artifactBundleProjects.bundleId')
                .whereRef('artifactBundleProjects.bundleId', '=', 'artifactBundles.id'),
            ),
          ),
        )
        .execute();
      const orphanIds = orphans.map((row) => row.id);
      if (orphanIds.length === 0) {
        return [];
      }

      const files = await trx
        .deleteFrom('artifactFiles')
        .where('bundleId', 'in', orphanIds)
        .returning('blobKey')
        .execute();
      await trx.deleteFrom('artifactBundles').where('id', 'in', orphanIds).execute();
      return files.map((file) => file.blobKey);
    });
  }
}
