import type { Kysely } from 'kysely';

import type { Dialect } from '../connect.js';

/**
 * Creates `logs`, with indexes for the newest-first list of a project, optionally narrowed to
 * some levels or to one trace.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('logs')
    .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (column) =>
      dialect === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement(),
    )
    .addColumn('project_id', 'bigint', (column) =>
      column.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('timestamp_us', 'bigint', (column) => column.notNull())
    .addColumn('received_at', 'bigint', (column) => column.notNull())
    .addColumn('trace_id', 'text', (column) => column.notNull())
    .addColumn('span_id', 'text')
    .addColumn('level', 'text', (column) => column.notNull())
    .addColumn('severity_number', 'integer', (column) => column.notNull())
    .addColumn('body', 'text', (column) => column.notNull())
    .addColumn('attributes', 'text', (column) => column.notNull())
    .addColumn('release', 'text')
    .addColumn('environment', 'text')
    .addColumn('sdk_name', 'text')
    .addColumn('sdk_version', 'text')
    .execute();

  await db.schema
    .createIndex('logs_project_timestamp')
    .on('logs')
    .columns(['project_id', 'timestamp_us', 'id'])
    .execute();
  await db.schema
    .createIndex('logs_project_level_timestamp')
    .on('logs')
    .columns(['project_id', 'level', 'timestamp_us', 'id'])
    .execute();
  await db.schema
    .createIndex('logs_project_trace_timestamp')
    .on('logs')
    .columns(['project_id', 'trace_id', 'timestamp_us', 'id'])
    .execute();
}
