import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';

import type { Dialect } from '../connect.js';

type Column = (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;

const notNull: Column = (column) => column.notNull();

/** Creates accounts, organizations, projects, keys, issues, events and outcomes. */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const idType = dialect === 'postgres' ? 'bigserial' : 'integer';
  const blobType = dialect === 'postgres' ? 'bytea' : 'blob';
  const id: Column = (column) =>
    dialect === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement();

  await db.schema
    .createTable('users')
    .addColumn('id', idType, id)
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', notNull)
    .addColumn('password_hash', 'text', notNull)
    .addColumn('is_superuser', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', notNull)
    .execute();

  await db.schema
    .createTable('user_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', notNull)
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('expires_at', 'bigint', notNull)
    .addColumn('last_seen_at', 'bigint', notNull)
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', idType, id)
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', notNull)
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('token_last_characters', 'text', notNull)
    .addColumn('scopes', 'text', notNull)
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('expires_at', 'bigint')
    .addColumn('last_used_at', 'bigint')
    .execute();

  await db.schema
    .createTable('organizations')
    .addColumn('id', idType, id)
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', notNull)
    .addColumn('created_at', 'bigint', notNull)
    .execute();

  await db.schema
    .createTable('organization_members')
    .addColumn('id', idType, id)
    .addColumn('organization_id', 'bigint', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', notNull)
    .addColumn('created_at', 'bigint', notNull)
    .addUniqueConstraint('organization_members_org_user', ['organization_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('teams')
    .addColumn('id', idType, id)
    .addColumn('organization_id', 'bigint', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('slug', 'text', notNull)
    .addColumn('name', 'text', notNull)
    .addColumn('created_at', 'bigint', notNull)
    .addUniqueConstraint('teams_org_slug', ['organization_id', 'slug'])
    .execute();

  await db.schema
    .createTable('team_members')
    .addColumn('team_id', 'bigint', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('member_id', 'bigint', (c) =>
      c.notNull().references('organization_members.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'member_id'])
    .execute();

  await db.schema
    .createTable('projects')
    .addColumn('id', idType, id)
    .addColumn('organization_id', 'bigint', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('slug', 'text', notNull)
    .addColumn('name', 'text', notNull)
    .addColumn('platform', 'text')
    .addColumn('created_at', 'bigint', notNull)
    .addColumn('first_event_at', 'bigint')
    .addColumn('next_short_id', 'bigint', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('projects_org_slug', ['organization_id', 'slug'])
    .execute();

  await db.schema
    .createTable('project_teams')
    .addColumn('project_id', 'bigint', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('team_id', 'bigint', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('project_teams_pk', ['project_id', 'team_id'])
    .execute();

  await db.schema
    .createTable('project_keys')
    .addColumn('id', idType, id)
    .addColumn('project_id', 'bigint', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('public_key', 'text', (c) => c.notNull().unique())
    .addColumn('secret_key', 'text', notNull)
    .addColumn('label', 'text', notNull)
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', notNull)
    .execute();

  await db.schema
    .createTable('issues')
    .addColumn('id', idType, id)
    .addColumn('project_id', 'bigint', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('short_id_number', 'bigint', notNull)
    .addColumn('title', 'text', notNull)
    .addColumn('culprit', 'text', notNull)
    .addColumn('type', 'text', notNull)
    .addColumn('level', 'text', notNull)
    .addColumn('status', 'text', notNull)
    .addColumn('substatus', 'text')
    .addColumn('platform', 'text', notNull)
    .addColumn('metadata', 'text', notNull)
    .addColumn('first_seen', 'bigint', notNull)
    .addColumn('last_seen', 'bigint', notNull)
    .addColumn('times_seen', 'bigint', notNull)
    .addColumn('user_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('resolved_at', 'bigint')
    .addColumn('first_release', 'text')
    .addColumn('last_release', 'text')
    .addUniqueConstraint('issues_project_short_id', ['project_id', 'short_id_number'])
    .execute();
  await db.schema
    .createIndex('issues_project_status_last_seen')
    .on('issues')
    .columns(['project_id', 'status', 'last_seen'])
    .execute();

  await db.schema
    .createTable('issue_hashes')
    .addColumn('id', idType, id)
    .addColumn('project_id', 'bigint', notNull)
    .addColumn('hash', 'text', notNull)
    .addColumn('issue_id', 'bigint', (c) => c.notNull().references('issues.id').onDelete('cascade'))
    .addUniqueConstraint('issue_hashes_project_hash', ['project_id', 'hash'])
    .execute();
  await db.schema.createIndex('issue_hashes_issue').on('issue_hashes').column('issue_id').execute();

  await db.schema
    .createTable('issue_tag_values')
    .addColumn('issue_id', 'bigint', (c) => c.notNull().references('issues.id').onDelete('cascade'))
    .addColumn('key', 'text', notNull)
    .addColumn('value', 'text', notNull)
    .addColumn('times_seen', 'bigint', notNull)
    .addColumn('first_seen', 'bigint', notNull)
    .addColumn('last_seen', 'bigint', notNull)
    .addPrimaryKeyConstraint('issue_tag_values_pk', ['issue_id', 'key', 'value'])
    .execute();

  await db.schema
    .createTable('events')
    .addColumn('id', idType, id)
    .addColumn('project_id', 'bigint', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('issue_id', 'bigint', (c) => c.notNull().references('issues.id').onDelete('cascade'))
    .addColumn('event_id', 'text', notNull)
    .addColumn('timestamp', 'bigint', notNull)
    .addColumn('received_at', 'bigint', notNull)
    .addColumn('type', 'text', notNull)
    .addColumn('level', 'text', notNull)
    .addColumn('platform', 'text', notNull)
    .addColumn('title', 'text', notNull)
    .addColumn('release', 'text')
    .addColumn('environment', 'text')
    .addColumn('trace_id', 'text')
    .addColumn('user_tag', 'text')
    .addColumn('payload', blobType, notNull)
    .addColumn('size', 'integer', notNull)
    .addUniqueConstraint('events_project_event_id', ['project_id', 'event_id'])
    .execute();
  await db.schema
    .createIndex('events_issue_timestamp')
    .on('events')
    .columns(['issue_id', 'timestamp', 'id'])
    .execute();
  await db.schema
    .createIndex('events_project_timestamp')
    .on('events')
    .columns(['project_id', 'timestamp'])
    .execute();

  await db.schema
    .createTable('outcomes')
    .addColumn('project_id', 'bigint', notNull)
    .addColumn('hour', 'bigint', notNull)
    .addColumn('outcome', 'text', notNull)
    .addColumn('reason', 'text', notNull)
    .addColumn('category', 'text', notNull)
    .addColumn('quantity', 'bigint', notNull)
    .addPrimaryKeyConstraint('outcomes_pk', ['project_id', 'hour', 'outcome', 'reason', 'category'])
    .execute();

  await db.schema
    .createTable('ingest_queue')
    .addColumn('id', idType, id)
    .addColumn('project_id', 'bigint', notNull)
    .addColumn('kind', 'text', notNull)
    .addColumn('received_at', 'bigint', notNull)
    .addColumn('body', 'text', notNull)
    .execute();

  if (dialect === 'sqlite') {
    await sql`PRAGMA user_version = 1`.execute(db);
  }
}
