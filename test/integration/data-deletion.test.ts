/**
 * Deleting a project, an issue, and one end user's data, on SQLite and PostgreSQL, with events,
 * attachments, user reports, sessions and transactions sent through the real ingest endpoints.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { connectDb, type Db } from '../../src/server/platform/db/index.js';
import { SERVER_ENGINES } from '../helpers/engines.js';
import {
  buildEnvelope,
  ingestUrl,
  newEventId,
  postEnvelope,
  type RawItem,
} from '../helpers/envelopes.js';
import {
  apiRequest,
  runCli,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

interface ApiIssue {
  id: string;
  count: string;
  userCount: number;
}

function countBlobFiles(dataDir: string): number {
  const folder = path.join(dataDir, 'blobs', 'attachments');
  if (!fs.existsSync(folder)) {
    return 0;
  }
  return fs
    .readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile()).length;
}

function errorItem(eventId: string, fingerprint: string, user: Record<string, unknown>): RawItem {
  return {
    headers: { type: 'event' },
    payload: {
      event_id: eventId,
      message: `failure in ${fingerprint}`,
      level: 'error',
      platform: 'node',
      fingerprint: [fingerprint],
      user,
    },
  };
}

function attachmentItem(name: string): RawItem {
  return {
    headers: { type: 'attachment', filename: name, content_type: 'text/plain' },
    payload: `contents of ${name}`,
  };
}

async function send(project: TestProject, eventId: string, items: RawItem[]): Promise<void> {
  const response = await postEnvelope(project, buildEnvelope({ event_id: eventId }, items));
  expect(response.status).toBe(200);
}

async function eventStatus(picket: PicketInstance, project: TestProject, eventId: string) {
  const response = await fetch(
    `${picket.url}/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${eventId}/`,
    { headers: { authorization: `Bearer ${project.token}` } },
  );
  return response.status;
}

function waitForEvents(picket: PicketInstance, project: TestProject, eventIds: string[]) {
  return waitFor(async () => {
    const statuses = await Promise.all(eventIds.map((id) => eventStatus(picket, project, id)));
    return statuses.every((status) => status === 200) ? true : undefined;
  }, 20_000);
}

async function countRows(db: Db, table: 'events' | 'eventAttachments', projectId: number) {
  const row = await db.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('projectId', '=', projectId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

async function limitedToken(picket: PicketInstance, email: string, scopes: string) {
  const result = await runCli(['token', 'create', '--user', email, '--scopes', scopes], {
    env: picket.env,
  });
  expect(result.code).toBe(0);
  return result.stdout.trim();
}

describe.each(SERVER_ENGINES)('data deletion on $name', (engine) => {
  let picket: PicketInstance;
  let db: Db;
  let project: TestProject;

  beforeAll(async () => {
    const databaseUrl = await engine.databaseUrl();
    picket = await startPicket({ databaseUrl });
    db = connectDb({ databaseUrl, dataDir: picket.dataDir });
    project = await setupProject(picket, `erase-${engine.name}`);
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await picket?.stop();
  });

  describe('user data', () => {
    const ids = {
      idAndEmail: newEventId(),
      idOnly: newEventId(),
      emailUnderOtherId: newEventId(),
      emailOnly: newEventId(),
      otherUser: newEventId(),
      transaction: newEventId(),
    };
    let blobsBefore: number;
    let result: Record<string, number>;

    beforeAll(async () => {
      const now = Date.now() / 1000;
      await send(project, ids.idAndEmail, [
        errorItem(ids.idAndEmail, 'checkout', { id: 'u-42', email: 'Alice@Example.com' }),
        attachmentItem('alice.txt'),
      ]);
      await send(project, ids.idOnly, [errorItem(ids.idOnly, 'checkout', { id: 'u-42' })]);
      await send(project, ids.emailUnderOtherId, [
        errorItem(ids.emailUnderOtherId, 'login', { id: 'u-7', email: 'alice@example.com' }),
        attachmentItem('login.txt'),
      ]);
      await send(project, ids.emailOnly, [
        errorItem(ids.emailOnly, 'search', { email: 'alice@example.com' }),
      ]);
      await send(project, ids.otherUser, [
        errorItem(ids.otherUser, 'checkout', { id: 'u-9', email: 'bob@example.com' }),
        attachmentItem('bob.txt'),
        {
          headers: { type: 'user_report' },
          payload: {
            event_id: ids.otherUser,
            name: 'Alice',
            email: 'alice@example.com',
            comments: 'Bob broke it',
          },
        },
      ]);
      await send(project, ids.transaction, [
        {
          headers: { type: 'transaction' },
          payload: {
            event_id: ids.transaction,
            type: 'transaction',
            transaction: 'GET /cart',
            start_timestamp: now - 1,
            timestamp: now - 0.5,
            contexts: {
              trace: { trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16), op: 'http.server' },
            },
            spans: [],
            user: { id: 'u-42' },
          },
        },
        {
          headers: { type: 'session' },
          payload: {
            sid: 'c'.repeat(32),
            did: 'u-42',
            init: true,
            started: new Date().toISOString(),
            status: 'ok',
            errors: 0,
            attrs: { release: 'shop@1.0.0', environment: 'production' },
          },
        },
      ]);
      await waitForEvents(picket, project, [
        ids.idAndEmail,
        ids.idOnly,
        ids.emailUnderOtherId,
        ids.emailOnly,
        ids.otherUser,
      ]);
      await waitFor(async () => {
        const rows = await db.kysely
          .selectFrom('transactions')
          .select('id')
          .where('eventId', '=', ids.transaction)
          .execute();
        const reports = await db.kysely.selectFrom('userFeedback').select('id').execute();
        const users = await db.kysely.selectFrom('releaseUsers').select('distinctId').execute();
        const attachments = await countRows(db, 'eventAttachments', project.projectId);
        return rows.length === 1 && reports.length === 1 && users.length === 1 && attachments === 3
          ? true
          : undefined;
      }, 20_000);
      blobsBefore = countBlobFiles(picket.dataDir);

      result = (await apiRequest(
        picket,
        project.token,
        'POST',
        `/api/0/organizations/${project.orgSlug}/user-data/delete/`,
        { userId: 'u-42', email: 'ALICE@example.com' },
      )) as Record<string, number>;
    }, 60_000);

    it('returns the counts', () => {
      expect(result).toEqual({
        projects: 1,
        events: 4,
        transactions: 1,
        spans: 0,
        attachments: 2,
        feedback: 1,
        sessionUsers: 1,
        issuesUpdated: 1,
        issuesDeleted: 2,
      });
    });

    it('deletes the matching events', async () => {
      expect(await eventStatus(picket, project, ids.idAndEmail)).toBe(404);
      expect(await eventStatus(picket, project, ids.idOnly)).toBe(404);
      expect(await eventStatus(picket, project, ids.emailUnderOtherId)).toBe(404);
      expect(await eventStatus(picket, project, ids.emailOnly)).toBe(404);
    });

    it('keeps other users events', async () => {
      expect(await eventStatus(picket, project, ids.otherUser)).toBe(200);
    });

    it('recounts the remaining issue', async () => {
      const issues = (await apiRequest(
        picket,
        project.token,
        'GET',
        `/api/0/projects/${project.orgSlug}/${project.projectSlug}/issues/?query=`,
      )) as ApiIssue[];

      expect(issues).toHaveLength(1);
      expect(issues[0]?.count).toBe('1');
      expect(issues[0]?.userCount).toBe(1);
    });

    it('deletes attachments and their blobs', async () => {
      const rows = await db.kysely
        .selectFrom('eventAttachments')
        .select('name')
        .where('projectId', '=', project.projectId)
        .execute();

      expect(rows.map((row) => row.name)).toEqual(['bob.txt']);
      expect(countBlobFiles(picket.dataDir)).toBe(blobsBefore - 2);
    });

    it('deletes the user report, transaction and session user', async () => {
      const reports = await db.kysely.selectFrom('userFeedback').select('id').execute();
      const transactions = await db.kysely
        .selectFrom('transactions')
        .select('id')
        .where('eventId', '=', ids.transaction)
        .execute();
      const users = await db.kysely.selectFrom('releaseUsers').select('distinctId').execute();

      expect(reports).toEqual([]);
      expect(transactions).toEqual([]);
      expect(users).toEqual([]);
    });

    it('audits without the e-mail in clear', async () => {
      const rows = await db.kysely
        .selectFrom('auditLog')
        .select(['event', 'data', 'actorLabel'])
        .where('event', '=', 'event.delete-user-data')
        .execute();
      const data = JSON.parse(rows[0]?.data ?? '{}') as Record<string, unknown>;

      expect(rows).toHaveLength(1);
      expect(rows[0]?.data).not.toMatch(/alice/i);
      expect(rows[0]?.data).not.toContain('u-42');
      expect(data.emailSha256Prefix).toBe(
        createHash('sha256').update('alice@example.com').digest('hex').slice(0, 16),
      );
      expect(data.events).toBe(4);
    });

    it('rejects a body without a user', async () => {
      await expect(
        apiRequest(
          picket,
          project.token,
          'POST',
          `/api/0/organizations/${project.orgSlug}/user-data/delete/`,
          { projects: [project.projectSlug] },
        ),
      ).rejects.toThrow(/400/);
    });

    it('rejects an unknown project', async () => {
      await expect(
        apiRequest(
          picket,
          project.token,
          'POST',
          `/api/0/organizations/${project.orgSlug}/user-data/delete/`,
          { userId: 'u-9', projects: ['no-such-project'] },
        ),
      ).rejects.toThrow(/404/);
      expect(await eventStatus(picket, project, ids.otherUser)).toBe(200);
    });

    it('needs event:admin', async () => {
      const token = await limitedToken(picket, project.email, 'org:read,event:read,event:write');

      await expect(
        apiRequest(
          picket,
          token,
          'POST',
          `/api/0/organizations/${project.orgSlug}/user-data/delete/`,
          { userId: 'u-9' },
        ),
      ).rejects.toThrow(/403/);
      expect(await eventStatus(picket, project, ids.otherUser)).toBe(200);
    });

    it('hides other organizations', async () => {
      const outsider = await setupProject(picket, `outsider-${engine.name}`);

      await expect(
        apiRequest(
          picket,
          outsider.token,
          'POST',
          `/api/0/organizations/${project.orgSlug}/user-data/delete/`,
          { userId: 'u-9' },
        ),
      ).rejects.toThrow(/404/);
      expect(await eventStatus(picket, project, ids.otherUser)).toBe(200);
    });

    it('skips projects outside the member teams', async () => {
      const orgPath = `/api/0/organizations/${project.orgSlug}/`;
      const email = `walled-${engine.name}@example.com`;
      const ownerToken = await limitedToken(picket, project.email, 'org:write,member:write');
      await apiRequest(picket, project.token, 'POST', `${orgPath}teams/`, {
        name: 'Walled',
        slug: 'walled',
      });
      const invite = (await apiRequest(picket, ownerToken, 'POST', `${orgPath}members/`, {
        email,
        role: 'member',
        teams: ['walled'],
        sendInvite: false,
      })) as { inviteLink: string };
      const acceptPath = new URL(invite.inviteLink).pathname.replace(
        '/accept-invite/',
        '/api/0/accept-invite/',
      );
      const accepted = await fetch(`${picket.url}${acceptPath}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ password: 'correct horse battery staple' }),
      });
      expect(accepted.status).toBe(200);
      const token = await limitedToken(picket, email, 'org:read,event:admin');
      await apiRequest(picket, project.token, 'PUT', orgPath, { openMembership: false });

      try {
        await expect(
          apiRequest(picket, token, 'POST', `${orgPath}user-data/delete/`, {
            userId: 'u-9',
            projects: [project.projectSlug],
          }),
        ).rejects.toThrow(/404/);
        const everything = (await apiRequest(picket, token, 'POST', `${orgPath}user-data/delete/`, {
          userId: 'u-9',
        })) as Record<string, number>;

        expect(everything.projects).toBe(0);
        expect(everything.events).toBe(0);
        expect(await eventStatus(picket, project, ids.otherUser)).toBe(200);
      } finally {
        await apiRequest(picket, project.token, 'PUT', orgPath, { openMembership: true });
      }
    });
  });

  describe('issue', () => {
    it('deletes events, attachments and blobs', async () => {
      const eventId = newEventId();
      await send(project, eventId, [
        errorItem(eventId, 'issue-delete', { id: 'u-1' }),
        attachmentItem('issue.txt'),
      ]);
      await waitForEvents(picket, project, [eventId]);
      const attachment = await waitFor(async () =>
        db.kysely
          .selectFrom('eventAttachments')
          .select(['id', 'blobKey'])
          .where('eventId', '=', eventId)
          .executeTakeFirst(),
      );
      const event = (await apiRequest(
        picket,
        project.token,
        'GET',
        `/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${eventId}/`,
      )) as { groupID: string };
      const blobFile = path.join(picket.dataDir, 'blobs', attachment.blobKey);
      expect(fs.existsSync(blobFile)).toBe(true);

      await apiRequest(
        picket,
        project.token,
        'DELETE',
        `/api/0/organizations/${project.orgSlug}/issues/${event.groupID}/`,
      );

      expect(await eventStatus(picket, project, eventId)).toBe(404);
      const left = await db.kysely
        .selectFrom('eventAttachments')
        .select('id')
        .where('eventId', '=', eventId)
        .execute();
      expect(left).toEqual([]);
      expect(fs.existsSync(blobFile)).toBe(false);
    });
  });

  describe('project', () => {
    let doomed: TestProject;
    let blobFile: string;

    beforeAll(async () => {
      doomed = await setupProject(picket, `doomed-${engine.name}`);
      const eventId = newEventId();
      await send(doomed, eventId, [
        errorItem(eventId, 'doomed', { id: 'u-1' }),
        attachmentItem('doomed.txt'),
      ]);
      await waitForEvents(picket, doomed, [eventId]);
      const attachment = await waitFor(async () =>
        db.kysely
          .selectFrom('eventAttachments')
          .select('blobKey')
          .where('projectId', '=', doomed.projectId)
          .executeTakeFirst(),
      );
      blobFile = path.join(picket.dataDir, 'blobs', attachment.blobKey);
    }, 60_000);

    it('needs project:admin', async () => {
      const token = await limitedToken(picket, doomed.email, 'org:read,project:read,project:write');

      await expect(
        apiRequest(
          picket,
          token,
          'DELETE',
          `/api/0/projects/${doomed.orgSlug}/${doomed.projectSlug}/`,
        ),
      ).rejects.toThrow(/403/);
      expect(await countRows(db, 'events', doomed.projectId)).toBe(1);
    });

    it('deletes everything and stops its keys', async () => {
      expect(fs.existsSync(blobFile)).toBe(true);
      const before = await fetch(ingestUrl(doomed, 'store/'), {
        method: 'POST',
        body: JSON.stringify({ message: 'still accepted' }),
      });
      expect(before.status).toBe(200);

      const response = await fetch(
        `${picket.url}/api/0/projects/${doomed.orgSlug}/${doomed.projectSlug}/`,
        { method: 'DELETE', headers: { authorization: `Bearer ${doomed.token}` } },
      );

      expect(response.status).toBe(204);
      const after = await fetch(ingestUrl(doomed, 'store/'), {
        method: 'POST',
        body: JSON.stringify({ message: 'rejected at once' }),
      });
      expect(after.status).toBeGreaterThanOrEqual(400);
      expect(after.status).toBeLessThan(500);
      expect(await countRows(db, 'events', doomed.projectId)).toBe(0);
      expect(await countRows(db, 'eventAttachments', doomed.projectId)).toBe(0);
      const issues = await db.kysely
        .selectFrom('issues')
        .select('id')
        .where('projectId', '=', doomed.projectId)
        .execute();
      expect(issues).toEqual([]);
      expect(fs.existsSync(blobFile)).toBe(false);
      const lookup = await fetch(
        `${picket.url}/api/0/projects/${doomed.orgSlug}/${doomed.projectSlug}/`,
        { headers: { authorization: `Bearer ${doomed.token}` } },
      );
      expect(lookup.status).toBe(404);
    });

    it('records project.remove', async () => {
      const rows = await db.kysely
        .selectFrom('auditLog')
        .select(['targetId', 'data'])
        .where('event', '=', 'project.remove')
        .execute();

      expect(rows).toHaveLength(1);
      expect(rows[0]?.targetId).toBe(String(doomed.projectId));
      const data = JSON.parse(rows[0]?.data ?? '{}') as Record<string, unknown>;
      expect(data.slug).toBe(doomed.projectSlug);
      expect(data.attachments).toBe(1);
      // The event sent just before the delete may have been stored too.
      expect(data.events).toBeGreaterThanOrEqual(1);
    });

    it('leaves other projects alone', async () => {
      expect(await countRows(db, 'events', project.projectId)).toBeGreaterThan(0);
    });
  });
});
