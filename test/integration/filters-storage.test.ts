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
import { migrateToLatest, type Db } from '../../src/server/platform/db/index.js';
import {
  STORAGE_ENGINES,
  addTestProject,
  createTestOrganization,
  explainQuery,
} from '../helpers/engines.js';

const HOUR = 3_600_000;

describe.each(STORAGE_ENGINES)('filter settings storage on $name', ({ open }) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let newProjectId: number;
  let oldProjectId: number;

  beforeAll(async () => {
    ({ db, cleanup } = await open());
    await migrateToLatest(db.kysely, db.dialect);
    const acme = await createTestOrganization(db);
    // Only a repository with this hook stores the new-project defaults.
    const withDefaults = new OrganizationRepository(db.kysely, {
      onProjectCreated: [insertNewProjectFilterSettings],
    });
    newProjectId = await addTestProject({ ...acme, organizations: withDefaults }, 'new');
    oldProjectId = await addTestProject(acme, 'old');
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
    const plan = await explainQuery(
      db,
      `SELECT reason, SUM(quantity) FROM outcomes
        WHERE project_id = ${newProjectId} AND hour >= 0 AND outcome = 'filtered'
        GROUP BY reason`,
    );

    if (db.dialect === 'sqlite') {
      expect(plan).toMatch(/SEARCH outcomes USING (COVERING )?INDEX/);
      return;
    }
    expect(plan).toContain('outcomes_pk');
  });
});
