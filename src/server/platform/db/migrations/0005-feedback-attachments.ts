import type { ColumnDefinitionBuilder, Kysely } from 'kysely';

import type { Dialect } from '../connect.js';

type Column = (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;

const notNull: Column = (column) => column.notNull();

/** Creates `event_attachments` and `user_feedback`. */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const idType = dialect === 'postgres' ? 'bigserial' : 'integer';
  const id: Column = (column) =>
    dialect === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement();

  await db.schema
    .createTable('event_attachments')
    .addColumn('id', idType, id)
    .addColumn('project_id', 'bigint', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('event_id', 'text', notNull)
    .addColumn('name', 'text', notNull)
    .addColumn('content_type', 'text', notNull)
    .addColumn('attachment_type', 'text', notNull)
    .addColumn('size', 'bigint', notNull)
    .addColumn('sha1', 'text', notNull)
    .addColumn('blob_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', notNull)
    .execute();
  await db.schema
    .createIndex('event_attachments_project_event')
    .on('event_attachments')
    .columns(['project_id', 'event_id', 'id'])
    .execute();

  await db.schema
    .createTable('user_feedback')
    .addColumn('id', idType, id)
    .addColumn('project_id', 'bigint', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', notNull)
    .addColumn('feedback_event_id', 'text', notNull)
    .addColumn('event_id', 'text')
    .addColumn('issue_id', 'bigint', (c) => c.references('issues.id').onDelete('set null'))
    .addColumn('name', 'text', notNull)
    .addColumn('email', 'text', notNull)
    .addColumn('comments', 'text', notNull)
    .addColumn('url', 'text')
    .addColumn('environment', 'text')
    .addColumn('user', 'text')
    .addColumn('created_at', 'bigint', notNull)
    .addUniqueConstraint('user_feedback_project_feedback_event', [
      'project_id',
      'feedback_event_id',
    ])
    .execute();
  await db.schema
    .createIndex('user_feedback_project_created')
    .on('user_feedback')
    .columns(['project_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('user_feedback_project_issue_created')
    .on('user_feedback')
    .columns(['project_id', 'issue_id', 'created_at', 'id'])
    .execute();
}
