/**
 * Tests issue alert rules fired by ingested events on a running Picket, on SQLite and PostgreSQL.
 * The cases are first-seen, the action interval, frequency, level and tag filters, and
 * regression. They check the firings and the outbox rows, not the sending.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ACTION_IDS, CONDITION_IDS, FILTER_IDS } from '../../src/shared/api/alerts.js';
import { RULE_CACHE_MAX_AGE_MS } from '../../src/server/features/alerts/rule-engine.js';
import { connectDb, type Db } from '../../src/server/platform/db/index.js';
import { SERVER_ENGINES } from '../helpers/engines.js';
import { newEventId } from '../helpers/envelopes.js';
import { call } from '../helpers/members.js';
import {
  sendEnvelope,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

interface DeliveryRow {
  channel: string;
  target: string;
  payload: string;
  signingSecret: string | null;
  source: string;
  userId: number | null;
}

describe.each(SERVER_ENGINES)('alert rules firing on $name', ({ databaseUrl }) => {
  let picket: PicketInstance;
  let project: TestProject;
  let db: Db;
  let rulesPath: string;
  let ownerId: number;
  const rules = { firstSeen: 0, frequency: 0, level: 0, regression: 0, test: 0 };

  const createRule = async (body: Record<string, unknown>) => {
    const created = await call(picket, { token: project.token }, 'POST', rulesPath, {
      actionMatch: 'all',
      filterMatch: 'all',
      frequency: 30,
      ...body,
    });
    expect(created.status).toBe(201);
    return Number((created.body as { id: string }).id);
  };

  /** Sends one event and waits until the worker stored it. */
  const sendEvent = async (event: Record<string, unknown>) => {
    const eventId = newEventId();
    // The project's DSN names PICKET_URL, which only links use here.
    const dsn = `http://${project.publicKey}@${new URL(picket.url).host}/${project.projectId}`;
    const response = await sendEnvelope(dsn, [
      {
        headers: { type: 'event' },
        payload: {
          event_id: eventId,
          timestamp: Date.now() / 1000,
          platform: 'node',
          level: 'error',
          environment: 'production',
          ...event,
        },
      },
    ]);
    expect(response.status).toBe(200);
    return waitFor(async () => {
      const row = await db.kysely
        .selectFrom('events')
        .select('issueId')
        .where('eventId', '=', eventId)
        .executeTakeFirst();
      return row === undefined ? undefined : { eventId, issueId: Number(row.issueId) };
    });
  };

  const firings = async (ruleId: number) =>
    db.kysely
      .selectFrom('alertFirings')
      .select(['id', 'issueId', 'eventId', 'reasons'])
      .where('ruleId', '=', ruleId)
      .orderBy('id')
      .execute();

  const deliveries = async (ruleId: number): Promise<DeliveryRow[]> =>
    db.kysely
      .selectFrom('notificationDeliveries')
      .select(['channel', 'target', 'payload', 'signingSecret', 'source', 'userId'])
      .where('ruleId', '=', ruleId)
      .orderBy('id')
      .execute();

  beforeAll(async () => {
    const url = await databaseUrl();
    picket = await startPicket({
      databaseUrl: url,
      env: { PICKET_URL: 'https://picket.test', PICKET_OUTBOUND_ALLOW: '127.0.0.1' },
    });
    project = await setupProject(picket, 'firing');
    db = connectDb({ databaseUrl: url, dataDir: picket.dataDir, poolSize: 1 });
    rulesPath = `/api/0/projects/${project.orgSlug}/${project.projectSlug}/rules/`;
    const owner = await db.kysely
      .selectFrom('users')
      .select('id')
      .where('email', '=', project.email)
      .executeTakeFirstOrThrow();
    ownerId = Number(owner.id);
    rules.firstSeen = await createRule({
      name: 'New issues',
      conditions: [{ id: CONDITION_IDS.firstSeen }],
      filters: [{ id: FILTER_IDS.tagged, key: 'feature', match: 'eq', value: 'first' }],
      actions: [
        { id: ACTION_IDS.webhook, url: 'http://127.0.0.1:9/hook' },
        { id: ACTION_IDS.email, targetType: 'Member', targetIdentifier: String(ownerId) },
        { id: ACTION_IDS.slack, url: 'https://hooks.slack.test/services/T0/B0/secret' },
      ],
    });
    rules.frequency = await createRule({
      name: 'Frequent',
      conditions: [{ id: CONDITION_IDS.frequency, value: 2, interval: '1m' }],
      filters: [{ id: FILTER_IDS.tagged, key: 'feature', match: 'eq', value: 'frequency' }],
      actions: [{ id: ACTION_IDS.discord, url: 'https://discord.test/api/webhooks/1/x' }],
    });
    rules.level = await createRule({
      name: 'Errors only',
      conditions: [{ id: CONDITION_IDS.firstSeen }],
      filters: [
        { id: FILTER_IDS.level, match: 'gte', level: '40' },
        { id: FILTER_IDS.tagged, key: 'feature', match: 'eq', value: 'level' },
      ],
      actions: [{ id: ACTION_IDS.teams, url: 'https://teams.test/webhook/x' }],
    });
    rules.regression = await createRule({
      name: 'Regressions',
      conditions: [{ id: CONDITION_IDS.regression }],
      filters: [{ id: FILTER_IDS.tagged, key: 'feature', match: 'eq', value: 'regression' }],
      actions: [{ id: ACTION_IDS.webhook, url: 'http://127.0.0.1:9/regressed' }],
    });
    rules.test = await createRule({
      name: 'Test me',
      conditions: [{ id: CONDITION_IDS.firstSeen }],
      filters: [{ id: FILTER_IDS.tagged, key: 'feature', match: 'eq', value: 'never' }],
      actions: [
        { id: ACTION_IDS.webhook, url: 'http://127.0.0.1:9/test' },
        { id: ACTION_IDS.email, targetType: 'Member', targetIdentifier: String(ownerId) },
      ],
    });
    // The worker reads a project's rules at most this often, so every rule is live after it.
    await new Promise((resolve) => setTimeout(resolve, RULE_CACHE_MAX_AGE_MS + 200));
  });

  afterAll(async () => {
    await db?.close();
    await picket?.stop();
  });

  it('first-seen rule fires once per issue', async () => {
    const ruleId = rules.firstSeen;
    const event = {
      fingerprint: ['first-seen'],
      tags: { feature: 'first' },
      release: 'web@1.0.0',
      exception: {
        values: [
          {
            type: 'TypeError',
            value: '<script>alert(1)</script> is undefined',
            stacktrace: {
              frames: [{ function: 'handler', filename: 'app.js', lineno: 10, colno: 3 }],
            },
          },
        ],
      },
    };
    const first = await sendEvent(event);

    const [firing] = await waitFor(async () => {
      const rows = await firings(ruleId);
      return rows.length > 0 ? rows : undefined;
    }, 5_000);
    expect(firing).toMatchObject({ issueId: first.issueId, eventId: first.eventId });
    expect(JSON.parse(firing?.reasons ?? '[]')).toEqual(['first_seen']);

    const rows = await deliveries(ruleId);
    expect(rows.map((row) => row.channel).sort()).toEqual(['email', 'slack', 'webhook']);
    const webhook = rows.find((row) => row.channel === 'webhook');
    expect(webhook?.signingSecret).toMatch(/^pk1\./);
    expect(JSON.parse(webhook?.payload ?? '{}')).toMatchObject({
      version: 1,
      type: 'issue.alert',
      rule: { id: String(ruleId), name: 'New issues' },
      reasons: ['first_seen'],
      project: { id: String(project.projectId), slug: project.projectSlug },
      issue: {
        id: String(first.issueId),
        url: `https://picket.test/organizations/${project.orgSlug}/issues/${first.issueId}/`,
      },
      event: { eventId: first.eventId, environment: 'production', release: 'web@1.0.0' },
    });

    const email = rows.find((row) => row.channel === 'email');
    expect(email).toMatchObject({ target: project.email, userId: ownerId });
    const mail = JSON.parse(email?.payload ?? '{}') as {
      subject: string;
      text: string;
      html: string;
    };
    expect(mail.subject).toBe(
      `[${project.projectSlug}] ERROR: TypeError: <script>alert(1)</script> is undefined`,
    );
    expect(mail.text).toContain('at handler (app.js:10:3)');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');

    const slack = JSON.parse(rows.find((row) => row.channel === 'slack')?.payload ?? '{}') as {
      text: string;
      blocks: { type: string }[];
    };
    expect(slack.text).toContain('TypeError');
    expect(slack.blocks[0]?.type).toBe('section');
    expect(JSON.stringify(slack.blocks)).not.toContain('<script>');

    // A second event inside the action interval fires nothing.
    await sendEvent(event);
    expect(await firings(ruleId)).toHaveLength(1);

    // An event whose tag does not match creates a new issue without a firing.
    await sendEvent({ ...event, fingerprint: ['other-tag'], tags: { feature: 'other' } });
    expect(await firings(ruleId)).toHaveLength(1);

    const history = await call(
      picket,
      { token: project.token },
      'GET',
      `${rulesPath}${ruleId}/group-history/`,
    );
    expect(history.body).toMatchObject([{ group: { id: String(first.issueId) }, count: 1 }]);
    const alerts = await call(
      picket,
      { token: project.token },
      'GET',
      `/api/0/issues/${first.issueId}/picket-alerts/`,
    );
    expect(alerts.body).toMatchObject([{ ruleId: String(ruleId), reasons: ['first_seen'] }]);
    expect((alerts.body as { deliveries: unknown[] }[])[0]?.deliveries).toHaveLength(3);
    const listed = await call(
      picket,
      { token: project.token },
      'GET',
      `${rulesPath}${ruleId}/picket-deliveries/`,
    );
    expect(JSON.stringify(listed.body)).not.toContain('/secret');
  });

  it('fires a frequency rule on the third event within a minute', async () => {
    const ruleId = rules.frequency;
    const event = { fingerprint: ['frequency'], tags: { feature: 'frequency' } };
    await sendEvent(event);
    await sendEvent(event);
    expect(await firings(ruleId)).toHaveLength(0);
    await sendEvent(event);
    const rows = await waitFor(async () => {
      const found = await firings(ruleId);
      return found.length > 0 ? found : undefined;
    }, 5_000);
    expect(JSON.parse(rows[0]?.reasons ?? '[]')).toEqual(['frequency']);
    const [discord] = await deliveries(ruleId);
    expect(JSON.parse(discord?.payload ?? '{}')).toMatchObject({
      allowed_mentions: { parse: [] },
      embeds: [{ title: expect.stringContaining('<unlabeled event>') as unknown }],
    });
  });

  it('leaves warnings out with a level filter', async () => {
    const ruleId = rules.level;
    await sendEvent({
      fingerprint: ['level-warning'],
      level: 'warning',
      tags: { feature: 'level' },
    });
    expect(await firings(ruleId)).toHaveLength(0);
    const error = await sendEvent({ fingerprint: ['level-error'], tags: { feature: 'level' } });
    const rows = await firings(ruleId);
    expect(rows.map((row) => Number(row.issueId))).toEqual([error.issueId]);
  });

  it('fires a regression rule when a resolved issue comes back', async () => {
    const ruleId = rules.regression;
    const event = { fingerprint: ['regression'], tags: { feature: 'regression' } };
    const first = await sendEvent(event);
    expect(await firings(ruleId)).toHaveLength(0);
    const resolved = await call(
      picket,
      { token: project.token },
      'PUT',
      `/api/0/issues/${first.issueId}/`,
      { status: 'resolved' },
    );
    expect(resolved.status).toBe(200);
    await sendEvent(event);
    const rows = await firings(ruleId);
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]?.reasons ?? '[]')).toEqual(['regression']);
  });

  it('sends a test of every action through the outbox', async () => {
    const ruleId = rules.test;
    const sent = await call(
      picket,
      { token: project.token },
      'POST',
      `${rulesPath}${ruleId}/picket-test/`,
    );
    expect(sent.status).toBe(202);
    expect((sent.body as { channel: string }[]).map((row) => row.channel).sort()).toEqual([
      'email',
      'webhook',
    ]);
    expect((await deliveries(ruleId)).every((row) => row.source === 'test')).toBe(true);
  });

  it('previews a draft rule', async () => {
    const response = await fetch(`${picket.url}${rulesPath}preview/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${project.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        actionMatch: 'all',
        filterMatch: 'all',
        frequency: 30,
        conditions: [{ id: CONDITION_IDS.firstSeen }],
        filters: [{ id: FILTER_IDS.tagged, key: 'feature', match: 'eq', value: 'level' }],
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-hits')).toBe('2');
    const issues = (await response.json()) as { id: string; shortId: string; count: string }[];
    expect(issues).toHaveLength(2);
    expect(issues[0]?.shortId).toMatch(/^WEB-/);

    const errorsOnly = await call(
      picket,
      { token: project.token },
      'POST',
      `${rulesPath}preview/`,
      {
        actionMatch: 'all',
        conditions: [{ id: CONDITION_IDS.firstSeen }],
        filters: [
          { id: FILTER_IDS.tagged, key: 'feature', match: 'eq', value: 'level' },
          { id: FILTER_IDS.level, match: 'gte', level: '40' },
          { id: FILTER_IDS.attribute, attribute: 'platform', match: 'eq', value: 'node' },
        ],
      },
    );
    expect(errorsOnly.body).toHaveLength(1);
  });
});
