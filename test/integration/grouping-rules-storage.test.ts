import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  readGroupingRules,
  writeGroupingRules,
} from '../../src/server/features/grouping/project-rules.js';
import { GroupingRulesCache } from '../../src/server/features/grouping/rules-cache.js';
import { migrateToLatest, type Db } from '../../src/server/platform/db/index.js';
import { STORAGE_ENGINES, addTestProject, createTestOrganization } from '../helpers/engines.js';

describe.each(STORAGE_ENGINES)('grouping rules storage on $name', ({ open }) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let projectId: number;
  let otherProjectId: number;

  beforeAll(async () => {
    ({ db, cleanup } = await open());
    await migrateToLatest(db.kysely, db.dialect);
    const acme = await createTestOrganization(db);
    projectId = await addTestProject(acme, 'rules');
    otherProjectId = await addTestProject(acme, 'other');
  });

  afterAll(async () => {
    await cleanup();
  });

  it('reads empty rules for a project without a row', async () => {
    const rules = await readGroupingRules(db.kysely, [otherProjectId]);

    expect(rules.get(otherProjectId)).toEqual({ enhancements: '', fingerprinting: '' });
  });

  it('changes one text and keeps the other', async () => {
    await writeGroupingRules(db.kysely, projectId, { enhancements: 'function:a -group' });
    await writeGroupingRules(db.kysely, projectId, { fingerprinting: 'type:A -> a' });

    const rules = await readGroupingRules(db.kysely, [projectId, otherProjectId]);

    expect(rules.get(projectId)).toEqual({
      enhancements: 'function:a -group',
      fingerprinting: 'type:A -> a',
    });
    expect(rules.get(otherProjectId)).toEqual({ enhancements: '', fingerprinting: '' });
  });

  it('reads changed rules once the cached entry is older than its maximum age', async () => {
    const cache = new GroupingRulesCache(1_000);
    const first = (await cache.load(db.kysely, [projectId], 10_000)).get(projectId);

    await writeGroupingRules(db.kysely, projectId, { fingerprinting: 'type:B -> b' });
    const fresh = (await cache.load(db.kysely, [projectId], 10_500)).get(projectId);
    const stale = (await cache.load(db.kysely, [projectId], 11_000)).get(projectId);

    expect(first?.fingerprinting.map((rule) => rule.text)).toEqual(['type:A -> a']);
    expect(fresh).toBe(first);
    expect(stale?.fingerprinting.map((rule) => rule.text)).toEqual(['type:B -> b']);
    expect(stale?.key).not.toBe(first?.key);
  });

  it('keeps the compiled rules when the text is unchanged', async () => {
    const cache = new GroupingRulesCache(1_000);
    const first = (await cache.load(db.kysely, [projectId], 20_000)).get(projectId);
    const again = (await cache.load(db.kysely, [projectId], 22_000)).get(projectId);

    expect(again).toBe(first);
  });

  it('deletes the rules with their project', async () => {
    await db.kysely.deleteFrom('projects').where('id', '=', projectId).execute();

    const rows = await db.kysely
      .selectFrom('projectGroupingRules')
      .select('projectId')
      .where('projectId', '=', projectId)
      .execute();

    expect(rows).toEqual([]);
  });
});
