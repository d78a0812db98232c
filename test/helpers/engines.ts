/**
 * The database engines every storage test runs against, the rows those tests start from (a user,
 * an organization with its team, and projects), and reads of the outcomes and query plans.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { CompiledQuery, sql } from 'kysely';

import { OrganizationRepository } from '../../src/server/features/organizations/index.js';
import { connectDb, migrateToLatest, type Db } from '../../src/server/platform/db/index.js';
import { createPostgresSchema } from './picket.js';

/** A database opened for one test file, with the function that closes and removes it. */
export interface OpenedDb {
  db: Db;
  cleanup: () => Promise<void>;
}

export interface StorageEngine {
  name: 'sqlite' | 'postgres';
  open: () => Promise<OpenedDb>;
}

/** SQLite in a temporary folder and PostgreSQL in a fresh schema, for `describe.each`. */
export const STORAGE_ENGINES: StorageEngine[] = [
  {
    name: 'sqlite',
    open: () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-storage-'));
      const db = connectDb({ databaseUrl: undefined, dataDir });
      return Promise.resolve({
        db,
        cleanup: async () => {
          await db.close();
          fs.rmSync(dataDir, { recursive: true, force: true });
        },
      });
    },
  },
  {
    name: 'postgres',
    open: async () => {
      const { url } = await createPostgresSchema();
      const db = connectDb({ databaseUrl: url, dataDir: os.tmpdir() });
      return { db, cleanup: () => db.close() };
    },
  },
];

export interface ServerEngine {
  name: 'sqlite' | 'postgres';
  /** The `databaseUrl` option of `startPicket`: undefined for SQLite in the data folder. */
  databaseUrl: () => Promise<string | undefined>;
}

/** The same two engines for tests that start the server, for `describe.each`. */
export const SERVER_ENGINES: ServerEngine[] = [
  { name: 'sqlite', databaseUrl: () => Promise.resolve(undefined) },
  { name: 'postgres', databaseUrl: async () => (await createPostgresSchema()).url },
];

export interface TestOrganization {
  organizations: OrganizationRepository;
  userId: number;
  organizationId: number;
  teamId: number;
}

export interface TestProjectRows extends TestOrganization {
  projectId: number;
}

let ownerCount = 0;

/**
 * Creates a user and an organization it owns, with the team that comes with a new organization.
 * The database must be migrated already.
 */
export async function createTestOrganization(
  db: Db,
  slug = 'acme',
  organizations = new OrganizationRepository(db.kysely),
): Promise<TestOrganization> {
  ownerCount += 1;
  const user = await db.kysely
    .insertInto('users')
    .values({
      email: `owner${ownerCount}@example.com`,
      name: `Owner ${ownerCount}`,
      passwordHash: 'x',
      isSuperuser: 0,
      createdAt: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const organization = await organizations.createOrganization({
    slug,
    name: slug,
    ownerId: user.id,
  });
  const team = await organizations.findTeam(organization.id, slug);
  if (team === undefined) {
    throw new Error(`team ${slug} not found in the new organization ${slug}`);
  }
  return { organizations, userId: user.id, organizationId: organization.id, teamId: team.id };
}

/** Creates a project, with its first key, in the organization's team and returns its id. */
export async function addTestProject(
  organization: TestOrganization,
  slug: string,
  platform: string | null = null,
): Promise<number> {
  const project = await organization.organizations.createProject({
    organizationId: organization.organizationId,
    teamId: organization.teamId,
    slug,
    name: slug,
    platform,
  });
  return project.id;
}

/** Migrates the database, then creates a user, an organization, its team and one project. */
export async function createTestProject(
  db: Db,
  options: { platform?: string | null } = {},
): Promise<TestProjectRows> {
  await migrateToLatest(db.kysely, db.dialect);
  const organization = await createTestOrganization(db);
  const projectId = await addTestProject(organization, 'web', options.platform ?? null);
  return { ...organization, projectId };
}

/** Sums the stored outcome quantities of a project that match every field given. */
export async function countOutcomes(
  db: Db,
  filter: { projectId: number; outcome?: string; reason?: string; category?: string },
): Promise<number> {
  let query = db.kysely
    .selectFrom('outcomes')
    .select('quantity')
    .where('projectId', '=', filter.projectId);
  if (filter.outcome !== undefined) {
    query = query.where('outcome', '=', filter.outcome);
  }
  if (filter.reason !== undefined) {
    query = query.where('reason', '=', filter.reason);
  }
  if (filter.category !== undefined) {
    query = query.where('category', '=', filter.category);
  }
  const rows = await query.execute();
  return rows.reduce((total, row) => total + Number(row.quantity), 0);
}

/** PostgreSQL planner methods that `explainQuery` can switch off besides sequential scans. */
export type PlannerMethod = 'bitmapscan' | 'sort';

/**
 * Returns the query plan as text, one line per plan row. PostgreSQL scans tables this small
 * whatever their indexes. Here it plans with sequential scans (and the methods given) off, so the
 * plan shows which index can serve the query. The query must carry its values inline, because
 * it is planned without parameters.
 */
export async function explainQuery(
  db: Db,
  query: string,
  disabled: PlannerMethod[] = [],
): Promise<string> {
  if (db.sqlite !== undefined) {
    const rows = db.sqlite.prepare(`EXPLAIN QUERY PLAN ${query}`).all() as { detail: string }[];
    return rows.map((row) => row.detail).join('\n');
  }
  return db.kysely.transaction().execute(async (trx) => {
    await sql`SET LOCAL enable_seqscan = off`.execute(trx);
    for (const method of disabled) {
      await sql.raw(`SET LOCAL enable_${method} = off`).execute(trx);
    }
    const result = await sql<Record<string, string>>`EXPLAIN ${sql.raw(query)}`.execute(trx);
    return result.rows.map((row) => Object.values(row).join(' ')).join('\n');
  });
}

/**
 * Returns the plan of a compiled query with its parameters bound, as `explainQuery` does for
 * inline SQL, so that a test can check the statement a repository runs.
 */
export async function explainCompiledQuery(
  db: Db,
  query: CompiledQuery,
  disabled: PlannerMethod[] = [],
): Promise<string> {
  if (db.sqlite !== undefined) {
    const rows = db.sqlite.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...query.parameters) as {
      detail: string;
    }[];
    return rows.map((row) => row.detail).join('\n');
  }
  return db.kysely.transaction().execute(async (trx) => {
    await sql`SET LOCAL enable_seqscan = off`.execute(trx);
    for (const method of disabled) {
      await sql.raw(`SET LOCAL enable_${method} = off`).execute(trx);
    }
    const result = await trx.executeQuery<Record<string, string>>(
      CompiledQuery.raw(`EXPLAIN ${query.sql}`, [...query.parameters]),
    );
    return result.rows.map((row) => Object.values(row).join(' ')).join('\n');
  });
}
