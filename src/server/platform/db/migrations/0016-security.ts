import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';

import type { Dialect } from '../connect.js';

/**
 * Adds what accounts and data protection need: two-factor authenticators and recovery codes,
 * session details, login throttling, organization tokens, invitations, team roles, the audit
 * log (append-only, kept when its organization is deleted), encrypted instance secrets and
 * data-scrubbing settings.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const idType = dialect === 'postgres' ? 'bigserial' : 'integer';
  const primaryId = (c: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement();

  await db.schema
    .alterTable('users')
    .addColumn('is_active', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('users').addColumn('password_changed_at', 'bigint').execute();
  await db.schema.alterTable('users').addColumn('last_login_at', 'bigint').execute();

  // `auth_level` is `password` until the second step is done, then `complete`. `last_auth_at`
  // is when the password or second factor was last entered, for re-authentication windows.
  await db.schema
    .alterTable('user_sessions')
    .addColumn('auth_level', 'text', (c) => c.notNull().defaultTo('complete'))
    .execute();
  await db.schema.alterTable('user_sessions').addColumn('last_auth_at', 'bigint').execute();
  await db.schema.alterTable('user_sessions').addColumn('ip_address', 'text').execute();
  await db.schema.alterTable('user_sessions').addColumn('user_agent', 'text').execute();
  await db.schema.createIndex('user_sessions_user').on('user_sessions').column('user_id').execute();

  await db.schema
    .createTable('user_authenticators')
    .addColumn('id', idType, primaryId)
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('user_authenticators_user')
    .on('user_authenticators')
    .column('user_id')
    .execute();

  await db.schema
    .createTable('user_recovery_codes')
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addPrimaryKeyConstraint('user_recovery_codes_pk', ['user_id', 'code_hash'])
    .execute();

  await db.schema
    .createTable('auth_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .execute();

  // Organization tokens have an organization and no scopes beyond it; user tokens have none.
  await db.schema.alterTable('api_tokens').addColumn('organization_id', 'bigint').execute();
  await db.schema
    .alterTable('api_tokens')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('user'))
    .execute();
  await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute();
  await db.schema
    .createIndex('api_tokens_organization')
    .on('api_tokens')
    .column('organization_id')
    .execute();

  await db.schema
    .alterTable('organizations')
    .addColumn('require_two_factor', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('organizations')
    .addColumn('open_membership', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('organizations')
    .addColumn('default_role', 'text', (c) => c.notNull().defaultTo('member'))
    .execute();

  await db.schema
    .alterTable('team_members')
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('contributor'))
    .execute();

  await db.schema
    .createTable('organization_invites')
    .addColumn('id', idType, primaryId)
    .addColumn('organization_id', 'bigint', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('team_ids', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('inviter_id', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('organization_invites_org_email', ['organization_id', 'email'])
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', idType, primaryId)
    .addColumn('organization_id', 'bigint')
    .addColumn('actor_user_id', 'bigint')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('actor_token_id', 'bigint')
    .addColumn('ip_address', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_log_org_time')
    .on('audit_log')
    .columns(['organization_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('audit_log_event')
    .on('audit_log')
    .columns(['organization_id', 'event', 'created_at'])
    .execute();
  await forbidAuditChanges(db, dialect);

  // Instance secrets (SMTP password, integration credentials), encrypted with the secret key.
  await db.schema
    .createTable('instance_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // Data-scrubbing settings of an organization (`project_id` 0) or a project, as JSON.
  await db.schema
    .createTable('scrubbing_settings')
    .addColumn('organization_id', 'bigint', (c) =>
      c.notNull().references('organizations.id').onDelete('cascade'),
    )
    .addColumn('project_id', 'bigint', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('scrubbing_settings_pk', ['organization_id', 'project_id'])
    .execute();
}

/** Makes the audit log append-only: the engine itself refuses updates and deletes. */
async function forbidAuditChanges(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql`
      CREATE FUNCTION picket_audit_log_append_only() RETURNS trigger AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only';
      END;
      $$ LANGUAGE plpgsql
    `.execute(db);
    await sql`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION picket_audit_log_append_only()
    `.execute(db);
    return;
  }
  await sql`
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
  `.execute(db);
  await sql`
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
  `.execute(db);
}
