import type { ColumnDefinitionBuilder, Kysely } from 'kysely';

import type { Dialect } from '../connect.js';

/**
 * Adds `payload_dictionaries` and `events.payload_dictionary_id`. Payloads of events stored
 * before this migration have no dictionary and stay readable as they are.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const idType = dialect === 'postgres' ? 'bigserial' : 'integer';
  const blobType = dialect === 'postgres' ? 'bytea' : 'blob';
  // SQLite's AUTOINCREMENT never hands out an id again, so a cached dictionary id stays valid.
  const primaryId = (c: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement();

  await db.schema
    .createTable('payload_dictionaries')
    .addColumn('id', idType, primaryId)
    .addColumn('project_id', 'bigint', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('issue_id', 'bigint', (c) => c.notNull())
    .addColumn('checksum', 'bigint', (c) => c.notNull())
    .addColumn('content', blobType, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('payload_dictionaries_issue')
    .on('payload_dictionaries')
    .column('issue_id')
    .execute();

  // The foreign key makes the engine reject deleting a dictionary that an event still uses.
  await db.schema
    .alterTable('events')
    .addColumn('payload_dictionary_id', 'bigint', (c) => c.references('payload_dictionaries.id'))
    .execute();
  await db.schema
    .createIndex('events_payload_dictionary')
    .on('events')
    .column('payload_dictionary_id')
    .execute();
}
