import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
  BACKLOG_COOL_DOWN_MS,
  SPIKE_EPISODE_GAP_MS,
  notifyProcessingBacklog,
  notifyQuotaWarnings,
} from '../../src/server/features/notifications/index.js';
import { migrateToLatest, type Db } from '../../src/server/platform/db/index.js';
import {
  STORAGE_ENGINES,
  addTestProject,
  explainQuery,
  createTestOrganization,
  type TestOrganization,
} from '../helpers/engines.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2030, 0, 1, 3, 0);
const BASE_URL = 'https://picket.example.com';
const BEHIND = { depth: 20, lagSeconds: 90 };
const CAUGHT_UP = { depth: 0, lagSeconds: 0 };

describe.each(STORAGE_ENGINES)('quota, spike and backlog warnings on $name', ({ open }) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let acme: TestOrganization;
  let projectId: number;
  let ownerEmail: string;

  beforeAll(async () => {
    ({ db, cleanup } = await open());
    await migrateToLatest(db.kysely, db.dialect);
    acme = await createTestOrganization(db, 'quotas');
    projectId = await addTestProject(acme, 'api');
    const owner = await db.kysely
      .selectFrom('users')
      .select('email')
      .where('id', '=', acme.userId)
      .executeTakeFirstOrThrow();
    ownerEmail = owner.email;
    // A member who is no owner never gets these warnings.
    const member = await db.kysely
      .insertInto('users')
      .values({
        email: 'member@example.com',
        name: 'M',
        passwordHash: 'x',
        isSuperuser: 0,
        createdAt: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.kysely
      .insertInto('organizationMembers')
      .values({
        organizationId: acme.organizationId,
        userId: member.id,
        role: 'member',
        createdAt: 1,
      })
      .execute();
  });

  afterAll(async () => {
    await cleanup();
  });

  beforeEach(async () => {
    await db.kysely.deleteFrom('outcomes').execute();
    await db.kysely.deleteFrom('notificationMarks').execute();
    await db.kysely.deleteFrom('notificationDeliveries').execute();
    await db.kysely.deleteFrom('notificationSettings').execute();
  });

  async function reject(reason: string, quantity: number, at: number): Promise<void> {
    const hour = Math.floor(at / HOUR) * HOUR;
    const existing = await db.kysely
      .selectFrom('outcomes')
      .select('quantity')
      .where('projectId', '=', projectId)
      .where('hour', '=', hour)
      .where('outcome', '=', 'rate_limited')
      .where('reason', '=', reason)
      .where('category', '=', 'error')
      .executeTakeFirst();
    if (existing === undefined) {
      await db.kysely
        .insertInto('outcomes')
        .values({ projectId, hour, outcome: 'rate_limited', reason, category: 'error', quantity })
        .execute();
      return;
    }
    await db.kysely
      .updateTable('outcomes')
      .set({ quantity: Number(existing.quantity) + quantity })
      .where('projectId', '=', projectId)
      .where('hour', '=', hour)
      .where('outcome', '=', 'rate_limited')
      .where('reason', '=', reason)
      .where('category', '=', 'error')
      .execute();
  }

  async function listOutbox() {
    const rows = await db.kysely
      .selectFrom('notificationDeliveries')
      .select(['source', 'target', 'payload'])
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      source: row.source,
      target: row.target,
      subject: (JSON.parse(row.payload) as { subject: string }).subject,
    }));
  }

  const runQuota = (now: number) => notifyQuotaWarnings(db.kysely, { baseUrl: BASE_URL, now });
  const runBacklog = (now: number, status: { depth: number; lagSeconds: number }) =>
    notifyProcessingBacklog(db.kysely, { status, maxBacklog: 50_000, baseUrl: BASE_URL, now });

  it('warns the owners once per hour when a rate limit is reached', async () => {
    await reject('project_quota', 5, T0 + MINUTE);

    await runQuota(T0 + 2 * MINUTE);
    await reject('project_quota', 5, T0 + 3 * MINUTE);
    await runQuota(T0 + 4 * MINUTE);

    expect(await listOutbox()).toEqual([
      {
        source: 'quota',
        target: ownerEmail,
        subject: '[api] Rate limit reached, events are dropped',
      },
    ]);
  });

  it('warns again in the next hour', async () => {
    await reject('key_quota', 1, T0 + MINUTE);
    await runQuota(T0 + 2 * MINUTE);
    await reject('key_quota', 1, T0 + HOUR + MINUTE);

    await runQuota(T0 + HOUR + 2 * MINUTE);

    expect(await listOutbox()).toHaveLength(2);
  });

  it('warns about each rate limit of a project separately', async () => {
    await reject('key_quota', 1, T0 + MINUTE);
    await reject('project_quota', 1, T0 + MINUTE);

    await runQuota(T0 + 2 * MINUTE);

    expect(await listOutbox()).toHaveLength(2);
  });

  it('sends nothing without rejections this hour', async () => {
    await reject('project_quota', 5, T0 - HOUR);
    await reject('filtered_reason', 5, T0);

    expect(await runQuota(T0 + MINUTE)).toBe(0);
    expect(await listOutbox()).toHaveLength(0);
  });

  it('skips owners with quota never', async () => {
    await db.kysely
      .insertInto('notificationSettings')
      .values({ userId: acme.userId, key: 'quota', value: 'never' })
      .execute();
    await reject('project_quota', 5, T0 + MINUTE);

    await runQuota(T0 + 2 * MINUTE);

    expect(await listOutbox()).toHaveLength(0);
  });

  it('warns once per spike protection episode', async () => {
    await reject('spike_protection', 10, T0 + MINUTE);
    await runQuota(T0 + 2 * MINUTE);
    await reject('spike_protection', 10, T0 + 3 * MINUTE);
    await runQuota(T0 + 4 * MINUTE);
    await runQuota(T0 + 10 * MINUTE);
    expect((await listOutbox()).map((row) => row.source)).toEqual(['spike']);

    const restart = T0 + 4 * MINUTE + SPIKE_EPISODE_GAP_MS + MINUTE;
    await reject('spike_protection', 10, restart);
    await runQuota(restart + 10_000);

    const outbox = await listOutbox();
    expect(outbox.map((row) => row.source)).toEqual(['spike', 'spike']);
    expect(outbox[0]?.subject).toBe('[api] Spike protection is dropping events');
  });

  it('keeps one spike episode across the hour boundary', async () => {
    await reject('spike_protection', 10, T0 + HOUR - 2 * MINUTE);
    await runQuota(T0 + HOUR - MINUTE);
    await reject('spike_protection', 3, T0 + HOUR + 10_000);

    await runQuota(T0 + HOUR + 20_000);

    expect(await listOutbox()).toHaveLength(1);
  });

  it('warns once when two quota runs overlap', async () => {
    await reject('project_quota', 5, T0 + MINUTE);

    const sent = await Promise.all([runQuota(T0 + 2 * MINUTE), runQuota(T0 + 2 * MINUTE)]);

    expect(sent[0] + sent[1]).toBe(1);
    expect(await listOutbox()).toHaveLength(1);
  });

  it('warns about a backlog once, then stays quiet for the cool-down', async () => {
    expect(await runBacklog(T0, BEHIND)).toBe(true);
    expect(await runBacklog(T0 + MINUTE, BEHIND)).toBe(false);
    await runBacklog(T0 + 2 * MINUTE, CAUGHT_UP);
    expect(await runBacklog(T0 + 10 * MINUTE, BEHIND)).toBe(false);

    const outbox = await listOutbox();
    expect(outbox).toEqual([
      { source: 'backlog', target: ownerEmail, subject: '[Picket] Event processing is behind' },
    ]);
  });

  it('warns about a backlog episode that outlasts the cool-down', async () => {
    await runBacklog(T0, BEHIND);
    await runBacklog(T0 + MINUTE, CAUGHT_UP);
    await runBacklog(T0 + 10 * MINUTE, BEHIND);

    expect(await runBacklog(T0 + BACKLOG_COOL_DOWN_MS + MINUTE, BEHIND)).toBe(true);
    expect(await runBacklog(T0 + BACKLOG_COOL_DOWN_MS + 2 * MINUTE, BEHIND)).toBe(false);
    expect(await listOutbox()).toHaveLength(2);
  });

  it('does not warn while processing keeps up', async () => {
    expect(await runBacklog(T0, { depth: 4_000, lagSeconds: 30 })).toBe(false);
    expect(await runBacklog(T0 + MINUTE, CAUGHT_UP)).toBe(false);

    expect(await listOutbox()).toHaveLength(0);
  });

  it('warns once when two backlog runs overlap', async () => {
    const warned = await Promise.all([runBacklog(T0, BEHIND), runBacklog(T0, BEHIND)]);

    expect(warned.filter(Boolean)).toHaveLength(1);
    expect(await listOutbox()).toHaveLength(1);
  });

  it('sends the backlog warning to superusers when there are any', async () => {
    await db.kysely
      .insertInto('users')
      .values({
        email: 'admin@example.com',
        name: 'A',
        passwordHash: 'x',
        isSuperuser: 1,
        createdAt: 1,
      })
      .execute();

    await runBacklog(T0, BEHIND);

    expect((await listOutbox()).map((row) => row.target)).toEqual(['admin@example.com']);
    await db.kysely.deleteFrom('users').where('email', '=', 'admin@example.com').execute();
  });

  it("reads this hour's rejections through the outcomes primary key", async () => {
    const plan = await explainQuery(
      db,
      `select project_id, reason, sum(quantity) from outcomes where project_id in (${projectId}, 999) and hour = ${T0} and outcome = 'rate_limited' and reason in ('key_quota', 'project_quota', 'spike_protection') group by project_id, reason`,
    );

    expect(plan).toMatch(
      db.dialect === 'sqlite' ? /USING INDEX sqlite_autoindex_outcomes/ : /outcomes_pk/,
    );
  });
});
