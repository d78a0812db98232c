/**
 * Workflow e-mail through a running server: the worker's scheduled job turns a comment made
 * through the API into an outbox row within seconds, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { WORKFLOW_CURSOR_KEY } from '../../src/server/features/notifications/index.js';
import { connectDb, type Db } from '../../src/server/platform/db/index.js';
import { SERVER_ENGINES } from '../helpers/engines.js';
import {
  apiGet,
  apiRequest,
  sendEnvelope,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

describe.each(SERVER_ENGINES)('workflow e-mail of a running server on $name', (engine) => {
  let picket: PicketInstance;
  let project: TestProject;
  let db: Db;

  beforeAll(async () => {
    const databaseUrl = await engine.databaseUrl();
    picket = await startPicket({
      databaseUrl,
      env: { PICKET_URL: 'http://picket.example' },
    });
    db = connectDb({ databaseUrl, dataDir: picket.dataDir, poolSize: 1 });
    project = await setupProject(picket, 'flow');
  });

  afterAll(async () => {
    await db?.close();
    await picket?.stop();
  });

  it('mails a comment within seconds', async () => {
    // The job's first run starts the cursor, and activity written before it counts as history.
    await waitFor(() =>
      db.kysely
        .selectFrom('notificationMarks')
        .select('value')
        .where('key', '=', WORKFLOW_CURSOR_KEY)
        .executeTakeFirst(),
    );
    await apiRequest(picket, project.token, 'PUT', '/api/0/users/me/picket-notifications/', {
      selfNotifications: true,
    });
    // The DSN carries PICKET_URL's host, which does not resolve, so events go to the listener.
    const dsn = new URL(project.dsn);
    dsn.host = new URL(picket.url).host;
    const sent = await sendEnvelope(dsn.toString(), [
      {
        headers: { type: 'event' },
        payload: {
          event_id: 'a'.repeat(32),
          level: 'error',
          exception: { values: [{ type: 'TypeError', value: 'x is undefined' }] },
        },
      },
    ]);
    expect(sent.status).toBe(200);
    const issues = await waitFor(async () => {
      const list = (await apiGet(
        picket,
        project.token,
        `/api/0/projects/${project.orgSlug}/${project.projectSlug}/issues/`,
      )) as { id: string }[];
      return list.length > 0 ? list : undefined;
    });
    const issueId = issues[0]?.id ?? '';

    await apiRequest(picket, project.token, 'POST', `/api/0/issues/${issueId}/comments/`, {
      text: 'On it <now>',
    });
    const row = await waitFor(() =>
      db.kysely
        .selectFrom('notificationDeliveries')
        .selectAll()
        .where('source', '=', 'workflow')
        .where('issueId', '=', Number(issueId))
        .executeTakeFirst(),
    );

    expect(row.target).toBe(project.email);
    expect(row.channel).toBe('email');
    const payload = JSON.parse(row.payload) as { subject: string; text: string; html: string };
    expect(payload.subject).toMatch(/^\[web-\d+\] New comment from /);
    expect(payload.text).toContain('> On it <now>');
    expect(payload.html).toContain('On it &lt;now&gt;');
    expect(payload.text).toContain(
      `http://picket.example/organizations/${project.orgSlug}/issues/${issueId}/`,
    );
  });
});
