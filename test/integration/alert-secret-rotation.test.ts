/**
 * `rotateSecrets` re-seals the webhook secrets of alert rules and of outbox rows, on SQLite and
 * PostgreSQL: sealed with key A, they open with key B alone afterwards.
 */
import { randomBytes } from 'node:crypto';

import { afterEach, describe, expect, it } from 'vitest';

import { ACTION_IDS } from '../../src/shared/api/alerts.js';
import { rotateSecrets, webhookSecretContext } from '../../src/server/features/secrets/index.js';
import { SecretBox } from '../../src/server/platform/crypto/secret-box.js';
import { createTestProject, STORAGE_ENGINES } from '../helpers/engines.js';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  while (cleanups.length > 0) {
    await cleanups.pop()?.();
  }
});

describe.each(STORAGE_ENGINES)('alert secret rotation on $name', ({ open }) => {
  it('re-seals rule and delivery secrets with the current key', async () => {
    const { db, cleanup } = await open();
    cleanups.push(cleanup);
    const { projectId } = await createTestProject(db);
    const keyA = randomBytes(32);
    const keyB = randomBytes(32);
    const boxA = new SecretBox(keyA);
    const context = webhookSecretContext(projectId);
    const secret = 'webhook-secret-0123456789';

    const rule = await db.kysely
      .insertInto('alertRules')
      .values({
        projectId,
        name: 'r',
        environment: null,
        actionMatch: 'all',
        filterMatch: 'all',
        frequencyMinutes: 30,
        conditions: '[]',
        filters: '[]',
        actions: JSON.stringify([
          {
            id: ACTION_IDS.webhook,
            url: 'https://example.com/h',
            secret: boxA.seal(secret, context),
          },
          { id: ACTION_IDS.slack, url: 'https://example.com/s' },
        ]),
        status: 'active',
        owner: null,
        createdBy: null,
        createdAt: 1,
        updatedAt: 1,
        lastTriggered: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.kysely
      .insertInto('notificationDeliveries')
      .values({
        projectId,
        source: 'rule',
        channel: 'webhook',
        target: 'https://example.com/h',
        payload: '{}',
        signingSecret: boxA.seal(secret, context),
        status: 'pending',
        attempts: 0,
        nextAttemptAt: 1,
        createdAt: 1,
      })
      .execute();

    const results = await rotateSecrets(db.kysely, new SecretBox(keyB, [keyA]));
    expect(
      results.filter(
        (result) => result.table !== 'instance_secrets' && result.table !== 'user_authenticators',
      ),
    ).toEqual([
      { table: 'alert_rules', resealed: 1, alreadyCurrent: 0 },
      { table: 'notification_deliveries', resealed: 1, alreadyCurrent: 0 },
    ]);

    const boxB = new SecretBox(keyB);
    const stored = await db.kysely
      .selectFrom('alertRules')
      .select('actions')
      .where('id', '=', rule.id)
      .executeTakeFirstOrThrow();
    const [webhook, slack] = JSON.parse(stored.actions) as { secret?: string; url: string }[];
    expect(boxB.open(webhook?.secret ?? '', context)).toBe(secret);
    expect(slack).toEqual({ id: ACTION_IDS.slack, url: 'https://example.com/s' });
    const delivery = await db.kysely
      .selectFrom('notificationDeliveries')
      .select('signingSecret')
      .executeTakeFirstOrThrow();
    expect(boxB.open(delivery.signingSecret ?? '', context)).toBe(secret);

    const again = await rotateSecrets(db.kysely, boxB);
    expect(again.find((result) => result.table === 'alert_rules')).toEqual({
      table: 'alert_rules',
      resealed: 0,
      alreadyCurrent: 1,
    });
  });
});
