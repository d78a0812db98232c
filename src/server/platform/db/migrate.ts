import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';

import type { Dialect } from './connect.js';
import * as initial from './migrations/0001-initial.js';

interface DialectMigration {
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

// Migrations are listed in code, not read from a folder, so the compiled server and the test
// runner see the same set. A migration is never edited once it has shipped.
const MIGRATIONS: Record<string, DialectMigration> = {
  '0001-initial': initial,
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
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<string[]> {
  const migrator = new Migrator({ db, provider: createProvider(dialect) });
  const { error, results = [] } = await migrator.migrateToLatest();
  const failed = results.find((result) => result.status === 'Error');

  if (error !== undefined) {
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed`, { cause: error });
  }

  return results.map((result) => result.migrationName);
}
