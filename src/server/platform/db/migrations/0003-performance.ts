import type { ColumnDefinitionBuilder, Kysely } from 'kysely';

import type { Dialect } from '../connect.js';

type Column = (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;

const notNull: Column = (column) => column.notNull();

/**
 * Creates `transactions` and `spans`. Times are epoch milliseconds in double precision columns,
 * which keep the microseconds of SDK timestamps (a double has 15 to 16 significant digits).
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const idType = dialect === 'postgres' ? 'bigserial' : 'integer';
  const blobType = dialect === 'postgres' ? 'bytea' : 'blob';
  const id: Column = (column) =>
    dialect === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement();
  const projectId: Column = (column) =>
    column.notNull().references('projects.id').onDelete('cascade');

  await db.schema
    .createTable('transactions')
    .addColumn('id', idType, id)
    .addColumn('project_id', 'bigint', projectId)
    .addColumn('event_id', 'text', notNull)
    .addColumn('trace_id', 'text', notNull)
    .addColumn('span_id', 'text', notNull)
    .addColumn('parent_span_id', 'text')
    .addColumn('name', 'text', notNull)
    .addColumn('op', 'text')
    .addColumn('status', 'text')
    .addColumn('start_ms', 'double precision', notNull)
    .addColumn('end_ms', 'double precision', notNull)
    .addColumn('duration_ms', 'double precision', notNull)
    .addColumn('received_at', 'bigint', notNull)
    .addColumn('release', 'text')
    .addColumn('environment', 'text')
    .addColumn('platform', 'text', notNull)
    .addColumn('user_tag', 'text')
    .addColumn('payload', blobType, notNull)
    .addColumn('size', 'integer', notNull)
    .addUniqueConstraint('transactions_project_event_id', ['project_id', 'event_id'])
    .execute();
  await db.schema
    .createIndex('transactions_project_start')
    .on('transactions')
    .columns(['project_id', 'start_ms desc', 'id desc'])
    .execute();
  await db.schema
    .createIndex('transactions_trace')
    .on('transactions')
    .columns(['trace_id', 'project_id'])
    .execute();
  await db.schema
    .createIndex('transactions_project_name')
    .on('transactions')
    .columns(['project_id', 'name', 'start_ms'])
    .execute();

  await db.schema
    .createTable('spans')
    .addColumn('id', idType, id)
    .addColumn('project_id', 'bigint', projectId)
    .addColumn('trace_id', 'text', notNull)
    .addColumn('span_id', 'text', notNull)
    .addColumn('parent_span_id', 'text')
    .addColumn('segment_id', 'text')
    .addColumn('transaction_event_id', 'text')
    .addColumn('is_segment', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('name', 'text')
    .addColumn('op', 'text')
    .addColumn('status', 'text')
    .addColumn('kind', 'text')
    .addColumn('origin', 'text')
    .addColumn('start_ms', 'double precision', notNull)
    .addColumn('end_ms', 'double precision', notNull)
    .addColumn('duration_ms', 'double precision', notNull)
    .addColumn('received_at', 'bigint', notNull)
    .addColumn('release', 'text')
    .addColumn('environment', 'text')
    .addColumn('data', 'text', notNull)
    .addColumn('tags', 'text')
    .execute();
  // Trace id first, so that the trace view reads a trace's spans through this index.
  await db.schema
    .createIndex('spans_trace_span_project')
    .on('spans')
    .columns(['trace_id', 'span_id', 'project_id'])
    .unique()
    .execute();
}
