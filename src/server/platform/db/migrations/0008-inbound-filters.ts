import type { Kysely } from 'kysely';

import type { Dialect } from '../connect.js';

/**
 * Adds `project_filter_settings`, a project's inbound-filter switches and custom filter lists.
 * Projects without a row use the defaults Sentry gives projects that never saved settings.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('project_filter_settings')
    .addColumn('project_id', 'bigint', (column) =>
      column.primaryKey().references('projects.id').onDelete('cascade'),
    )
    .addColumn('browser_extensions', 'integer', (column) => column.notNull())
    .addColumn('localhost', 'integer', (column) => column.notNull())
    .addColumn('web_crawlers', 'integer', (column) => column.notNull())
    .addColumn('filtered_transaction', 'integer', (column) => column.notNull())
    .addColumn('legacy_browsers', 'text', (column) => column.notNull())
    .addColumn('blacklisted_ips', 'text', (column) => column.notNull())
    .addColumn('releases', 'text', (column) => column.notNull())
    .addColumn('error_messages', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'bigint', (column) => column.notNull())
    .execute();
}
