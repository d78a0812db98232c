/**
 * The repositories of ingest controls and stats on real SQLite and PostgreSQL, with the plans of
 * their hot queries.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { OrganizationRepository } from '../../src/server/features/organizations/index.js';
import { IngestControlRepository } from '../../src/server/features/rate-limits/index.js';
import { ProjectKeyCache } from '../../src/server/features/ingest/project-key-cache.js';
import { StatsRepository } from '../../src/server/features/stats/index.js';
import { connectDb, migrateToLatest, type Db } from '../../src/server/platform/db/index.js';
import { createPostgresSchema } from '../helpers/picket.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

const engines: { name: string; open: () => Promise<{ db: Db; cleanup: () => Promise<void> }> }[] = [
  {
    name: 'sqlite',
    open: () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-controls-'));
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

describe.each(engines)('ingest controls storage on $name', ({ open }) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let organizations: OrganizationRepository;
  let projectId: number;
  let publicKey: string;

  beforeAll(async () => {
    ({ db, cleanup } = await open());
    await migrateToLatest(db.kysely, db.dialect);
    organizations = new OrganizationRepository(db.kysely);
    const user = await db.kysely
      .insertInto('users')
      .values({
        email: 'a@example.com',
        name: 'A',
        passwordHash: 'x',
        isSuperuser: 0,
        createdAt: T0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const organization = await organizations.createOrganization({
      slug: 'acme',
      name: 'Acme',
      ownerId: user.id,
    });
    const team = (await organizations.listTeams(organization.id))[0]!;
    const project = await organizations.createProject({
      organizationId: organization.id,
      teamId: team.id,
      slug: 'web',
      name: 'Web',
      platform: null,
    });
    projectId = project.id;
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

    if (db.sqlite !== undefined) {
      const plan = db.sqlite.prepare(`EXPLAIN QUERY PLAN ${query}`).all() as { detail: string }[];
      expect(plan.map((row) => row.detail).join(' ')).toMatch(
        /SEARCH outcomes USING INDEX .*project_id=\? AND hour>\? AND hour<\?/,
      );
      return;
    }

    const plan = await db.kysely.transaction().execute(async (trx) => {
      await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      return sql<{ 'QUERY PLAN': string }>`EXPLAIN ${sql.raw(query)}`.execute(trx);
    });
    expect(plan.rows.map((row) => row['QUERY PLAN']).join(' ')).toContain('outcomes_pk');
  });
});
