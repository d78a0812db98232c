/**
 * The delivery loop inside a running server: rows written to the outbox leave within seconds,
 * through the embedded queue's worker and through the Redis worker.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { enqueueDeliveries } from '../../src/server/features/notifications/index.js';
import { webhookSecretContext } from '../../src/server/features/secrets/index.js';
import { SecretBox, parseSecretKey } from '../../src/server/platform/crypto/secret-box.js';
import { connectDb, type Db } from '../../src/server/platform/db/index.js';
import { createPostgresSchema, setupProject, startPicket, waitFor } from '../helpers/picket.js';
import { parseExposition, sampleValue } from '../helpers/prometheus-text.js';
import { deleteRedisKeys, SHARED_REDIS_URL, uniqueRedisPrefix } from '../helpers/redis.js';
import type { PicketInstance, TestProject } from '../helpers/picket.js';

const SECRET_KEY = 'b'.repeat(64);
const METRICS_TOKEN = 'metrics-token-for-delivery-tests-0123456789';
const REDIS_PREFIX = uniqueRedisPrefix('deliveries');

interface Receipt {
  headers: http.IncomingHttpHeaders;
  body: string;
}

// PostgreSQL without Redis adds nothing here: its claims are tested in
// notification-delivery-storage.test.ts, and each server start costs the suite seconds.
const SETUPS = [
  { name: 'sqlite', postgres: false, redis: false },
  { name: 'postgres with redis', postgres: true, redis: true },
];

afterAll(async () => {
  await deleteRedisKeys(REDIS_PREFIX);
});

describe.each(SETUPS)('outbox delivery on $name', (setup) => {
  const receipts: Receipt[] = [];
  let receiver: http.Server;
  let receiverUrl: string;
  let picket: PicketInstance;
  let project: TestProject;
  let db: Db;

  beforeAll(async () => {
    receiver = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        receipts.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(200);
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

    const databaseUrl = setup.postgres ? (await createPostgresSchema()).url : undefined;
    picket = await startPicket({
      databaseUrl,
      env: {
        PICKET_OUTBOUND_ALLOW: '127.0.0.1',
        PICKET_SECRET_KEY: SECRET_KEY,
        PICKET_METRICS_TOKEN: METRICS_TOKEN,
        ...(setup.redis ? { REDIS_URL: SHARED_REDIS_URL, PICKET_REDIS_PREFIX: REDIS_PREFIX } : {}),
      },
    });
    project = await setupProject(picket, 'deliver');
    db = connectDb({ databaseUrl, dataDir: picket.dataDir });
  });

  afterAll(async () => {
    await db?.close();
    await picket?.stop();
    receiver?.closeAllConnections();
    await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  });

  it('sends a signed webhook within seconds', async () => {
    const box = new SecretBox(parseSecretKey(SECRET_KEY, 'test key'));
    await enqueueDeliveries(db.kysely, [
      {
        source: 'test',
        channel: 'webhook',
        target: receiverUrl,
        payload: { version: 1, type: 'issue.alert', setup: setup.name },
        projectId: project.projectId,
        signingSecret: box.seal('shared-secret', webhookSecretContext(project.projectId)),
      },
    ]);

    const receipt = await waitFor(() => Promise.resolve(receipts[0]), 15_000);
    const timestamp = String(receipt.headers['x-picket-timestamp']);
    const expected = createHmac('sha256', 'shared-secret')
      .update(`${timestamp}.${receipt.body}`)
      .digest('hex');
    expect(receipt.headers['x-picket-signature']).toBe(`sha256=${expected}`);
    expect(JSON.parse(receipt.body)).toMatchObject({ setup: setup.name });

    const row = await waitFor(async () => {
      const found = await db.kysely
        .selectFrom('notificationDeliveries')
        .select(['status', 'attempts'])
        .where('status', '=', 'sent')
        .executeTakeFirst();
      return found;
    });
    expect(Number(row.attempts)).toBe(1);
    expect(receipts).toHaveLength(1);
  });

  it('counts sent deliveries in the metrics', async () => {
    const sent = await waitFor(async () => {
      const response = await fetch(`${picket.url}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      const families = parseExposition(await response.text());
      const value = sampleValue(families, 'picket_notifications_total', {
        channel: 'webhook',
        result: 'sent',
      });
      return value > 0 ? value : undefined;
    });
    expect(sent).toBe(1);
  });
});
