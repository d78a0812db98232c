import type { ColumnDefinitionBuilder, Kysely } from 'kysely';

import type { Dialect } from '../connect.js';

type Column = (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;

const notNull: Column = (column) => column.notNull();
const zero: Column = (column) => column.notNull().defaultTo(0);

/**
 * Adds releases with their projects, hourly session counts, session users, cron monitors,
 * their environments and check-ins, and an index for counting the issues new in a release.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const idType = dialect === 'postgres' ? 'bigserial' : 'integer';
  const id: Column = (column) =>
    dialect === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement();
  const projectId: Column = (column) =>
    column.notNull().references('projects.id').onDelete('cascade');
  const releaseId: Column = (column) =>
    column.notNull().references('releases.id').onDelete('cascade');

  await db.schema
    .createTable('releases')
    .addColumn('id', idType, id)
    .addColumn('organization_id', 'bigint', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('version', 'text', notNull)
    .addColumn('date_created', 'bigint', notNull)
    .addColumn('first_event', 'bigint')
    .addColumn('last_event', 'bigint')
    .addUniqueConstraint('releases_org_version', ['organization_id', 'version'])
    .execute();
  await db.schema
    .createIndex('releases_org_date_created')
    .on('releases')
    .columns(['organization_id', 'date_created', 'id'])
    .execute();

  await db.schema
    .createTable('release_projects')
    .addColumn('release_id', 'bigint', releaseId)
    .addColumn('project_id', 'bigint', projectId)
    .addColumn('date_created', 'bigint', notNull)
    .addPrimaryKeyConstraint('release_projects_pk', ['release_id', 'project_id'])
    .execute();
  await db.schema
    .createIndex('release_projects_project')
    .on('release_projects')
    .columns(['project_id', 'release_id'])
    .execute();

  await db.schema
    .createTable('release_session_hours')
    .addColumn('release_id', 'bigint', releaseId)
    .addColumn('project_id', 'bigint', projectId)
    .addColumn('environment', 'text', notNull)
    .addColumn('hour', 'bigint', notNull)
    .addColumn('sessions', 'bigint', zero)
    .addColumn('errored', 'bigint', zero)
    .addColumn('crashed', 'bigint', zero)
    .addColumn('abnormal', 'bigint', zero)
    .addColumn('unhandled', 'bigint', zero)
    .addColumn('exited', 'bigint', zero)
    .addPrimaryKeyConstraint('release_session_hours_pk', [
      'release_id',
      'project_id',
      'environment',
      'hour',
    ])
    .execute();

  await db.schema
    .createTable('release_session_errors')
    .addColumn('release_id', 'bigint', releaseId)
    .addColumn('project_id', 'bigint', projectId)
    .addColumn('session_id', 'text', notNull)
    .addColumn('hour', 'bigint', notNull)
    .addPrimaryKeyConstraint('release_session_errors_pk', [
      'release_id',
      'project_id',
      'session_id',
    ])
    .execute();

  await db.schema
    .createTable('release_users')
    .addColumn('release_id', 'bigint', releaseId)
    .addColumn('project_id', 'bigint', projectId)
    .addColumn('environment', 'text', notNull)
    .addColumn('distinct_id', 'text', notNull)
    .addColumn('first_seen', 'bigint', notNull)
    .addColumn('last_seen', 'bigint', notNull)
    .addColumn('errored', 'integer', zero)
    .addColumn('crashed', 'integer', zero)
    .addColumn('abnormal', 'integer', zero)
    .addPrimaryKeyConstraint('release_users_pk', [
      'release_id',
      'project_id',
      'environment',
      'distinct_id',
    ])
    .execute();

  // The release API counts the issues first seen in a release per project.
  await db.schema
    .createIndex('issues_project_first_release')
    .on('issues')
    .columns(['project_id', 'first_release'])
    .execute();

  await db.schema
    .createTable('monitors')
    .addColumn('id', idType, id)
    .addColumn('guid', 'text', (c) => c.notNull().unique())
    .addColumn('organization_id', 'bigint', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('project_id', 'bigint', projectId)
    .addColumn('slug', 'text', notNull)
    .addColumn('name', 'text', notNull)
    .addColumn('status', 'text', notNull)
    .addColumn('is_muted', 'integer', zero)
    .addColumn('config', 'text', notNull)
    .addColumn('date_created', 'bigint', notNull)
    .addUniqueConstraint('monitors_org_slug', ['organization_id', 'slug'])
    .execute();
  await db.schema.createIndex('monitors_project').on('monitors').column('project_id').execute();

  await db.schema
    .createTable('monitor_environments')
    .addColumn('id', idType, id)
    .addColumn('monitor_id', 'bigint', (c) =>
      c.notNull().references('monitors.id').onDelete('cascade'),
    )
    .addColumn('environment', 'text', notNull)
    .addColumn('status', 'text', notNull)
    .addColumn('date_created', 'bigint', notNull)
    .addColumn('last_check_in', 'bigint')
    .addColumn('next_check_in', 'bigint')
    .addColumn('next_check_in_latest', 'bigint')
    .addUniqueConstraint('monitor_environments_monitor_env', ['monitor_id', 'environment'])
    .execute();

  await db.schema
    .createTable('monitor_check_ins')
    .addColumn('id', idType, id)
    .addColumn('guid', 'text', notNull)
    .addColumn('project_id', 'bigint', projectId)
    .addColumn('monitor_id', 'bigint', (c) =>
      c.notNull().references('monitors.id').onDelete('cascade'),
    )
    .addColumn('monitor_environment_id', 'bigint', (c) =>
      c.notNull().references('monitor_environments.id').onDelete('cascade'),
    )
    .addColumn('status', 'text', notNull)
    .addColumn('duration', 'bigint')
    .addColumn('date_created', 'bigint', notNull)
    .addColumn('date_updated', 'bigint', notNull)
    .addColumn('expected_time', 'bigint')
    .addColumn('timeout_at', 'bigint')
    .addColumn('monitor_config', 'text', notNull)
    .addColumn('trace_id', 'text')
    .addUniqueConstraint('monitor_check_ins_project_guid', ['project_id', 'guid'])
    .execute();
  await db.schema
    .createIndex('monitor_check_ins_env_date')
    .on('monitor_check_ins')
    .columns(['monitor_environment_id', 'date_created', 'id'])
    .execute();
  await db.schema
    .createIndex('monitor_check_ins_monitor_date')
    .on('monitor_check_ins')
    .columns(['monitor_id', 'date_created', 'id'])
    .execute();
}
