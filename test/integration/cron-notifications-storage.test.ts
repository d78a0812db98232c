import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { notifyCronMonitors } from '../../src/server/features/notifications/index.js';
import { migrateToLatest, type Db } from '../../src/server/platform/db/index.js';
import {
  STORAGE_ENGINES,
  addTestProject,
  createTestOrganization,
  type TestOrganization,
} from '../helpers/engines.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// The hourly monitor's next check-in is expected at T0, and is missed after T0 plus a minute.
const T0 = Date.UTC(2030, 0, 1, 3, 0);
const BASE_URL = 'https://picket.example.com';
const HOURLY = {
  schedule_type: 'interval',
  schedule: [1, 'hour'],
  checkin_margin: 1,
  max_runtime: 30,
  timezone: null,
  failure_issue_threshold: null,
  recovery_threshold: null,
};

interface Seeded {
  monitorId: number;
  environmentId: number;
}

describe.each(STORAGE_ENGINES)('cron monitor notifications on $name', ({ open }) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let acme: TestOrganization;
  let projectId: number;
  let ownerEmail: string;

  beforeAll(async () => {
    ({ db, cleanup } = await open());
    await migrateToLatest(db.kysely, db.dialect);
    acme = await createTestOrganization(db, 'crons');
    projectId = await addTestProject(acme, 'jobs');
    const owner = await db.kysely
      .selectFrom('users')
      .select('email')
      .where('id', '=', acme.userId)
      .executeTakeFirstOrThrow();
    ownerEmail = owner.email;
  });

  afterAll(async () => {
    await cleanup();
  });

  beforeEach(async () => {
    await db.kysely.deleteFrom('monitors').execute();
    await db.kysely.deleteFrom('notificationMarks').execute();
    await db.kysely.deleteFrom('notificationDeliveries').execute();
  });

  async function seedMonitor(
    slug: string,
    options: { status?: string; isMuted?: number } = {},
  ): Promise<Seeded> {
    const monitor = await db.kysely
      .insertInto('monitors')
      .values({
        guid: randomUUID(),
        organizationId: acme.organizationId,
        projectId,
        slug,
        name: slug,
        status: options.status ?? 'active',
        isMuted: options.isMuted ?? 0,
        config: JSON.stringify(HOURLY),
        dateCreated: T0 - 2 * HOUR,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const environment = await db.kysely
      .insertInto('monitorEnvironments')
      .values({
        monitorId: monitor.id,
        environment: 'production',
        status: 'ok',
        dateCreated: T0 - 2 * HOUR,
        lastCheckIn: T0 - HOUR,
        nextCheckIn: T0,
        nextCheckInLatest: T0 + MINUTE,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const seeded = { monitorId: Number(monitor.id), environmentId: Number(environment.id) };
    await addCheckIn(seeded, 'ok', T0 - HOUR);
    return seeded;
  }

  /** Stores a check-in and moves the environment as the check-in processor does. */
  async function addCheckIn(seeded: Seeded, status: string, at: number): Promise<void> {
    await db.kysely
      .insertInto('monitorCheckIns')
      .values({
        guid: randomUUID().replaceAll('-', ''),
        projectId,
        monitorId: seeded.monitorId,
        monitorEnvironmentId: seeded.environmentId,
        status,
        duration: 1_000,
        dateCreated: at,
        dateUpdated: at,
        expectedTime: at,
        timeoutAt: null,
        monitorConfig: JSON.stringify(HOURLY),
        traceId: null,
      })
      .execute();
    const next = Math.floor((at + HOUR) / MINUTE) * MINUTE;
    await db.kysely
      .updateTable('monitorEnvironments')
      .set({
        status: status === 'ok' ? 'ok' : 'error',
        lastCheckIn: at,
        nextCheckIn: next,
        nextCheckInLatest: next + MINUTE,
      })
      .where('id', '=', seeded.environmentId)
      .execute();
  }

  async function addMember(email: string, options: { crons?: string; team?: boolean } = {}) {
    const user = await db.kysely
      .insertInto('users')
      .values({ email, name: email, passwordHash: 'x', isSuperuser: 0, createdAt: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const member = await db.kysely
      .insertInto('organizationMembers')
      .values({
        organizationId: acme.organizationId,
        userId: user.id,
        role: 'member',
        createdAt: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (options.team === true) {
      await db.kysely
        .insertInto('teamMembers')
        .values({ teamId: acme.teamId, memberId: member.id })
        .execute();
    }
    if (options.crons !== undefined) {
      await db.kysely
        .insertInto('notificationSettings')
        .values({ userId: user.id, key: 'crons', value: options.crons })
        .execute();
    }
  }

  async function listOutbox() {
    const rows = await db.kysely
      .selectFrom('notificationDeliveries')
      .select(['source', 'channel', 'target', 'payload', 'projectId', 'organizationId'])
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      ...row,
      message: JSON.parse(row.payload) as { subject: string; text: string; html: string },
    }));
  }

  const run = (now: number) => notifyCronMonitors(db.kysely, { baseUrl: BASE_URL, now });

  it('sends one e-mail per recipient for a missed check-in', async () => {
    await seedMonitor('nightly-backup');

    await run(T0 + 2 * MINUTE);

    const outbox = await listOutbox();
    expect(outbox.map((row) => [row.source, row.channel, row.target])).toEqual([
      ['cron', 'email', ownerEmail],
    ]);
    expect(outbox[0]?.message.subject).toBe('[jobs] Cron monitor nightly-backup missed a check-in');
    expect(outbox[0]?.message.text).toContain(`Expected at: ${new Date(T0).toISOString()}`);
    expect(outbox[0]?.message.text).toContain('Schedule: every 1 hour (UTC)');
    expect(outbox[0]?.message.text).toContain(
      `${BASE_URL}/organizations/crons/crons/nightly-backup/`,
    );
    expect(outbox[0]?.message.text).toContain(`${BASE_URL}/settings/account/notifications/`);
  });

  it('sends a missed check-in once per slot', async () => {
    await seedMonitor('hourly');

    await run(T0 + 2 * MINUTE);
    await run(T0 + 3 * MINUTE);
    await run(T0 + 30 * MINUTE);
    expect(await listOutbox()).toHaveLength(1);

    await run(T0 + HOUR + 2 * MINUTE);
    const outbox = await listOutbox();
    expect(outbox).toHaveLength(2);
    expect(outbox[1]?.message.text).toContain(`Expected at: ${new Date(T0 + HOUR).toISOString()}`);
  });

  it('sends nothing before the margin has passed', async () => {
    await seedMonitor('on-time');

    await run(T0 + MINUTE);

    expect(await listOutbox()).toHaveLength(0);
  });

  it('sends a failed check-in, then its recovery', async () => {
    const seeded = await seedMonitor('import');
    await addCheckIn(seeded, 'error', T0);

    await run(T0 + 10_000);
    await run(T0 + 20_000);
    let outbox = await listOutbox();
    expect(outbox.map((row) => row.message.subject)).toEqual(['[jobs] Cron monitor import failed']);
    expect(outbox[0]?.message.text).toContain('Last check-in: error at');

    await addCheckIn(seeded, 'ok', T0 + HOUR);
    await run(T0 + HOUR + 10_000);
    await run(T0 + HOUR + 20_000);
    outbox = await listOutbox();
    expect(outbox.map((row) => row.message.subject)).toEqual([
      '[jobs] Cron monitor import failed',
      '[jobs] Cron monitor import recovered',
    ]);
  });

  it('sends each failed check-in once', async () => {
    const seeded = await seedMonitor('flaky');
    await addCheckIn(seeded, 'error', T0);
    await run(T0 + 10_000);
    await addCheckIn(seeded, 'timeout', T0 + HOUR);

    await run(T0 + HOUR + 10_000);

    const subjects = (await listOutbox()).map((row) => row.message.subject);
    expect(subjects).toEqual([
      '[jobs] Cron monitor flaky failed',
      '[jobs] Cron monitor flaky timed out',
    ]);
  });

  it('sends a recovery after a missed check-in', async () => {
    const seeded = await seedMonitor('late');
    await run(T0 + 2 * MINUTE);
    await addCheckIn(seeded, 'ok', T0 + 5 * MINUTE);

    await run(T0 + 6 * MINUTE);

    const subjects = (await listOutbox()).map((row) => row.message.subject);
    expect(subjects).toEqual([
      '[jobs] Cron monitor late missed a check-in',
      '[jobs] Cron monitor late recovered',
    ]);
  });

  it('sends no recovery for an ok check-in without a failure before', async () => {
    const seeded = await seedMonitor('healthy');
    await addCheckIn(seeded, 'ok', T0);

    await run(T0 + 10_000);

    expect(await listOutbox()).toHaveLength(0);
  });

  it('skips muted and disabled monitors', async () => {
    await seedMonitor('muted', { isMuted: 1 });
    await seedMonitor('disabled', { status: 'disabled' });

    await run(T0 + 2 * MINUTE);

    expect(await listOutbox()).toHaveLength(0);
  });

  it('skips members with crons never and members who cannot see the project', async () => {
    await addMember('quiet@example.com', { crons: 'never', team: true });
    await addMember('outsider@example.com');
    await addMember('teammate@example.com', { team: true });
    await db.kysely
      .updateTable('organizations')
      .set({ openMembership: 0 })
      .where('id', '=', acme.organizationId)
      .execute();
    await seedMonitor('restricted');

    await run(T0 + 2 * MINUTE);

    const targets = (await listOutbox()).map((row) => row.target).sort();
    expect(targets).toEqual([ownerEmail, 'teammate@example.com'].sort());
  });

  it('sends once when two runs overlap', async () => {
    await seedMonitor('concurrent');

    const notified = await Promise.all([run(T0 + 2 * MINUTE), run(T0 + 2 * MINUTE)]);

    const targets = (await listOutbox()).map((row) => row.target);
    expect(notified.reduce((sum, count) => sum + count, 0)).toBe(1);
    expect(targets).toContain(ownerEmail);
    expect(targets).toHaveLength(new Set(targets).size);
  });
});
