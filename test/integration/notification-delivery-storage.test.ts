import { createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
  claimDueDeliveries,
  DeliveryRunner,
  enqueueDeliveries,
  pruneNotificationHistory,
  recordOutcome,
  renderEmail,
  type DeliveryRunnerOptions,
  type NewDelivery,
} from '../../src/server/features/notifications/index.js';
import { webhookSecretContext } from '../../src/server/features/secrets/index.js';
import { openSecretBox } from '../../src/server/platform/crypto/secret-box.js';
import type { Db } from '../../src/server/platform/db/index.js';
import { createLogger } from '../../src/server/platform/logger.js';
import { createTestProject, STORAGE_ENGINES } from '../helpers/engines.js';
import { waitFor } from '../helpers/picket.js';
import { decodeQuotedPrintable, startSmtp } from '../helpers/smtp.js';

const SECRET_KEY = 'a'.repeat(64);
const WEBHOOK_SECRET = 'whsec-test-1234';

interface Receipt {
  headers: http.IncomingHttpHeaders;
  body: string;
  url: string;
}

/** Starts an HTTP receiver on 127.0.0.1 that responds to each request with `respond`. */
async function startReceiver(respond: (receipt: Receipt) => { status: number; headers?: object }) {
  const receipts: Receipt[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const receipt = {
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        url: request.url ?? '',
      };
      receipts.push(receipt);
      const { status, headers = {} } = respond(receipt);
      response.writeHead(status, headers as http.OutgoingHttpHeaders);
      response.end(status >= 400 ? `error ${status}\n` : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (pathname: string) => `http://127.0.0.1:${port}${pathname}`,
    receipts,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function verifySignature(receipt: Receipt): boolean {
  const timestamp = String(receipt.headers['x-picket-timestamp']);
  const expected = createHmac('sha256', WEBHOOK_SECRET)
    .update(`${timestamp}.${receipt.body}`)
    .digest('hex');
  const received = String(receipt.headers['x-picket-signature']).replace(/^sha256=/, '');
  const expectedBytes = Buffer.from(expected, 'hex');
  const receivedBytes = Buffer.from(received, 'hex');
  return (
    receivedBytes.length === expectedBytes.length && timingSafeEqual(receivedBytes, expectedBytes)
  );
}

describe.each(STORAGE_ENGINES)('notification delivery on $name', (engine) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let projectId: number;
  let dataDir: string;
  const log = createLogger('silent');

  beforeAll(async () => {
    ({ db, cleanup } = await engine.open());
    ({ projectId } = await createTestProject(db));
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-delivery-'));
  });

  afterAll(async () => {
    await cleanup();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await db.kysely.deleteFrom('notificationDeliveries').execute();
  });

  function runner(options: Partial<DeliveryRunnerOptions> & { smtpUrl?: string } = {}) {
    return new DeliveryRunner({
      db,
      log,
      config: {
        outboundAllow: ['127.0.0.1'],
        smtpUrl: options.smtpUrl,
        smtpFrom: 'picket@example.com',
        publicUrl: undefined,
        secretKey: SECRET_KEY,
        previousSecretKeys: undefined,
        dataDir,
      },
      backoffMs: [0],
      ...options,
    });
  }

  async function enqueue(...deliveries: Partial<NewDelivery>[]): Promise<number[]> {
    await enqueueDeliveries(
      db.kysely,
      deliveries.map((delivery) => ({
        source: 'test',
        channel: 'webhook',
        target: 'http://127.0.0.1:1/',
        payload: { version: 1, type: 'issue.alert' },
        projectId,
        ...delivery,
      })),
    );
    const rows = await db.kysely
      .selectFrom('notificationDeliveries')
      .select('id')
      .orderBy('id')
      .execute();
    return rows.map((row) => Number(row.id));
  }

  async function row(id: number) {
    return db.kysely
      .selectFrom('notificationDeliveries')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }

  it('signs a webhook the receiver can verify', async () => {
    const receiver = await startReceiver(() => ({ status: 200 }));
    try {
      const sealed = openSecretBox({
        secretKey: SECRET_KEY,
        previousKeys: undefined,
        dataDir,
      }).seal(WEBHOOK_SECRET, webhookSecretContext(projectId));
      const [id] = await enqueue({
        target: receiver.url('/hook?token=abc'),
        payload: { version: 1, type: 'issue.alert', title: 'Ünïcode <b>' },
        signingSecret: sealed,
      });

      const before = Math.floor(Date.now() / 1_000);
      expect(await runner().runOnce()).toBe(1);

      expect(receiver.receipts).toHaveLength(1);
      const receipt = receiver.receipts[0]!;
      expect(receipt.url).toBe('/hook?token=abc');
      expect(receipt.headers['content-type']).toBe('application/json');
      expect(receipt.headers['user-agent']).toBe('Picket-Webhooks/1');
      expect(receipt.headers['x-picket-delivery']).toBe(String(id));
      expect(Number(receipt.headers['x-picket-timestamp'])).toBeGreaterThanOrEqual(before);
      expect(receipt.headers['x-picket-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(verifySignature(receipt)).toBe(true);
      expect(JSON.parse(receipt.body)).toEqual({
        version: 1,
        type: 'issue.alert',
        title: 'Ünïcode <b>',
      });

      const stored = await row(id!);
      expect(stored.status).toBe('sent');
      expect(Number(stored.attempts)).toBe(1);
      expect(Number(stored.responseStatus)).toBe(200);
      expect(stored.finishedAt).not.toBeNull();
    } finally {
      await receiver.close();
    }
  });

  it('sends Slack bodies unsigned', async () => {
    const receiver = await startReceiver(() => ({ status: 204 }));
    try {
      const [id] = await enqueue({
        channel: 'slack',
        target: receiver.url('/services/T0/B0/secret'),
        payload: { text: 'hello' },
      });
      await runner().runOnce();

      const receipt = receiver.receipts[0]!;
      expect(receipt.body).toBe('{"text":"hello"}');
      expect(receipt.headers['x-picket-signature']).toBeUndefined();
      expect((await row(id!)).status).toBe('sent');
    } finally {
      await receiver.close();
    }
  });

  it('retries a 500 and then sends', async () => {
    let calls = 0;
    const receiver = await startReceiver(() => {
      calls += 1;
      return { status: calls === 1 ? 500 : 200 };
    });
    try {
      const [id] = await enqueue({ target: receiver.url('/flaky') });
      const sender = runner();

      await sender.runOnce();
      const retrying = await row(id!);
      expect(retrying.status).toBe('pending');
      expect(retrying.lastError).toBe('HTTP 500: error 500');
      expect(Number(retrying.responseStatus)).toBe(500);

      await sender.runOnce();
      const sent = await row(id!);
      expect(sent.status).toBe('sent');
      expect(Number(sent.attempts)).toBe(2);
      expect(Number(sent.responseStatus)).toBe(200);
      expect(receiver.receipts).toHaveLength(2);
    } finally {
      await receiver.close();
    }
  });

  it('waits the backoff before a retry', async () => {
    const receiver = await startReceiver(() => ({ status: 503 }));
    try {
      const [id] = await enqueue({ target: receiver.url('/down') });
      const started = Date.now();
      const sender = runner({ backoffMs: [10_000, 60_000] });

      await sender.runOnce();
      const stored = await row(id!);
      expect(stored.status).toBe('pending');
      expect(Number(stored.nextAttemptAt)).toBeGreaterThanOrEqual(started + 10_000);
      expect(await sender.runOnce()).toBe(0);
    } finally {
      await receiver.close();
    }
  });

  it('honours Retry-After', async () => {
    const receiver = await startReceiver(() => ({
      status: 429,
      headers: { 'Retry-After': '120' },
    }));
    try {
      const [id] = await enqueue({ target: receiver.url('/limited') });
      const started = Date.now();
      await runner().runOnce();

      const stored = await row(id!);
      expect(stored.status).toBe('pending');
      expect(Number(stored.nextAttemptAt)).toBeGreaterThanOrEqual(started + 120_000);
      expect(Number(stored.nextAttemptAt)).toBeLessThan(Date.now() + 121_000);
    } finally {
      await receiver.close();
    }
  });

  it('fails at once on 404', async () => {
    const receiver = await startReceiver(() => ({ status: 404 }));
    try {
      const [id] = await enqueue({ target: receiver.url('/gone') });
      await runner().runOnce();

      const stored = await row(id!);
      expect(stored.status).toBe('failed');
      expect(Number(stored.attempts)).toBe(1);
      expect(Number(stored.responseStatus)).toBe(404);
      expect(stored.lastError).toBe('HTTP 404: error 404');
      expect(stored.finishedAt).not.toBeNull();
    } finally {
      await receiver.close();
    }
  });

  it('fails after five attempts', async () => {
    const receiver = await startReceiver(() => ({ status: 502 }));
    try {
      const [id] = await enqueue({ target: receiver.url('/broken') });
      const sender = runner();
      for (let attempt = 0; attempt < 6; attempt += 1) {
        await sender.runOnce();
      }

      const stored = await row(id!);
      expect(stored.status).toBe('failed');
      expect(Number(stored.attempts)).toBe(5);
      expect(receiver.receipts).toHaveLength(5);
    } finally {
      await receiver.close();
    }
  });

  it('fails a refused address at once', async () => {
    const receiver = await startReceiver(() => ({ status: 200 }));
    try {
      const [id] = await enqueue({ target: receiver.url('/hook?token=abc') });
      await runner({
        config: {
          outboundAllow: [],
          smtpUrl: undefined,
          smtpFrom: undefined,
          publicUrl: undefined,
          secretKey: SECRET_KEY,
          previousSecretKeys: undefined,
          dataDir,
        },
      }).runOnce();

      const stored = await row(id!);
      expect(stored.status).toBe('failed');
      expect(stored.lastError).toBe(
        'refused: 127.0.0.1 is a loopback address; allow it with PICKET_OUTBOUND_ALLOW',
      );
      expect(receiver.receipts).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });

  it('sends e-mail with text and HTML parts', async () => {
    const smtp = await startSmtp({ starttls: false });
    try {
      const email = renderEmail({
        subject: 'New issue: TypeError <x>',
        heading: 'TypeError <x>',
        paragraphs: ['Seen in web & api'],
        link: { label: 'Open issue', url: 'http://picket.example/issues/1/' },
        footer: 'You get this because you are a member.',
      });
      const [id] = await enqueue({
        channel: 'email',
        target: 'dev@example.com',
        payload: email,
      });
      await runner({ smtpUrl: smtp.url }).runOnce();

      const stored = await row(id!);
      expect(stored.status).toBe('sent');
      expect(smtp.received).toHaveLength(1);
      const mail = smtp.received[0]!;
      expect(mail.to).toEqual(['dev@example.com']);
      const body = decodeQuotedPrintable(mail.raw);
      expect(body).toMatch(/Content-Type: text\/plain/);
      expect(body).toMatch(/Content-Type: text\/html/);
      expect(body).toContain('Subject: New issue: TypeError <x>');
      expect(body).toContain('Seen in web & api');
      expect(body).toContain('<p>Seen in web &amp; api</p>');
      expect(body).toContain('TypeError &lt;x&gt;');
      expect(body).toContain('http://picket.example/issues/1/');
    } finally {
      await smtp.close();
    }
  });

  it('fails e-mail when SMTP is not configured', async () => {
    const [id] = await enqueue({
      channel: 'email',
      target: 'dev@example.com',
      payload: { subject: 's', text: 't', html: '<p>h</p>' },
    });
    await runner().runOnce();

    const stored = await row(id!);
    expect(stored.status).toBe('failed');
    expect(stored.lastError).toBe('SMTP is not configured (PICKET_SMTP_URL)');
  });

  it('fails e-mail at once when the SMTP server refuses it for good', async () => {
    const smtp = await startSmtp({ starttls: false, reject: true });
    try {
      const [id] = await enqueue({
        channel: 'email',
        target: 'dev@example.com',
        payload: { subject: 's', text: 't', html: '<p>h</p>' },
      });
      await runner({ smtpUrl: smtp.url }).runOnce();

      const stored = await row(id!);
      expect(stored.status).toBe('failed');
      expect(Number(stored.attempts)).toBe(1);
      expect(stored.lastError).toMatch(/^SMTP: .*Mailbox full/);
    } finally {
      await smtp.close();
    }
  });

  it('retries e-mail when SMTP fails, without the password', async () => {
    const smtp = await startSmtp({ starttls: false });
    const { url } = smtp;
    await smtp.close();
    const [id] = await enqueue({
      channel: 'email',
      target: 'dev@example.com',
      payload: { subject: 's', text: 't', html: '<p>h</p>' },
    });
    await runner({ smtpUrl: url.replace('smtp://', 'smtp://user:pa55word@') }).runOnce();

    const stored = await row(id!);
    expect(stored.status).toBe('pending');
    expect(stored.lastError).toMatch(/^SMTP: /);
    expect(stored.lastError).not.toContain('pa55word');
  });

  it('releases a cut-off attempt on stop', async () => {
    const hanging: http.ServerResponse[] = [];
    const server = http.createServer((_request, response) => {
      hanging.push(response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const [id] = await enqueue({ target: `http://127.0.0.1:${port}/slow` });
      const sender = runner({ pollIntervalMs: 20 });
      sender.start();
      await waitFor(() => Promise.resolve(hanging.length > 0 ? true : undefined));
      await sender.stop();

      const stored = await row(id!);
      expect(stored.status).toBe('pending');
      expect(Number(stored.attempts)).toBe(0);
      expect(Number(stored.nextAttemptAt)).toBeLessThanOrEqual(Date.now());
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('takes over a claim that ran out', async () => {
    const [id] = await enqueue({});
    const now = Date.now();
    const [first] = await claimDueDeliveries(db, { now, claimMs: 1_000, limit: 10 });
    expect(first?.id).toBe(id);
    expect(await claimDueDeliveries(db, { now: now + 500, claimMs: 1_000, limit: 10 })).toEqual([]);

    const [second] = await claimDueDeliveries(db, { now: now + 1_000, claimMs: 1_000, limit: 10 });
    expect(second?.attempts).toBe(2);

    const options = { now: now + 1_500, maxAttempts: 5, backoffMs: [0] };
    const late = await recordOutcome(db, first!, { result: 'sent', responseStatus: 200 }, options);
    expect(late).toBeUndefined();
    const current = await recordOutcome(
      db,
      second!,
      { result: 'sent', responseStatus: 201 },
      options,
    );
    expect(current).toBe('sent');
    expect(Number((await row(id!)).responseStatus)).toBe(201);
  });

  it('never sends a row twice with two runners', async () => {
    const seen = new Map<string, number>();
    const receiver = await startReceiver((receipt) => {
      const id = String(receipt.headers['x-picket-delivery']);
      seen.set(id, (seen.get(id) ?? 0) + 1);
      return { status: 200 };
    });
    const runners = [runner({ pollIntervalMs: 20 }), runner({ pollIntervalMs: 20 })];
    try {
      const ids = await enqueue(
        ...Array.from({ length: 50 }, (_, index) => ({ target: receiver.url(`/r/${index}`) })),
      );
      for (const each of runners) {
        each.start();
      }

      await waitFor(async () => {
        const pending = await db.kysely
          .selectFrom('notificationDeliveries')
          .select('id')
          .where('status', '!=', 'sent')
          .execute();
        return pending.length === 0 ? true : undefined;
      });
      expect(receiver.receipts).toHaveLength(50);
      expect([...seen.keys()].sort()).toEqual(ids.map(String).sort());
      expect([...seen.values()].every((count) => count === 1)).toBe(true);
    } finally {
      await Promise.all(runners.map((each) => each.stop()));
      await receiver.close();
    }
  });

  it('prunes finished rows older than the cutoff', async () => {
    const old = 1_000;
    const recent = Date.now();
    const base = {
      source: 'test',
      channel: 'webhook',
      target: 'http://127.0.0.1:1/',
      payload: '{}',
      attempts: 1,
      createdAt: old,
    };
    await db.kysely
      .insertInto('notificationDeliveries')
      .values([
        { ...base, status: 'sent', nextAttemptAt: old, finishedAt: old },
        { ...base, status: 'failed', nextAttemptAt: old, finishedAt: old },
        { ...base, status: 'pending', nextAttemptAt: old },
        { ...base, status: 'sent', nextAttemptAt: recent, finishedAt: recent },
      ])
      .execute();
    const rule = await db.kysely
      .insertInto('alertRules')
      .values({
        projectId,
        name: 'rule',
        environment: null,
        actionMatch: 'all',
        filterMatch: 'all',
        frequencyMinutes: 30,
        conditions: '[]',
        filters: '[]',
        actions: '[]',
        status: 'active',
        owner: null,
        createdBy: null,
        createdAt: old,
        updatedAt: old,
        lastTriggered: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const firing = { ruleId: rule.id, projectId, issueId: 1, eventId: null, reasons: '[]' };
    await db.kysely
      .insertInto('alertFirings')
      .values([
        { ...firing, firedAt: old },
        { ...firing, firedAt: recent },
      ])
      .execute();

    const pruned = await pruneNotificationHistory(db.kysely, recent - 86_400_000);
    expect(pruned).toEqual({ deliveries: 2, firings: 1 });

    const left = await db.kysely
      .selectFrom('notificationDeliveries')
      .select('status')
      .orderBy('id')
      .execute();
    expect(left.map((entry) => entry.status)).toEqual(['pending', 'sent']);
    const firings = await db.kysely.selectFrom('alertFirings').select('firedAt').execute();
    expect(firings.map((entry) => Number(entry.firedAt))).toEqual([recent]);
  });
});
