import type { Kysely } from 'kysely';

import type { Dialect } from '../connect.js';

/**
 * Adds what the release API of sentry-cli writes: a release's ref, url and release date, its
 * deploys and its commits.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const idType = dialect === 'postgres' ? 'bigserial' : 'integer';

  await db.schema.alterTable('releases').addColumn('ref', 'text').execute();
  await db.schema.alterTable('releases').addColumn('url', 'text').execute();
  await db.schema.alterTable('releases').addColumn('date_released', 'bigint').execute();

  await db.schema
    .createTable('release_deploys')
    .addColumn('id', idType, (c) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('release_id', 'bigint', (c) =>
      c.notNull().references('releases.id').onDelete('cascade'),
    )
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('url', 'text')
    .addColumn('date_started', 'bigint')
    .addColumn('date_finished', 'bigint', (c) => c.notNull())
    .addColumn('project_ids', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('release_deploys_release')
    .on('release_deploys')
    .columns(['release_id', 'date_finished'])
    .execute();

  await db.schema
    .createTable('release_commits')
    .addColumn('release_id', 'bigint', (c) =>
      c.notNull().references('releases.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('sha', 'text', (c) => c.notNull())
    .addColumn('repository', 'text')
    .addColumn('message', 'text')
    .addColumn('author_name', 'text')
    .addColumn('author_email', 'text')
    .addColumn('timestamp', 'bigint')
    .addPrimaryKeyConstraint('release_commits_pk', ['release_id', 'position'])
    .execute();
}
