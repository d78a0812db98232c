/**
 * Sends an SDK check-in with `monitor_config` and the status `error` to a running Picket, and
 * waits for the worker's cron notification job to put the failure e-mail into the outbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { connectDb, type Db } from '../../src/server/platform/db/index.js';
import { SERVER_ENGINES } from '../helpers/engines.js';
import {
  sendEnvelope,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

describe.each(SERVER_ENGINES)('cron monitor notifications on $name', ({ databaseUrl }) => {
  let picket: PicketInstance;
  let project: TestProject;
  let db: Db;

  beforeAll(async () => {
    const url = await databaseUrl();
    picket = await startPicket({ databaseUrl: url });
    project = await setupProject(picket, 'cronmail');
    db = connectDb({ databaseUrl: url, dataDir: picket.dataDir });
  });

  afterAll(async () => {
    await db?.close();
    await picket?.stop();
  });

  it('puts the failure e-mail of an error check-in into the outbox', async () => {
    const response = await sendEnvelope(project.dsn, [
      {
        headers: { type: 'check_in' },
        payload: {
          check_in_id: 'a3c5a1e0b2d94c8f9a6b7c8d9e0f1a2b',
          monitor_slug: 'nightly-backup',
          status: 'error',
          duration: 2.5,
          environment: 'production',
          monitor_config: {
            schedule: { type: 'crontab', value: '0 3 * * *' },
            checkin_margin: 5,
            max_runtime: 30,
            timezone: 'Europe/Berlin',
          },
        },
      },
    ]);
    expect(response.status).toBe(200);

    const delivery = await waitFor(
      () =>
        db.kysely
          .selectFrom('notificationDeliveries')
          .select(['source', 'channel', 'target', 'payload', 'projectId'])
          .where('source', '=', 'cron')
          .executeTakeFirst(),
      20_000,
    );

    const message = JSON.parse(delivery.payload) as { subject: string; text: string };
    expect(delivery.channel).toBe('email');
    expect(delivery.target).toBe(project.email);
    expect(Number(delivery.projectId)).toBe(project.projectId);
    expect(message.subject).toBe(`[${project.projectSlug}] Cron monitor nightly-backup failed`);
    expect(message.text).toContain('Schedule: 0 3 * * * (Europe/Berlin)');
    expect(message.text).toContain(`/organizations/${project.orgSlug}/crons/nightly-backup/`);
  });
});
