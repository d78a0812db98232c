/**
 * The repositories of ingest controls and stats on real SQLite and PostgreSQL, with the plans of
 * their hot queries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { OrganizationRepository } from '../../src/server/features/organizations/index.js';
import { IngestControlRepository } from '../../src/server/features/rate-limits/index.js';
import { ProjectKeyCache } from '../../src/server/features/ingest/project-key-cache.js';
import { StatsRepository } from '../../src/server/features/stats/index.js';
import type { Db } from '../../src/server/platform/db/index.js';
import { STORAGE_ENGINES, createTestProject, explainQuery } from '../helpers/engines.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

describe.each(STORAGE_ENGINES)('ingest controls storage on $name', ({ open }) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let organizations: OrganizationRepository;
  let projectId: number;
  let publicKey: string;

  beforeAll(async () => {
    ({ db, cleanup } = await open());
    ({ organizations, projectId } = await createTestProject(db));
    publicKey = (await organizations.listKeys(projectId))[0]!.publicKey;
  });

  afterAll(async () => {
    await cleanup();
  });

  it('stores and clears a key rate limit and allowed domains', async () => {
    const updated = await organizations.updateKey(projectId, publicKey, {
      rateLimit: { count: 5, window: 60 },
      allowedDomains: ['*.example.com'],
    });
    const cleared = await organizations.updateKey(projectId, publicKey, { rateLimit: null });

    expect(updated?.rateLimitCount).toBe(5);
    expect(updated?.rateLimitWindow).toBe(60);
    expect(updated?.allowedDomains).toBe('["*.example.com"]');
    expect(cleared?.rateLimitCount).toBeNull();
    expect(cleared?.allowedDomains).toBe('["*.example.com"]');
  });

  it('gives a project without settings the defaults', async () => {
    const settings = await new IngestControlRepository(db.kysely).findSettings([projectId]);

    expect(settings.get(projectId)).toEqual({ rateLimit: null, spikeProtection: true });
  });

  it('upserts project settings and keeps unchanged fields', async () => {
    const repository = new IngestControlRepository(db.kysely);

    await repository.updateSettings(projectId, { rateLimit: { count: 10, window: 3600 } });
    const second = await repository.updateSettings(projectId, { spikeProtection: false });

    expect(second).toEqual({ rateLimit: { count: 10, window: 3600 }, spikeProtection: false });
  });

  it('loads a key with its project settings for ingest', async () => {
    await organizations.updateKey(projectId, publicKey, { rateLimit: { count: 3, window: 60 } });

    const controls = await new ProjectKeyCache(db.kysely).findActiveKey(publicKey);

    expect(controls).toMatchObject({
      projectId,
      rateLimit: { count: 3, window: 60 },
      allowedDomains: ['*.example.com'],
      projectRateLimit: { count: 10, window: 3600 },
      spikeProtection: false,
    });
  });

  it('reads outcomes of a time range and filters', async () => {
    await db.kysely
      .insertInto('outcomes')
      .values([
        { projectId, hour: T0, outcome: 'accepted', reason: '', category: 'error', quantity: 4 },
        {
          projectId,
          hour: T0 + HOUR,
          outcome: 'rate_limited',
          reason: 'key_quota',
          category: 'error',
          quantity: 2,
        },
        {
          projectId,
          hour: T0 + 2 * HOUR,
          outcome: 'accepted',
          reason: '',
          category: 'transaction',
          quantity: 7,
        },
        {
          projectId: projectId + 1,
          hour: T0,
          outcome: 'accepted',
          reason: '',
          category: 'error',
          quantity: 9,
        },
      ])
      .execute();
    const stats = new StatsRepository(db.kysely);

    const errors = await stats.listOutcomes({
      projectIds: [projectId],
      startMs: T0,
      endMs: T0 + 2 * HOUR,
      categories: ['error'],
      outcomes: [],
      reasons: [],
    });
    const limited = await stats.listOutcomes({
      projectIds: [projectId],
      startMs: T0,
      endMs: T0 + 3 * HOUR,
      categories: [],
      outcomes: ['rate_limited'],
      reasons: ['key_quota'],
    });

    expect(errors.map((row) => row.quantity).sort()).toEqual([2, 4]);
    expect(limited).toEqual([
      {
        projectId,
        hour: T0 + HOUR,
        outcome: 'rate_limited',
        reason: 'key_quota',
        category: 'error',
        quantity: 2,
      },
    ]);
  });

  it('serves the stats query from the outcomes primary key', async () => {
    const query = `SELECT project_id, hour, outcome, reason, category, quantity FROM outcomes
      WHERE project_id IN (1, 2) AND hour >= 0 AND hour < 100`;

    const plan = await explainQuery(db, query);

    if (db.sqlite !== undefined) {
      expect(plan).toMatch(/SEARCH outcomes USING INDEX .*project_id=\? AND hour>\? AND hour<\?/);
      return;
    }
    expect(plan).toContain('outcomes_pk');
  });
});
