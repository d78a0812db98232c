import type { ColumnDefinitionBuilder, Kysely } from 'kysely';

import type { Dialect } from '../connect.js';

type Column = (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;

const notNull: Column = (column) => column.notNull();

/**
 * Adds what the issue workflow, search and charts need: status details and assignees on
 * issues, the grouping hash and a tag line on events, hourly event counts per issue, bookmarks,
 * subscriptions, seen markers, the activity timeline (comments included), tombstones of
 * discarded hashes, saved searches and per-project grouping rules.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const idType = dialect === 'postgres' ? 'bigserial' : 'integer';
  const id: Column = (column) =>
    dialect === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement();
  const issueRef: Column = (c) => c.notNull().references('issues.id').onDelete('cascade');
  const userRef: Column = (c) => c.notNull().references('users.id').onDelete('cascade');

  // SQLite adds one column per ALTER TABLE statement.
  await db.schema.alterTable('issues').addColumn('status_details', 'text').execute();
  await db.schema
    .alterTable('issues')
    .addColumn('assignee_user_id', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    .execute();
  await db.schema
    .alterTable('issues')
    .addColumn('assignee_team_id', 'bigint', (c) => c.references('teams.id').onDelete('set null'))
    .execute();
  await db.schema.alterTable('events').addColumn('primary_hash', 'text').execute();
  await db.schema.alterTable('events').addColumn('tag_line', 'text').execute();

  await db.schema
    .createTable('issue_hourly_counts')
    .addColumn('issue_id', 'bigint', issueRef)
    .addColumn('hour', 'bigint', notNull)
    .addColumn('count', 'bigint', notNull)
    .addPrimaryKeyConstraint('issue_hourly_counts_pk', ['issue_id', 'hour'])
    .execute();

  await db.schema
    .createTable('issue_bookmarks')
    .addColumn('issue_id', 'bigint', issueRef)
    .addColumn('user_id', 'bigint', userRef)
    .addColumn('created_at', 'bigint', notNull)
    .addPrimaryKeyConstraint('issue_bookmarks_pk', ['issue_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('issue_bookmarks_user')
    .on('issue_bookmarks')
    .columns(['user_id', 'issue_id'])
    .execute();

  await db.schema
    .createTable('issue_subscriptions')
    .addColumn('issue_id', 'bigint', issueRef)
    .addColumn('user_id', 'bigint', userRef)
    .addColumn('is_subscribed', 'integer', notNull)
    .addColumn('reason', 'text', notNull)
    .addColumn('created_at', 'bigint', notNull)
    .addPrimaryKeyConstraint('issue_subscriptions_pk', ['issue_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('issue_seen')
    .addColumn('issue_id', 'bigint', issueRef)
    .addColumn('user_id', 'bigint', userRef)
    .addColumn('last_seen', 'bigint', notNull)
    .addPrimaryKeyConstraint('issue_seen_pk', ['issue_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('issue_activity')
    .addColumn('id', idType, id)
    .addColumn('issue_id', 'bigint', issueRef)
    .addColumn('project_id', 'bigint', notNull)
    .addColumn('user_id', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('type', 'text', notNull)
    .addColumn('data', 'text', notNull)
    .addColumn('created_at', 'bigint', notNull)
    .execute();
  await db.schema
    .createIndex('issue_activity_issue')
    .on('issue_activity')
    .columns(['issue_id', 'id'])
    .execute();

  await db.schema
    .createTable('issue_tombstones')
    .addColumn('id', idType, id)
    .addColumn('project_id', 'bigint', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('hash', 'text', notNull)
    .addColumn('title', 'text', notNull)
    .addColumn('user_id', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', notNull)
    .addUniqueConstraint('issue_tombstones_project_hash', ['project_id', 'hash'])
    .execute();

  await db.schema
    .createTable('saved_searches')
    .addColumn('id', idType, id)
    .addColumn('organization_id', 'bigint', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('owner_user_id', 'bigint', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', notNull)
    .addColumn('query', 'text', notNull)
    .addColumn('sort', 'text', notNull)
    .addColumn('visibility', 'text', notNull)
    .addColumn('created_at', 'bigint', notNull)
    .execute();
  await db.schema
    .createIndex('saved_searches_organization')
    .on('saved_searches')
    .columns(['organization_id', 'id'])
    .execute();

  await db.schema
    .createTable('project_grouping_rules')
    .addColumn('project_id', 'bigint', (c) =>
      c.primaryKey().references('projects.id').onDelete('cascade'),
    )
    .addColumn('enhancements', 'text', notNull)
    .addColumn('fingerprinting', 'text', notNull)
    .addColumn('updated_at', 'bigint', notNull)
    .execute();

  await db.schema
    .createIndex('issues_project_first_seen')
    .on('issues')
    .columns(['project_id', 'first_seen'])
    .execute();
  await db.schema
    .createIndex('issues_assignee_user')
    .on('issues')
    .columns(['assignee_user_id'])
    .execute();
}
