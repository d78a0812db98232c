import { sql, type Kysely, type Selectable } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import type { ArtifactFilesTable } from '../../platform/db/tables/artifacts.js';

/** A stored file of a release: an `artifact_files` row with `releaseId` set. */
export type ReleaseFileRecord = Selectable<ArtifactFilesTable>;

export interface ReleaseFileInput {
  organizationId: number;
  releaseId: number;
  name: string;
  /** '' for none. */
  dist: string;
  fileType: string;
  debugId: string | null;
  headers: Record<string, string>;
  blobKey: string;
  size: number;
  sha1: string;
}

export interface ReleaseFileFilter {
  /** Parts of names to match in any case. A file matches when its name contains any of them. */
  names: string[];
  /** SHA-1 checksums to match. A file matches when its checksum is one of them. */
  checksums: string[];
  offset: number;
  limit: number;
}

/** The result of a write that may hit the one-file-per-name-and-dist rule of a release. */
export type ReleaseFileWrite = { status: 'ok'; file: ReleaseFileRecord } | { status: 'conflict' };

/** Reads and writes the files of releases (legacy per-file uploads and release assembles). */
export class ReleaseFileRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Lists files by name, then id, fetching `limit + 1` rows so the caller sees a next page. */
  list(releaseId: number, filter: ReleaseFileFilter): Promise<ReleaseFileRecord[]> {
    let query = this.#db
      .selectFrom('artifactFiles')
      .selectAll()
      .where('releaseId', '=', releaseId)
      .where('bundleId', 'is', null);

    if (filter.names.length > 0) {
      query = query.where((eb) =>
        eb.or(
          filter.names.map(
            (name) => sql<boolean>`lower(name) LIKE ${containsPattern(name)} ESCAPE '\\'`,
          ),
        ),
      );
    }
    if (filter.checksums.length > 0) {
      query = query.where('sha1', 'in', filter.checksums);
    }

    return query
      .orderBy('name')
      .orderBy('id')
      .offset(filter.offset)
      .limit(filter.limit + 1)
      .execute();
  }

  find(releaseId: number, fileId: number): Promise<ReleaseFileRecord | undefined> {
    return this.#db
      .selectFrom('artifactFiles')
      .selectAll()
      .where('id', '=', fileId)
      .where('releaseId', '=', releaseId)
      .where('bundleId', 'is', null)
      .executeTakeFirst();
  }

  /** Inserts a file, or reports a conflict when the release has a file of that name and dist. */
  async insert(input: ReleaseFileInput): Promise<ReleaseFileWrite> {
    try {
      const file = await this.#db
        .insertInto('artifactFiles')
        .values({
          organizationId: input.organizationId,
          bundleId: null,
          releaseId: input.releaseId,
          dist: input.dist,
          name: input.name,
          url: input.name,
          fileType: input.fileType,
          debugId: input.debugId,
          headers: JSON.stringify(input.headers),
          blobKey: input.blobKey,
          size: input.size,
          sha1: input.sha1,
          dateCreated: Date.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { status: 'ok', file };
    } catch (error) {
      if (isUniqueViolation(error)) {
        return { status: 'conflict' };
      }
      throw error;
    }
  }

  /** Renames a file or moves it to another distribution. */
  async update(fileId: number, changes: { name: string; dist: string }): Promise<ReleaseFileWrite> {
    try {
      const file = await this.#db
        .updateTable('artifactFiles')
        .set({ name: changes.name, url: changes.name, dist: changes.dist })
        .where('id', '=', fileId)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { status: 'ok', file };
    } catch (error) {
      if (isUniqueViolation(error)) {
        return { status: 'conflict' };
      }
      throw error;
    }
  }

  /** Deletes a file's row. Its blob is the caller's to delete. */
  async delete(fileId: number): Promise<void> {
    await this.#db.deleteFrom('artifactFiles').where('id', '=', fileId).execute();
  }
}

/** Returns a LIKE pattern, for `ESCAPE '\'`, that matches text containing `part` in any case. */
export function containsPattern(part: string): string {
  return `%${part.toLowerCase().replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : '';
  return code === '23505' || /UNIQUE constraint failed/.test(message);
}
