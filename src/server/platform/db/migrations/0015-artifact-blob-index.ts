import type { Kysely } from 'kysely';

/**
 * Indexes artifact files by blob key, so that deleting a file can tell quickly whether another
 * file (of a bundle shared by several projects) still names the same blob.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('artifact_files_blob_key')
    .on('artifact_files')
    .column('blob_key')
    .execute();
}
