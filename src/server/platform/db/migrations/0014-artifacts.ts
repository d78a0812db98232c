import { sql, type Kysely } from 'kysely';

import type { Dialect } from '../connect.js';

/**
 * Adds source-map storage: uploaded chunks, assemble tasks, artifact bundles with the projects
 * they serve, the files of bundles and of releases, and the indexes symbolication looks up by
 * debug ID and by release, distribution and URL.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const idType = dialect === 'postgres' ? 'bigserial' : 'integer';

  await db.schema
    .createTable('upload_chunks')
    .addColumn('organization_id', 'bigint', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('sha1', 'text', (c) => c.notNull())
    .addColumn('blob_key', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('date_created', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('upload_chunks_pk', ['organization_id', 'sha1'])
    .execute();
  await db.schema
    .createIndex('upload_chunks_created')
    .on('upload_chunks')
    .column('date_created')
    .execute();

  await db.schema
    .createTable('assemble_tasks')
    .addColumn('organization_id', 'bigint', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('checksum', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('date_updated', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('assemble_tasks_pk', ['organization_id', 'kind', 'checksum'])
    .execute();

  await db.schema
    .createTable('artifact_bundles')
    .addColumn('id', idType, (c) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('organization_id', 'bigint', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('bundle_id', 'text', (c) => c.notNull())
    .addColumn('checksum', 'text', (c) => c.notNull())
    .addColumn('release', 'text')
    .addColumn('dist', 'text')
    .addColumn('file_count', 'integer', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('date_created', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('artifact_bundles_checksum')
    .on('artifact_bundles')
    .columns(['organization_id', 'checksum'])
    .unique()
    .execute();
  await db.schema
    .createIndex('artifact_bundles_release')
    .on('artifact_bundles')
    .columns(['organization_id', 'release', 'dist'])
    .execute();

  await db.schema
    .createTable('artifact_bundle_projects')
    .addColumn('bundle_id', 'bigint', (c) =>
      c.notNull().references('artifact_bundles.id').onDelete('cascade'),
    )
    .addColumn('project_id', 'bigint', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('artifact_bundle_projects_pk', ['bundle_id', 'project_id'])
    .execute();
  await db.schema
    .createIndex('artifact_bundle_projects_project')
    .on('artifact_bundle_projects')
    .columns(['project_id', 'bundle_id'])
    .execute();

  await db.schema
    .createTable('artifact_files')
    .addColumn('id', idType, (c) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('organization_id', 'bigint', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('bundle_id', 'bigint', (c) =>
      c.references('artifact_bundles.id').onDelete('cascade'),
    )
    .addColumn('release_id', 'bigint', (c) => c.references('releases.id').onDelete('cascade'))
    .addColumn('dist', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('file_type', 'text', (c) => c.notNull())
    .addColumn('debug_id', 'text')
    .addColumn('headers', 'text', (c) => c.notNull())
    .addColumn('blob_key', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('sha1', 'text', (c) => c.notNull())
    .addColumn('date_created', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('artifact_files_debug_id')
    .on('artifact_files')
    .columns(['debug_id', 'file_type'])
    .execute();
  await db.schema
    .createIndex('artifact_files_bundle')
    .on('artifact_files')
    .columns(['bundle_id', 'url'])
    .execute();
  await db.schema
    .createIndex('artifact_files_release_url')
    .on('artifact_files')
    .columns(['release_id', 'dist', 'url'])
    .execute();
  // A release holds one file per name and distribution; files of bundles may repeat.
  await db.schema
    .createIndex('artifact_files_release_name')
    .on('artifact_files')
    .columns(['release_id', 'dist', 'name'])
    .unique()
    .where(sql.ref('bundle_id'), 'is', null)
    .execute();
}
