import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runDigests } from '../../src/server/features/notifications/index.js';
import { OrganizationRepository } from '../../src/server/features/organizations/index.js';
import { STORAGE_ENGINES, type OpenedDb } from '../helpers/engines.js';
import {
  insertActivity,
  insertIssue,
  lastOutboxId,
  readOutbox,
  seedNotificationOrg,
  setSetting,
  type NotificationSeed,
} from '../helpers/notification-seed.js';

const BASE_URL = 'https://picket.example';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// A fixed start at a whole hour, so the hourly counts line up with the periods.
const START = Date.UTC(2026, 0, 5, 8);

describe.each(STORAGE_ENGINES)('notification digests on $name', (engine) => {
  let opened: OpenedDb;
  let seed: NotificationSeed;
  let hiddenProjectId: number;

  async function run(now: number) {
    const before = await lastOutboxId(opened.db);
    const result = await runDigests(opened.db.kysely, { baseUrl: BASE_URL, now: () => now });
    return { result, mails: await readOutbox(opened.db, before) };
  }

  async function countEvents(issueId: number, hour: number, count: number) {
    await opened.db.kysely
      .insertInto('issueHourlyCounts')
      .values({ issueId, hour, count })
      .execute();
  }

  beforeAll(async () => {
    opened = await engine.open();
    seed = await seedNotificationOrg(opened.db);
    const { users } = seed;
    await setSetting(opened.db, users.alice, 'digest', 'daily');
    await setSetting(opened.db, users.bob, 'digest', 'weekly');
    await setSetting(opened.db, users.dave, 'digest', 'daily');

    // A project of a team without members: only the owner can see it.
    const team = await opened.db.kysely
      .insertInto('teams')
      .values({ organizationId: seed.organizationId, slug: 'ops', name: 'ops', createdAt: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const project = await new OrganizationRepository(opened.db.kysely).createProject({
      organizationId: seed.organizationId,
      teamId: Number(team.id),
      slug: 'secret',
      name: 'secret',
      platform: null,
    });
    hiddenProjectId = project.id;
  });

  afterAll(async () => {
    await opened?.cleanup();
  });

  it('starts a period on first sight', async () => {
    const { result, mails } = await run(START);

    expect(result.due).toBe(0);
    expect(mails).toEqual([]);
  });

  it('sends nothing before the period ends', async () => {
    const issueId = await insertIssue(opened.db, seed.projectId, 'Early', {
      firstSeen: START + HOUR,
      timesSeen: 3,
    });
    await countEvents(issueId, START + HOUR, 3);

    const { result, mails } = await run(START + DAY - 1);

    expect(result.due).toBe(0);
    expect(mails).toEqual([]);
  });

  it('sends one daily digest with the activity of visible projects', async () => {
    const { users, projectId } = seed;
    const busy = await insertIssue(opened.db, projectId, 'Busy <b>error</b>', {
      firstSeen: START + 2 * HOUR,
      timesSeen: 40,
    });
    await countEvents(busy, START + 2 * HOUR, 40);
    const regressed = await insertIssue(opened.db, projectId, 'Came back', {
      firstSeen: START - 10 * DAY,
      timesSeen: 7,
    });
    await insertActivity(opened.db, {
      issueId: regressed,
      projectId,
      userId: null,
      type: 'set_regression',
      createdAt: START + 3 * HOUR,
    });
    const hidden = await insertIssue(opened.db, hiddenProjectId, 'Hidden issue', {
      firstSeen: START + 2 * HOUR,
      timesSeen: 99,
    });
    await countEvents(hidden, START + 2 * HOUR, 99);

    const { result, mails } = await run(START + DAY);
    const mail = mails[0];

    // Alice's period ended; Dave's too, but he can open no project, so nothing is sent to him.
    expect(result.due).toBe(2);
    expect(mails.map((sent) => sent.userId)).toEqual([users.alice]);
    expect(mail?.source).toBe('digest');
    expect(mail?.subject).toBe('Picket daily digest: 2 new issues, 1 regression');
    expect(mail?.text).toContain('Busy <b>error</b> (new, 40 events; 40 events in this period)');
    expect(mail?.text).toContain('Came back (regressed)');
    expect(mail?.text).toContain(`${BASE_URL}/organizations/acme/issues/${busy}/`);
    expect(mail?.text).toContain(`${BASE_URL}/settings/account/notifications/`);
    expect(mail?.text).not.toContain('Hidden issue');
    expect(mail?.html).toContain('Busy &lt;b&gt;error&lt;/b&gt;');
    expect(mail?.html).not.toContain('<b>error');
  });

  it('sends one digest per period', async () => {
    const { mails } = await run(START + DAY + HOUR);

    expect(mails).toEqual([]);
  });

  it('sends nothing for a period without activity', async () => {
    const { result, mails } = await run(START + 2 * DAY);

    expect(result.due).toBe(2);
    expect(mails).toEqual([]);
  });

  it('sends a weekly digest after seven days', async () => {
    const { users, projectId } = seed;
    const late = await insertIssue(opened.db, projectId, 'Late in the week', {
      firstSeen: START + 6 * DAY,
      timesSeen: 2,
    });
    await countEvents(late, START + 6 * DAY, 2);

    const { mails } = await run(START + 7 * DAY);

    expect(mails.map((sent) => sent.userId).sort()).toEqual([users.alice, users.bob].sort());
    const weekly = mails.find((sent) => sent.userId === users.bob);
    expect(weekly?.subject).toBe('Picket weekly digest: 3 new issues, 1 regression');
    const daily = mails.find((sent) => sent.userId === users.alice);
    expect(daily?.subject).toBe('Picket daily digest: 1 new issue, 0 regressions');
  });
});
