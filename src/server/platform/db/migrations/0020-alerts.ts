import type { ColumnDefinitionBuilder, Kysely } from 'kysely';

import type { Dialect } from '../connect.js';

/**
 * Adds issue alert rules, their firings, the outbox of notification deliveries, per-user
 * notification settings and the small state tables of the notification jobs.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const idType = dialect === 'postgres' ? 'bigserial' : 'integer';
  const primaryId = (c: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement();

  await db.schema
    .createTable('alert_rules')
    .addColumn('id', idType, primaryId)
    .addColumn('project_id', 'bigint', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('environment', 'text')
    .addColumn('action_match', 'text', (c) => c.notNull())
    .addColumn('filter_match', 'text', (c) => c.notNull())
    .addColumn('frequency_minutes', 'integer', (c) => c.notNull())
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('filters', 'text', (c) => c.notNull())
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('owner', 'text')
    .addColumn('created_by', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_triggered', 'bigint')
    .execute();
  await db.schema
    .createIndex('alert_rules_project')
    .on('alert_rules')
    .column('project_id')
    .execute();

  await db.schema
    .createTable('alert_rule_issues')
    .addColumn('rule_id', 'bigint', (c) =>
      c.notNull().references('alert_rules.id').onDelete('cascade'),
    )
    .addColumn('issue_id', 'bigint', (c) => c.notNull())
    .addColumn('last_fired_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_rule_issues_pk', ['rule_id', 'issue_id'])
    .execute();

  await db.schema
    .createTable('alert_firings')
    .addColumn('id', idType, primaryId)
    .addColumn('rule_id', 'bigint', (c) =>
      c.notNull().references('alert_rules.id').onDelete('cascade'),
    )
    .addColumn('project_id', 'bigint', (c) => c.notNull())
    .addColumn('issue_id', 'bigint', (c) => c.notNull())
    .addColumn('event_id', 'text')
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('fired_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('alert_firings_rule')
    .on('alert_firings')
    .columns(['rule_id', 'fired_at'])
    .execute();
  await db.schema
    .createIndex('alert_firings_issue')
    .on('alert_firings')
    .columns(['issue_id', 'fired_at'])
    .execute();

  await db.schema
    .createTable('notification_deliveries')
    .addColumn('id', idType, primaryId)
    .addColumn('organization_id', 'bigint')
    .addColumn('project_id', 'bigint')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'bigint')
    .addColumn('firing_id', 'bigint')
    .addColumn('issue_id', 'bigint')
    .addColumn('user_id', 'bigint')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('signing_secret', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('response_status', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('notification_deliveries_due')
    .on('notification_deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('notification_deliveries_rule')
    .on('notification_deliveries')
    .columns(['rule_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('notification_deliveries_issue')
    .on('notification_deliveries')
    .columns(['issue_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('notification_deliveries_firing')
    .on('notification_deliveries')
    .column('firing_id')
    .execute();

  await db.schema
    .createTable('notification_settings')
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_settings_pk', ['user_id', 'key'])
    .execute();

  await db.schema
    .createTable('notification_marks')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}
