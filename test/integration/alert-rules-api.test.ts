/**
 * Issue alert rules through Sentry's rule API on a running Picket, on SQLite and PostgreSQL:
 * create, read, change and delete with Sentry's shapes, validation errors, scopes, project
 * visibility and the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ACTION_IDS, CONDITION_IDS, FILTER_IDS } from '../../src/shared/api/alerts.js';
import { SERVER_ENGINES } from '../helpers/engines.js';
import { addMember, call, createToken, readAudit } from '../helpers/members.js';
import {
  runCli,
  setupProject,
  startPicket,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

interface ApiRule {
  id: string;
  name: string;
  actions: Record<string, unknown>[];
  conditions: Record<string, unknown>[];
  filters: Record<string, unknown>[];
  projects: string[];
  frequency: number;
  createdBy: { email: string } | null;
  type?: string;
}

const RULE = {
  name: 'New errors',
  actionMatch: 'all',
  filterMatch: 'all',
  frequency: 30,
  environment: 'production',
  conditions: [{ id: CONDITION_IDS.firstSeen }],
  filters: [{ id: FILTER_IDS.level, match: 'gte', level: '40' }],
  actions: [
    { id: ACTION_IDS.webhook, url: 'https://hooks.example.com/picket' },
    { id: ACTION_IDS.email, targetType: 'IssueOwners', fallthroughType: 'ActiveMembers' },
  ],
};

describe.each(SERVER_ENGINES)('alert rule API on $name', ({ databaseUrl }) => {
  let picket: PicketInstance;
  let project: TestProject;
  let rulesPath: string;
  let url: string | undefined;

  const owner = () => ({ token: project.token });

  beforeAll(async () => {
    url = await databaseUrl();
    picket = await startPicket({ databaseUrl: url, env: { PICKET_OUTBOUND_ALLOW: '127.0.0.1' } });
    project = await setupProject(picket, 'rules');
    rulesPath = `/api/0/projects/${project.orgSlug}/${project.projectSlug}/rules/`;
  });

  afterAll(async () => {
    await picket?.stop();
  });

  it('rule CRUD with audit rows', async () => {
    const created = await call(picket, owner(), 'POST', rulesPath, RULE);
    expect(created.status).toBe(201);
    const rule = created.body as ApiRule;
    expect(rule).toMatchObject({
      name: 'New errors',
      environment: 'production',
      frequency: 30,
      status: 'active',
      projects: [project.projectSlug],
      conditions: [{ id: CONDITION_IDS.firstSeen }],
      filters: [{ id: FILTER_IDS.level, match: 'gte', level: '40' }],
      createdBy: { email: project.email },
      snooze: false,
      lastTriggered: null,
    });
    const webhook = rule.actions[0] ?? {};
    expect(webhook.secret).toMatch(/^[0-9a-f]{64}$/);

    const fetched = await call(picket, owner(), 'GET', `${rulesPath}${rule.id}/`);
    expect(fetched.body).toEqual(rule);
    const listed = await call(picket, owner(), 'GET', rulesPath);
    expect(listed.body).toEqual([rule]);
    const combined = await call(
      picket,
      owner(),
      'GET',
      `/api/0/organizations/${project.orgSlug}/combined-rules/`,
    );
    expect(combined.body).toEqual([{ ...rule, type: 'rule' }]);

    const changed = await call(picket, owner(), 'PUT', `${rulesPath}${rule.id}/`, {
      ...RULE,
      name: 'Renamed',
      frequency: 60,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: rule.id, name: 'Renamed', frequency: 60 });
    // The secret of the same webhook URL survives an edit that leaves it out.
    expect((changed.body as ApiRule).actions[0]?.secret).toBe(webhook.secret);

    const removed = await call(picket, owner(), 'DELETE', `${rulesPath}${rule.id}/`);
    expect(removed.status).toBe(202);
    expect((await call(picket, owner(), 'GET', `${rulesPath}${rule.id}/`)).status).toBe(404);

    const audit = (await readAudit(picket, url)).filter((row) => row.event.startsWith('rule.'));
    expect(audit.map((row) => [row.event, row.targetId])).toEqual([
      ['rule.add', rule.id],
      ['rule.edit', rule.id],
      ['rule.remove', rule.id],
    ]);
    expect(JSON.stringify(audit)).not.toContain(String(webhook.secret));
  });

  it('refuses a hook URL on a private address that is not allowed', async () => {
    const refused = await call(picket, owner(), 'POST', rulesPath, {
      ...RULE,
      actions: [{ id: ACTION_IDS.discord, url: 'http://10.20.30.40/api/webhooks/1/x' }],
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      'actions.0.url': [
        'Picket does not send to 10.20.30.40, a private address; allow it with PICKET_OUTBOUND_ALLOW.',
      ],
    });
  });

  it('keeps a given webhook secret and serves the catalog', async () => {
    const secret = 'a-secret-of-the-caller-1234';
    const created = await call(picket, owner(), 'POST', rulesPath, {
      ...RULE,
      actions: [{ id: ACTION_IDS.webhook, url: 'http://127.0.0.1:9/hook', secret }],
    });
    expect((created.body as ApiRule).actions[0]?.secret).toBe(secret);

    const configuration = await call(picket, owner(), 'GET', `${rulesPath}configuration/`);
    expect(configuration.status).toBe(200);
    const ids = (configuration.body as { conditions: { id: string }[] }).conditions.map(
      (entry) => entry.id,
    );
    expect(ids).toContain(CONDITION_IDS.frequency);
  });

  it('rejects invalid rules with field errors', async () => {
    const unknown = await call(picket, owner(), 'POST', rulesPath, {
      ...RULE,
      conditions: [{ id: 'sentry.rules.conditions.nope' }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({
      conditions: [expect.stringContaining('sentry.rules.conditions.nope') as unknown],
    });

    const badField = await call(picket, owner(), 'POST', rulesPath, {
      ...RULE,
      conditions: [{ id: CONDITION_IDS.frequency, value: 'many', interval: '2h' }],
    });
    expect(badField.status).toBe(400);
    expect(Object.keys(badField.body as object)).toEqual(
      expect.arrayContaining(['conditions.0.value', 'conditions.0.interval']),
    );

    const badUrl = await call(picket, owner(), 'POST', rulesPath, {
      ...RULE,
      actions: [{ id: ACTION_IDS.slack, url: 'javascript:alert(1)' }],
    });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body).toHaveProperty(['actions.0.url']);

    const badTeam = await call(picket, owner(), 'POST', rulesPath, {
      ...RULE,
      actions: [{ id: ACTION_IDS.email, targetType: 'Team', targetIdentifier: '999999' }],
    });
    expect(badTeam.status).toBe(400);

    const noAction = await call(picket, owner(), 'POST', rulesPath, { ...RULE, actions: [] });
    expect(noAction.status).toBe(400);
    const badFrequency = await call(picket, owner(), 'POST', rulesPath, { ...RULE, frequency: 1 });
    expect(badFrequency.status).toBe(400);
  });

  it('needs a write scope to write and hides projects the caller cannot see', async () => {
    const tokenRun = await runCli(
      ['token', 'create', '--user', project.email, '--scopes', 'org:read,project:read'],
      { env: picket.env },
    );
    const readOnly = { token: tokenRun.stdout.trim() };
    expect((await call(picket, readOnly, 'GET', rulesPath)).status).toBe(200);
    expect((await call(picket, readOnly, 'POST', rulesPath, RULE)).status).toBe(403);

    await call(picket, owner(), 'PUT', `/api/0/organizations/${project.orgSlug}/`, {
      openMembership: false,
    });
    const member = await addMember(
      picket,
      await createToken(picket, project.email),
      project.orgSlug,
      `outsider-${Date.now()}@example.com`,
      'member',
    );
    expect((await call(picket, { token: member.token }, 'GET', rulesPath)).status).toBe(404);
    expect((await call(picket, { token: member.token }, 'POST', rulesPath, RULE)).status).toBe(404);
  });

  it('previews issues only with a write scope', async () => {
    const preview = { actionMatch: 'any', conditions: [{ id: CONDITION_IDS.firstSeen }] };
    for (const scopes of ['project:read', 'alerts:read']) {
      const tokenRun = await runCli(
        ['token', 'create', '--user', project.email, '--scopes', scopes],
        {
          env: picket.env,
        },
      );
      const reader = { token: tokenRun.stdout.trim() };
      const response = await call(picket, reader, 'POST', `${rulesPath}preview/`, preview);
      expect(response.status, scopes).toBe(403);
    }
    expect((await call(picket, owner(), 'POST', `${rulesPath}preview/`, preview)).status).toBe(200);
  });

  it('rate limits test sends of a rule', async () => {
    const quiet = {
      ...RULE,
      name: 'Test send limit',
      actions: [{ id: ACTION_IDS.email, targetType: 'IssueOwners', fallthroughType: 'NoOne' }],
    };
    const created = (await call(picket, owner(), 'POST', rulesPath, quiet)).body as ApiRule;
    const testPath = `${rulesPath}${created.id}/picket-test/`;
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt += 1) {
      statuses.push((await call(picket, owner(), 'POST', testPath)).status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array<number>(10).fill(202));
    expect(statuses[10]).toBe(429);
  });

  it('hides secrets and hook URLs from readers', async () => {
    const secret = 'a-secret-only-writers-see-1234';
    const slackUrl = 'https://hooks.slack.test/services/T000/B000/slack-token-5678';
    const created = await call(picket, owner(), 'POST', rulesPath, {
      ...RULE,
      name: 'Hidden from readers',
      actions: [
        { id: ACTION_IDS.webhook, url: 'https://hooks.example.com/picket?token=hook-9', secret },
        { id: ACTION_IDS.slack, url: slackUrl },
      ],
    });
    const rulePath = `${rulesPath}${(created.body as ApiRule).id}/`;
    const tokenRun = await runCli(
      ['token', 'create', '--user', project.email, '--scopes', 'alerts:read'],
      { env: picket.env },
    );
    const reader = { token: tokenRun.stdout.trim() };
    const combinedPath = `/api/0/organizations/${project.orgSlug}/combined-rules/`;
    for (const path of [rulePath, rulesPath, combinedPath]) {
      const response = await call(picket, reader, 'GET', path);
      expect(response.status, path).toBe(200);
      const text = JSON.stringify(response.body);
      expect(text, path).not.toContain(secret);
      expect(text, path).not.toContain('slack-token-5678');
      expect(text, path).not.toContain('hook-9');
    }

    const ownerView = (await call(picket, owner(), 'GET', rulePath)).body as ApiRule;
    expect(ownerView.actions[0]?.secret).toBe(secret);
    expect(ownerView.actions[1]?.url).toBe(slackUrl);

    const audit = JSON.stringify(
      (await readAudit(picket, url)).filter((row) => row.event.startsWith('rule.')),
    );
    expect(audit).toContain('Hidden from readers');
    expect(audit).not.toContain('slack-token-5678');
    expect(audit).not.toContain('hook-9');
  });

  it('ignores group history bounds out of range', async () => {
    const created = (await call(picket, owner(), 'POST', rulesPath, RULE)).body as ApiRule;
    const historyPath = `${rulesPath}${created.id}/group-history/`;
    for (const query of ['start=99999999999999999999999', 'end=99999999999999999999999']) {
      const response = await call(picket, owner(), 'GET', `${historyPath}?${query}`);
      expect(response.status, query).toBe(200);
    }
  });
});
