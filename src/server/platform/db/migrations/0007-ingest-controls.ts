import type { Kysely } from 'kysely';

import type { Dialect } from '../connect.js';

/**
 * Adds each DSN key's rate limit and allowed domains, and `project_ingest_settings` for the
 * project rate limit and the spike protection switch.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('project_keys').addColumn('rate_limit_count', 'bigint').execute();
  await db.schema.alterTable('project_keys').addColumn('rate_limit_window', 'bigint').execute();
  await db.schema
    .alterTable('project_keys')
    .addColumn('allowed_domains', 'text', (column) => column.notNull().defaultTo('["*"]'))
    .execute();

  await db.schema
    .createTable('project_ingest_settings')
    .addColumn('project_id', 'bigint', (column) =>
      column.primaryKey().references('projects.id').onDelete('cascade'),
    )
    .addColumn('rate_limit_count', 'bigint')
    .addColumn('rate_limit_window', 'bigint')
    .addColumn('spike_protection', 'integer', (column) => column.notNull().defaultTo(1))
    .addColumn('updated_at', 'bigint', (column) => column.notNull())
    .execute();
}
