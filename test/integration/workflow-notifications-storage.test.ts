import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  runWorkflowNotifications,
  WORKFLOW_CURSOR_KEY,
} from '../../src/server/features/notifications/index.js';
import { STORAGE_ENGINES, type OpenedDb } from '../helpers/engines.js';
import {
  insertActivity,
  insertIssue,
  lastOutboxId,
  readOutbox,
  seedNotificationOrg,
  setSetting,
  subscribe,
  type NotificationSeed,
} from '../helpers/notification-seed.js';

const BASE_URL = 'https://picket.example';

describe.each(STORAGE_ENGINES)('workflow notifications on $name', (engine) => {
  let opened: OpenedDb;
  let seed: NotificationSeed;
  let historyId: number;

  /** Runs the job and returns the outbox rows it wrote. */
  async function run(options: { now?: number; gapGraceMs?: number } = {}) {
    const before = await lastOutboxId(opened.db);
    const result = await runWorkflowNotifications(opened.db.kysely, {
      baseUrl: BASE_URL,
      ...(options.now === undefined ? {} : { now: () => options.now ?? 0 }),
      ...(options.gapGraceMs === undefined ? {} : { gapGraceMs: options.gapGraceMs }),
    });
    return { result, mails: await readOutbox(opened.db, before) };
  }

  function recipientsOf(mails: { userId: number | null }[]) {
    return mails.map((mail) => mail.userId).sort((a, b) => (a ?? 0) - (b ?? 0));
  }

  async function newIssue(title: string) {
    return insertIssue(opened.db, seed.projectId, title);
  }

  beforeAll(async () => {
    opened = await engine.open();
    seed = await seedNotificationOrg(opened.db);
    const issueId = await newIssue('Old history');
    historyId = await insertActivity(opened.db, {
      issueId,
      projectId: seed.projectId,
      userId: seed.users.owner,
      type: 'note',
      data: { text: 'written before the upgrade' },
    });
  });

  afterAll(async () => {
    await opened?.cleanup();
  });

  it('starts after existing activity on the first run', async () => {
    const { mails } = await run();
    const mark = await opened.db.kysely
      .selectFrom('notificationMarks')
      .select('value')
      .where('key', '=', WORKFLOW_CURSOR_KEY)
      .executeTakeFirst();

    expect(mails).toEqual([]);
    expect(mark?.value).toBe(String(historyId));
  });

  it('mails an assignment to the assignee', async () => {
    const { users, projectId } = seed;
    const issueId = await newIssue('TypeError: x is undefined');
    await subscribe(opened.db, issueId, users.bob);
    await insertActivity(opened.db, {
      issueId,
      projectId,
      userId: users.owner,
      type: 'assigned',
      data: { assignee: String(users.bob), assigneeType: 'user', assigneeEmail: 'bob@example.com' },
    });

    const { mails } = await run();

    expect(recipientsOf(mails)).toEqual([users.alice, users.bob]);
    const toBob = mails.find((mail) => mail.userId === users.bob);
    expect(toBob?.subject).toBe('[web] Assigned to you: TypeError: x is undefined');
    expect(toBob?.source).toBe('workflow');
    expect(toBob?.issueId).toBe(issueId);
    expect(toBob?.projectId).toBe(projectId);
    expect(toBob?.organizationId).toBe(seed.organizationId);
    expect(toBob?.text).toContain(`${BASE_URL}/organizations/acme/issues/${issueId}/`);
    expect(toBob?.text).toContain(`${BASE_URL}/settings/account/notifications/`);
    expect(toBob?.text).toContain('Owner');
    const toAlice = mails.find((mail) => mail.userId === users.alice);
    expect(toAlice?.subject).toBe('[web] Assigned to bob@example.com: TypeError: x is undefined');
  });

  it('mails a team assignment to its members', async () => {
    const { users, projectId } = seed;
    const team = await opened.db.kysely
      .selectFrom('teams')
      .select('id')
      .where('slug', '=', 'acme')
      .executeTakeFirstOrThrow();
    const issueId = await newIssue('Team work');
    await insertActivity(opened.db, {
      issueId,
      projectId,
      userId: users.owner,
      type: 'assigned',
      data: { assignee: String(team.id), assigneeType: 'team', assigneeName: 'acme' },
    });

    const { mails } = await run();

    // Carol chose never, Dave is in no team, and the owner made the change.
    expect(recipientsOf(mails)).toEqual([users.alice, users.bob]);
    const toBob = mails.find((mail) => mail.userId === users.bob);
    expect(toBob?.subject).toBe('[web] Assigned to #acme: Team work');
    expect(toBob?.text).toContain('the issue was assigned to your team');
  });

  it('mails a comment to subscribers but not its author', async () => {
    const { users, projectId } = seed;
    const issueId = await newIssue('Comment target');
    await subscribe(opened.db, issueId, users.owner);
    await subscribe(opened.db, issueId, users.bob);
    await subscribe(opened.db, issueId, users.carol);
    await insertActivity(opened.db, {
      issueId,
      projectId,
      userId: users.bob,
      type: 'note',
      data: { text: 'Looking into it' },
    });

    const { mails } = await run();

    // Bob wrote it, Carol chose never, Dave cannot see the project.
    expect(recipientsOf(mails)).toEqual([users.owner, users.alice]);
    expect(mails[0]?.subject).toBe('[web] New comment from Bob: Comment target');
    expect(mails[0]?.text).toContain('> Looking into it');
  });

  it('mails the actor with selfNotifications', async () => {
    const { users, projectId } = seed;
    await setSetting(opened.db, users.bob, 'selfNotifications', 'true');
    const issueId = await newIssue('Self');
    await subscribe(opened.db, issueId, users.bob);
    try {
      await insertActivity(opened.db, {
        issueId,
        projectId,
        userId: users.bob,
        type: 'set_resolved',
      });

      const { mails } = await run();

      expect(recipientsOf(mails)).toEqual([users.alice, users.bob]);
    } finally {
      await setSetting(opened.db, users.bob, 'selfNotifications', 'false');
    }
  });

  it('escapes a comment with HTML in the HTML part', async () => {
    const { users, projectId } = seed;
    const issueId = await newIssue('<img src=x onerror=alert(1)>');
    await insertActivity(opened.db, {
      issueId,
      projectId,
      userId: users.owner,
      type: 'note',
      data: { text: '<script>alert("pwned")</script>\nsecond line' },
    });

    const { mails } = await run();
    const html = mails[0]?.html ?? '';

    expect(mails.length).toBe(1);
    expect(html).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(mails[0]?.text).toContain('> <script>alert("pwned")</script>\n> second line');
  });

  it('sends nothing with workflow never or to unsubscribed', async () => {
    const { users, projectId } = seed;
    const issueId = await newIssue('Unsubscribed');
    await subscribe(opened.db, issueId, users.alice, false);
    await subscribe(opened.db, issueId, users.carol);
    await insertActivity(opened.db, {
      issueId,
      projectId,
      userId: users.owner,
      type: 'set_resolved_in_release',
      data: { version: '1.2.3' },
    });

    const { mails } = await run();

    expect(mails).toEqual([]);
  });

  it('mails a regression to subscribers and always', async () => {
    const { users, projectId } = seed;
    const issueId = await newIssue('Came back');
    await subscribe(opened.db, issueId, users.owner);
    await insertActivity(opened.db, {
      issueId,
      projectId,
      userId: null,
      type: 'set_regression',
      data: { version: '2.0.0' },
    });

    const { mails } = await run();

    expect(recipientsOf(mails)).toEqual([users.owner, users.alice]);
    expect(mails[0]?.subject).toBe('[web] Regressed: Came back');
    expect(mails[0]?.text).toContain('Release: 2.0.0');
  });

  it('skips activity types that do not notify', async () => {
    const { users, projectId } = seed;
    const issueId = await newIssue('Ignored');
    await insertActivity(opened.db, {
      issueId,
      projectId,
      userId: users.owner,
      type: 'set_ignored',
    });

    const { result, mails } = await run();

    expect(result.activities).toBe(1);
    expect(mails).toEqual([]);
  });

  it('sends nothing twice on a rerun', async () => {
    const { users, projectId } = seed;
    const issueId = await newIssue('Once');
    await insertActivity(opened.db, {
      issueId,
      projectId,
      userId: users.owner,
      type: 'set_resolved',
    });

    const first = await run();
    const again = await run();

    expect(recipientsOf(first.mails)).toEqual([users.alice]);
    expect(again.mails).toEqual([]);
  });

  it('enqueues once when two runs race', async () => {
    const { users, projectId } = seed;
    const issueId = await newIssue('Raced');
    for (let index = 0; index < 5; index += 1) {
      await insertActivity(opened.db, {
        issueId,
        projectId,
        userId: users.owner,
        type: 'note',
        data: { text: `comment ${index}` },
      });
    }
    const before = await lastOutboxId(opened.db);

    const results = await Promise.all([
      runWorkflowNotifications(opened.db.kysely, { baseUrl: BASE_URL }),
      runWorkflowNotifications(opened.db.kysely, { baseUrl: BASE_URL }),
    ]);
    const mails = await readOutbox(opened.db, before);

    expect(results[0].activities + results[1].activities).toBe(5);
    expect(mails.length).toBe(5);
    expect(new Set(mails.map((mail) => mail.text)).size).toBe(5);
  });

  it('waits for a fresh gap in activity ids', async () => {
    const { users, projectId } = seed;
    const issueId = await newIssue('Gap');
    const now = Date.now();
    const missing = await insertActivity(opened.db, {
      issueId,
      projectId,
      userId: users.owner,
      type: 'note',
      data: { text: 'rolled back' },
      createdAt: now,
    });
    await insertActivity(opened.db, {
      issueId,
      projectId,
      userId: users.owner,
      type: 'note',
      data: { text: 'after the gap' },
      createdAt: now,
    });
    await opened.db.kysely.deleteFrom('issueActivity').where('id', '=', missing).execute();

    const early = await run({ now: now + 1_000, gapGraceMs: 15_000 });
    const late = await run({ now: now + 16_000, gapGraceMs: 15_000 });

    expect(early.mails).toEqual([]);
    expect(late.mails.length).toBe(1);
    expect(late.mails[0]?.text).toContain('after the gap');
  });
});
