/**
 * Tests an issue alert rule end to end. The real @sentry/node SDK (test/clients/node/node-app.mjs)
 * sends an exception and a message to Picket, and the rule fires for both new issues. The
 * notifications reach a real SMTP server and an HTTP receiver, both started here on 127.0.0.1.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { call } from '../helpers/members.js';
import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { apiRequest, setupProject, startPicket, waitFor } from '../helpers/picket.js';
import { decodeQuotedPrintable, startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { waitForEvent } from './api.js';
import { NODE_CLIENT_DIR, runClientScript, type ClientEventIds } from './clients.js';

const SCRIPT = path.join(NODE_CLIENT_DIR, 'node-app.mjs');
const CLIENT_TIMEOUT_MS = 20_000;
const NOTIFY_WAIT_MS = 15_000;
const PUBLIC_URL = 'http://picket.example.test';

interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Starts an HTTP server on 127.0.0.1 that responds 200 and keeps every request. */
async function startReceiver() {
  const received: ReceivedRequest[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface RuleAnswer {
  id: string;
  actions: { id: string; url?: string; secret?: string }[];
}

let picket: PicketInstance | undefined;
let smtp: TestSmtp | undefined;
let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
let project: TestProject;
let rule: RuleAnswer;
let ids: ClientEventIds;

beforeAll(async () => {
  smtp = await startSmtp();
  receiver = await startReceiver();
  picket = await startPicket({
    env: {
      PICKET_SMTP_URL: smtp.url,
      PICKET_SMTP_FROM: 'picket@example.com',
      PICKET_URL: PUBLIC_URL,
      PICKET_OUTBOUND_ALLOW: '127.0.0.1',
    },
  });
  project = await setupProject(picket, 'alerts');
  // DSNs name PICKET_URL, the address of the links under test; the SDK sends to the real listener.
  const dsn = new URL(project.dsn);
  dsn.host = new URL(picket.url).host;
  dsn.protocol = new URL(picket.url).protocol;
  project.dsn = dsn.toString();
  const me = await call(
    picket,
    { token: project.token },
    'GET',
    `/api/0/organizations/${project.orgSlug}/members/me/`,
  );
  const userId = (me.body as { user: { id: string } }).user.id;

  rule = (await apiRequest(
    picket,
    project.token,
    'POST',
    `/api/0/projects/${project.orgSlug}/${project.projectSlug}/rules/`,
    {
      name: 'New issues',
      actionMatch: 'any',
      filterMatch: 'all',
      frequency: 30,
      conditions: [{ id: 'sentry.rules.conditions.first_seen_event.FirstSeenEventCondition' }],
      filters: [],
      actions: [
        {
          id: 'sentry.mail.actions.NotifyEmailAction',
          targetType: 'Member',
          targetIdentifier: userId,
          fallthroughType: 'NoOne',
        },
        { id: 'picket.actions.webhook', url: `${receiver.url}/hook` },
        { id: 'picket.actions.slack', url: `${receiver.url}/slack/T000/B000/secret-part` },
      ],
    },
  )) as RuleAnswer;

  ids = await runClientScript(process.execPath, SCRIPT, project.dsn, CLIENT_TIMEOUT_MS);
  await waitForEvent(picket, project, ids.exception, NOTIFY_WAIT_MS);
  await waitForEvent(picket, project, ids.message, NOTIFY_WAIT_MS);
});

afterAll(async () => {
  await picket?.stop();
  await smtp?.close();
  await receiver?.close();
});

function hooks(pathPrefix: string): ReceivedRequest[] {
  return receiver?.received.filter((request) => request.path.startsWith(pathPrefix)) ?? [];
}

describe('an issue alert rule with @sentry/node', () => {
  it('posts a signed webhook for each new issue', async () => {
    const received = await waitFor(
      async () => (hooks('/hook').length >= 2 ? hooks('/hook') : undefined),
      NOTIFY_WAIT_MS,
    );
    const secret = rule.actions.find((action) => action.id === 'picket.actions.webhook')?.secret;
    expect(secret).toMatch(/^[0-9a-f]{32,}$/);

    const titles: string[] = [];
    for (const request of received) {
      const timestamp = String(request.headers['x-picket-timestamp']);
      const expected = createHmac('sha256', secret ?? '')
        .update(`${timestamp}.${request.body}`)
        .digest('hex');
      expect(request.headers['x-picket-signature']).toBe(`sha256=${expected}`);
      expect(request.headers['content-type']).toMatch(/^application\/json/);
      const body = JSON.parse(request.body) as {
        type: string;
        rule: { id: string };
        reasons: string[];
        issue: { title: string; url: string };
        event: { eventId: string } | null;
      };
      expect(body.type).toBe('issue.alert');
      expect(body.rule.id).toBe(rule.id);
      expect(body.reasons).toContain('first_seen');
      expect(
        body.issue.url.startsWith(`${PUBLIC_URL}/organizations/${project.orgSlug}/issues/`),
      ).toBe(true);
      titles.push(body.issue.title);
      expect([ids.exception, ids.message]).toContain(body.event?.eventId.replaceAll('-', ''));
    }
    expect(titles.some((title) => title.includes('invoice has no lines to sum'))).toBe(true);
  });

  it('sends a Slack message for each new issue', async () => {
    const received = await waitFor(
      async () => (hooks('/slack/').length >= 2 ? hooks('/slack/') : undefined),
      NOTIFY_WAIT_MS,
    );
    for (const request of received) {
      const body = JSON.parse(request.body) as { text?: string };
      expect(typeof body.text).toBe('string');
      // Only signed webhooks carry a signature.
      expect(request.headers['x-picket-signature']).toBeUndefined();
    }
  });

  it('e-mails the member with a link', async () => {
    const mails = await waitFor(
      async () => ((smtp?.received.length ?? 0) >= 2 ? smtp?.received : undefined),
      NOTIFY_WAIT_MS,
    );
    const mail = mails.find((message) =>
      decodeQuotedPrintable(message.raw).includes('invoice has no lines to sum'),
    );
    expect(mail?.to).toEqual([project.email]);
    const raw = decodeQuotedPrintable(mail?.raw ?? '');
    expect(raw).toContain('Content-Type: text/plain');
    expect(raw).toContain('Content-Type: text/html');
    expect(raw).toContain(`${PUBLIC_URL}/organizations/${project.orgSlug}/issues/`);
  });

  it('stays quiet for the same issues within the action interval', async () => {
    await waitFor(async () => (hooks('/hook').length >= 2 ? true : undefined), NOTIFY_WAIT_MS);
    const again = await runClientScript(process.execPath, SCRIPT, project.dsn, CLIENT_TIMEOUT_MS);
    if (picket === undefined) {
      throw new Error('Picket did not start');
    }
    await waitForEvent(picket, project, again.exception, NOTIFY_WAIT_MS);
    await waitForEvent(picket, project, again.message, NOTIFY_WAIT_MS);
    // The worker decides in the transaction that stores the events, so by now any firing would
    // be in the rule's history.
    const history = (await apiRequest(
      picket,
      project.token,
      'GET',
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/rules/${rule.id}/group-history/`,
    )) as { count: number }[];
    expect(history).toHaveLength(2);
    expect(history.map((entry) => entry.count)).toEqual([1, 1]);
    expect(hooks('/hook')).toHaveLength(2);
  });

  it('lists every delivery as sent in the rule history', async () => {
    if (picket === undefined) {
      throw new Error('Picket did not start');
    }
    const deliveries = await waitFor(async () => {
      const list = (await apiRequest(
        picket!,
        project.token,
        'GET',
        `/api/0/projects/${project.orgSlug}/${project.projectSlug}/rules/${rule.id}/picket-deliveries/`,
      )) as { status: string; channel: string; target: string }[];
      return list.length === 6 && list.every((entry) => entry.status === 'sent') ? list : undefined;
    }, NOTIFY_WAIT_MS);
    const slack = deliveries.find((entry) => entry.channel === 'slack');
    // The token part of a Slack URL is not shown.
    expect(slack?.target).not.toContain('secret-part');
  });
});
