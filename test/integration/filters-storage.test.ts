import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FilterConfigCache } from '../../src/server/features/filters/filter-cache.js';
import {
  countFilteredEvents,
  insertNewProjectFilterSettings,
  readFilterSettings,
  updateFilterSettings,
} from '../../src/server/features/filters/filter-repository.js';
import { shouldFilterEvent } from '../../src/server/features/filters/inbound-filters.js';
import type { OutcomeKind } from '../../src/server/features/ingest/outcome-recorder.js';
import { OrganizationRepository } from '../../src/server/features/organizations/index.js';
import { addOutcomes } from '../../src/server/features/worker/process-records.js';
import { connectDb, migrateToLatest, type Db } from '../../src/server/platform/db/index.js';
import { createPostgresSchema } from '../helpers/picket.js';

const HOUR = 3_600_000;

const engines: { name: string; open: () => Promise<{ db: Db; cleanup: () => Promise<void> }> }[] = [
  {
    name: 'sqlite',
    open: () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-filters-'));
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

describe.each(engines)('filter settings storage on $name', ({ open }) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let newProjectId: number;
  let oldProjectId: number;

  beforeAll(async () => {
    ({ db, cleanup } = await open());
    await migrateToLatest(db.kysely, db.dialect);
    const user = await db.kysely
      .insertInto('users')
      .values({
        email: 'f@example.com',
        name: 'F',
        passwordHash: 'x',
        isSuperuser: 0,
        createdAt: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const plain = new OrganizationRepository(db.kysely);
    const withDefaults = new OrganizationRepository(db.kysely, {
      onProjectCreated: [insertNewProjectFilterSettings],
    });
    const organization = await plain.createOrganization({
      slug: 'acme',
      name: 'Acme',
      ownerId: user.id,
    });
    const team = await plain.findTeam(organization.id, 'acme');
    const projectInput = { organizationId: organization.id, teamId: team!.id, platform: null };
    newProjectId = (await withDefaults.createProject({ ...projectInput, slug: 'new', name: 'New' }))
      .id;
    oldProjectId = (await plain.createProject({ ...projectInput, slug: 'old', name: 'Old' })).id;
  });

  afterAll(async () => {
    await cleanup();
  });

  it('stores the new-project defaults inside project creation', async () => {
    const settings = (await readFilterSettings(db.kysely, [newProjectId])).get(newProjectId);

    expect(settings).toMatchObject({
      browserExtensions: true,
      webCrawlers: true,
      filteredTransaction: true,
      localhost: false,
    });
  });

  it('reads the unset defaults for a project without a row', async () => {
    const settings = (await readFilterSettings(db.kysely, [oldProjectId])).get(oldProjectId);

    expect(settings).toMatchObject({
      browserExtensions: false,
      webCrawlers: false,
      filteredTransaction: true,
      legacyBrowsers: false,
    });
  });

  it('changes one field and keeps the others', async () => {
    await updateFilterSettings(db.kysely, newProjectId, { localhost: true });
    await updateFilterSettings(db.kysely, newProjectId, { releases: ['1.*', '2.0'] });

    const settings = (await readFilterSettings(db.kysely, [newProjectId])).get(newProjectId);

    expect(settings).toMatchObject({
      localhost: true,
      browserExtensions: true,
      releases: ['1.*', '2.0'],
    });
  });

  it('creates a row on the first change of a project without one', async () => {
    await updateFilterSettings(db.kysely, oldProjectId, { legacyBrowsers: ['ie9'] });

    const settings = (await readFilterSettings(db.kysely, [oldProjectId])).get(oldProjectId);

    expect(settings).toMatchObject({ legacyBrowsers: ['ie9'], filteredTransaction: true });
  });

  it('sums filtered outcomes per reason since the window start', async () => {
    const now = Math.floor(Date.now() / HOUR) * HOUR;
    const outcome = (
      hour: number,
      reason: string,
      quantity: number,
      outcomeKind: OutcomeKind = 'filtered',
    ) => ({
      projectId: newProjectId,
      hour,
      outcome: outcomeKind,
      reason,
      category: 'error',
      quantity,
    });
    await addOutcomes(db.kysely, [
      outcome(now, 'web-crawlers', 3),
      outcome(now - HOUR, 'web-crawlers', 2),
      outcome(now, 'localhost', 1),
      outcome(now - 40 * 24 * HOUR, 'localhost', 7),
      outcome(now, 'item_type_not_stored', 5),
      outcome(now, '', 9, 'accepted'),
    ]);

    const counts = await countFilteredEvents(db.kysely, newProjectId, now - 30 * 24 * HOUR);

    expect(counts).toMatchObject({ 'web-crawlers': 5, localhost: 1, 'ip-address': 0 });
  });

  it('reads changed settings once the cached entry is older than its maximum age', async () => {
    const cache = new FilterConfigCache(1_000);
    const event = { release: 'cached@1' };
    const first = await cache.load(db.kysely, [newProjectId], 10_000);

    await updateFilterSettings(db.kysely, newProjectId, { releases: ['cached@*'] });
    const fresh = await cache.load(db.kysely, [newProjectId], 10_500);
    const stale = await cache.load(db.kysely, [newProjectId], 11_000);

    expect(shouldFilterEvent(event, first.get(newProjectId)!, undefined)).toBeUndefined();
    expect(shouldFilterEvent(event, fresh.get(newProjectId)!, undefined)).toBeUndefined();
    expect(shouldFilterEvent(event, stale.get(newProjectId)!, undefined)).toBe('release-version');
  });

  it('deletes the settings with their project', async () => {
    await db.kysely.deleteFrom('projects').where('id', '=', oldProjectId).execute();

    const rows = await db.kysely
      .selectFrom('projectFilterSettings')
      .select('projectId')
      .where('projectId', '=', oldProjectId)
      .execute();

    expect(rows).toEqual([]);
  });

  it('serves the stats query from the outcomes primary key', async () => {
    const query = sql`SELECT reason, SUM(quantity) FROM outcomes
      WHERE project_id = ${newProjectId} AND hour >= ${0} AND outcome = ${'filtered'}
      GROUP BY reason`;
    const planText = (rows: Record<string, unknown>[]) =>
      rows.map((row) => Object.values(row).join(' ')).join('\n');

    if (db.dialect === 'sqlite') {
      const explained = await sql<Record<string, unknown>>`EXPLAIN QUERY PLAN ${query}`.execute(
        db.kysely,
      );
      expect(planText(explained.rows)).toMatch(/SEARCH outcomes USING (COVERING )?INDEX/);
      return;
    }

    // A table this small is read sequentially whatever its indexes, so the plan is checked
    // with sequential scans switched off, on one connection.
    const plan = await db.kysely.connection().execute(async (connection) => {
      await sql`SET enable_seqscan = off`.execute(connection);
      const explained = await sql<Record<string, unknown>>`EXPLAIN ${query}`.execute(connection);
      await sql`SET enable_seqscan = on`.execute(connection);
      return planText(explained.rows);
    });
    expect(plan).toContain('outcomes_pk');
  });
});
