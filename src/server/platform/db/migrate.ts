import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

import type { Database } from './schema.js';

import type { Dialect } from './connect.js';
import * as initial from './migrations/0001-initial.js';
import * as queuePosition from './migrations/0002-queue-position.js';
import * as performance from './migrations/0003-performance.js';
import * as releaseHealth from './migrations/0004-release-health.js';
import * as feedbackAttachments from './migrations/0005-feedback-attachments.js';
import * as logs from './migrations/0006-logs.js';
import * as ingestControls from './migrations/0007-ingest-controls.js';
import * as inboundFilters from './migrations/0008-inbound-filters.js';
import * as listIndexes from './migrations/0009-list-indexes.js';
import * as issueWorkflow from './migrations/0010-issue-workflow.js';
import * as issueIndexes from './migrations/0011-issue-indexes.js';
import * as issueStatusIndex from './migrations/0012-issue-status-index.js';
import * as releaseWrites from './migrations/0013-release-writes.js';
import * as artifacts from './migrations/0014-artifacts.js';
import * as artifactBlobIndex from './migrations/0015-artifact-blob-index.js';
import * as security from './migrations/0016-security.js';
import * as queueLedger from './migrations/0017-queue-ledger.js';
import * as partitions from './migrations/0018-partitions.js';
import * as payloadDictionaries from './migrations/0019-payload-dictionaries.js';
import * as alerts from './migrations/0020-alerts.js';

interface DialectMigration {
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

// Migrations are listed in code, not read from a folder, so the compiled server and the test
// runner see the same set. A migration is never edited once it has shipped.
const MIGRATIONS: Record<string, DialectMigration> = {
  '0001-initial': initial,
  '0002-queue-position': queuePosition,
  '0003-performance': performance,
  '0004-release-health': releaseHealth,
  '0005-feedback-attachments': feedbackAttachments,
  '0006-logs': logs,
  '0007-ingest-controls': ingestControls,
  '0008-inbound-filters': inboundFilters,
  '0009-list-indexes': listIndexes,
  '0010-issue-workflow': issueWorkflow,
  '0011-issue-indexes': issueIndexes,
  '0012-issue-status-index': issueStatusIndex,
  '0013-release-writes': releaseWrites,
  '0014-artifacts': artifacts,
  '0015-artifact-blob-index': artifactBlobIndex,
  '0016-security': security,
  '0017-queue-ledger': queueLedger,
  '0018-partitions': partitions,
  '0019-payload-dictionaries': payloadDictionaries,
  '0020-alerts': alerts,
};

function createProvider(dialect: Dialect): MigrationProvider {
  return {
    getMigrations: () => {
      const entries = Object.entries(MIGRATIONS).map(([name, migration]): [string, Migration] => [
        name,
        { up: (db) => migration.up(db, dialect) },
      ]);
      return Promise.resolve(Object.fromEntries(entries));
    },
  };
}

/**
 * Applies every pending migration.
 * @throws Error naming the migration that failed, with the engine's error as cause.
 */
export async function migrateToLatest(db: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  // Kysely looks for its bookkeeping tables in `public` unless configured otherwise, which breaks
  // deployments that set another schema through `search_path`.
  const migrationTableSchema =
    dialect === 'postgres'
      ? (await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db)).rows[0]
          ?.schema
      : undefined;
  const migrator = new Migrator({
    db: db,
    provider: createProvider(dialect),
    ...(migrationTableSchema === undefined ? {} : { migrationTableSchema }),
  });
  const { error, results = [] } = await migrateWithRetry(migrator);
  const failed = results.find((result) => result.status === 'Error');

  if (error !== undefined) {
    if (failed !== undefined) {
      throw new Error(`Migration ${failed.migrationName} failed`, { cause: error });
    }
    // Before running anything, Kysely refuses a database that records a migration this build
    // does not have: the database was migrated by a newer version of Picket.
    const reason = error instanceof Error ? error.message : JSON.stringify(error);
    const unknown = /previously executed migration (\S+) is missing/.exec(reason)?.[1];
    throw new Error(
      unknown === undefined
        ? `Migrations failed: ${reason}`
        : `The database has migration ${unknown}, which this version of Picket does not know: it was migrated by a newer version. Run that version, or restore a backup taken before the upgrade`,
      { cause: error },
    );
  }

  return results.map((result) => result.migrationName);
}

const INTROSPECTION_ATTEMPTS = 3;

/**
 * Runs the migrator once more when it failed before running any migration because a table
 * vanished while it listed tables (PostgreSQL error 42P01). Kysely's listing reads every schema
 * of the database, and another process may drop a table meanwhile, such as an event partition
 * that the retention job removes. The next listing no longer has it.
 */
async function migrateWithRetry(migrator: Migrator): ReturnType<Migrator['migrateToLatest']> {
  for (let attempt = 1; ; attempt += 1) {
    const outcome = await migrator.migrateToLatest();
    const code = (outcome.error as { code?: unknown } | undefined)?.code;
    const ranNothing = (outcome.results ?? []).length === 0;
    if (code !== '42P01' || !ranNothing || attempt >= INTROSPECTION_ATTEMPTS) {
      return outcome;
    }
  }
}
