/**
 * The audit log against a real server on SQLite and PostgreSQL. Each DSN key action adds one row.
 * The list has Sentry's shape, filters and pages, and the CSV and JSON exports contain every
 * matching row. The engine itself rejects any change to a stored row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { connectDb, type Db } from '../../src/server/platform/db/index.js';
import { SERVER_ENGINES } from '../helpers/engines.js';
import {
  setupProject,
  startPicket,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';
import {
  logInSession,
  tokenRequest,
  type TokenSessionClient as SessionClient,
} from '../helpers/token-session.js';

interface KeyBody {
  id: string;
  name: string;
  secret: string;
  isActive: boolean;
  rateLimit: { count: number; window: number } | null;
  allowedDomains: string[];
}

interface AuditRowBody {
  id: string;
  event: string;
  actor: { id: string | null; name: string; email: string | null };
  targetObject: string | null;
  data: Record<string, unknown>;
  note: string;
  ipAddress: string | null;
  dateCreated: string;
}

describe.each(SERVER_ENGINES)('audit log on $name', (engine) => {
  let picket: PicketInstance;
  let db: Db;
  let owner: TestProject;
  let other: TestProject;
  let session: SessionClient;
  let keysPath: string;
  let auditPath: string;
  let ownerUserId: number;

  beforeAll(async () => {
    const databaseUrl = await engine.databaseUrl();
    picket = await startPicket({ databaseUrl });
    owner = await setupProject(picket, 'aud');
    other = await setupProject(picket, 'audother');
    session = await logInSession(picket, owner.email, owner.password);
    db = connectDb({ databaseUrl, dataDir: picket.dataDir });
    keysPath = `/api/0/projects/${owner.orgSlug}/${owner.projectSlug}/keys/`;
    auditPath = `/api/0/organizations/${owner.orgSlug}/audit-logs/`;
    const user = await db.kysely
      .selectFrom('users')
      .select('id')
      .where('email', '=', owner.email)
      .executeTakeFirstOrThrow();
    ownerUserId = Number(user.id);
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await picket?.stop();
  });

  async function auditEvents(targetId: string): Promise<string[]> {
    const rows = await db.kysely
      .selectFrom('auditLog')
      .select('event')
      .where('targetId', '=', targetId)
      .orderBy('id')
      .execute();
    return rows.map((row) => row.event);
  }

  async function keyRequest(method: string, path: string, body?: unknown) {
    const response = await tokenRequest(picket, owner.token, method, path, body);
    return { status: response.status, body: (await response.text()) || '{}' };
  }

  it('records one row per key create, edit, rotate and remove', async () => {
    const created = await keyRequest('POST', keysPath, {
      name: 'Audited',
      rateLimit: { count: 50, window: 60 },
    });
    expect(created.status).toBe(201);
    const key = JSON.parse(created.body) as KeyBody;
    expect(await auditEvents(key.id)).toEqual(['projectkey.create']);

    const edited = await keyRequest('PUT', `${keysPath}${key.id}/`, {
      name: 'Audited and renamed',
      allowedDomains: ['example.com'],
    });
    expect(edited.status).toBe(200);
    expect(await auditEvents(key.id)).toEqual(['projectkey.create', 'projectkey.edit']);

    const rotated = await keyRequest('POST', `${keysPath}${key.id}/rotate/`);
    expect(rotated.status).toBe(201);
    const replacement = JSON.parse(rotated.body) as KeyBody;
    expect(replacement.id).not.toBe(key.id);
    expect(replacement.isActive).toBe(true);
    expect(replacement.name).toBe('Audited and renamed');
    expect(replacement.rateLimit).toEqual({ count: 50, window: 60 });
    expect(replacement.allowedDomains).toEqual(['example.com']);
    const old = JSON.parse((await keyRequest('GET', `${keysPath}${key.id}/`)).body) as KeyBody;
    expect(old.isActive).toBe(false);
    expect(await auditEvents(key.id)).toEqual([
      'projectkey.create',
      'projectkey.edit',
      'projectkey.change',
    ]);
    expect(await auditEvents(replacement.id)).toEqual([]);

    const removed = await keyRequest('DELETE', `${keysPath}${key.id}/`);
    expect(removed.status).toBe(204);
    expect(await auditEvents(key.id)).toEqual([
      'projectkey.create',
      'projectkey.edit',
      'projectkey.change',
      'projectkey.remove',
    ]);

    const missing = await keyRequest('POST', `${keysPath}${'0'.repeat(32)}/rotate/`);
    expect(missing.status).toBe(404);
    const stored = await db.kysely.selectFrom('auditLog').select('data').execute();
    for (const row of stored) {
      expect(row.data).not.toContain(key.secret);
      expect(row.data).not.toContain(replacement.secret);
    }
  });

  it('rejects rotation of another organization key', async () => {
    const foreign = await keyRequest(
      'POST',
      `/api/0/projects/${other.orgSlug}/${other.projectSlug}/keys/${other.publicKey}/rotate/`,
    );
    expect(foreign.status).toBe(404);
    const mixed = await keyRequest('POST', `${keysPath}${other.publicKey}/rotate/`);
    expect(mixed.status).toBe(404);
  });

  it("lists rows in Sentry's shape with filters", async () => {
    const response = await session.request('GET', auditPath);
    expect(response.status).toBe(200);
    const page = (await response.json()) as { rows: AuditRowBody[]; options: string[] };
    expect(page.options).toContain('projectkey.create');
    expect(page.options).toContain('org-auth-token.remove');
    expect(page.options).not.toContain('user.login');
    const create = page.rows.find((row) => row.event === 'projectkey.create');
    expect(create?.actor.id).toBe(String(ownerUserId));
    expect(create?.actor.email).toBe(owner.email);
    expect(create?.note).toContain('Audited');
    expect(create?.ipAddress).toBe('127.0.0.1');
    expect(Date.parse(create?.dateCreated ?? '')).not.toBeNaN();
    const times = page.rows.map((row) => Date.parse(row.dateCreated));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const edits = (await (
      await session.request('GET', `${auditPath}?event=projectkey.edit`)
    ).json()) as { rows: AuditRowBody[] };
    expect(edits.rows.length).toBeGreaterThan(0);
    expect(edits.rows.every((row) => row.event === 'projectkey.edit')).toBe(true);

    const byActor = (await (
      await session.request('GET', `${auditPath}?actor=${ownerUserId}`)
    ).json()) as { rows: AuditRowBody[] };
    expect(byActor.rows.length).toBe(page.rows.length);
    const nobody = (await (await session.request('GET', `${auditPath}?actor=999999`)).json()) as {
      rows: AuditRowBody[];
    };
    expect(nobody.rows).toEqual([]);

    const past = (await (
      await session.request(
        'GET',
        `${auditPath}?start=2001-01-01T00:00:00Z&end=2001-01-02T00:00:00Z`,
      )
    ).json()) as { rows: AuditRowBody[] };
    expect(past.rows).toEqual([]);

    const invalid = await session.request('GET', `${auditPath}?event=not.an-event`);
    expect(invalid.status).toBe(400);
  });

  it('pages with Sentry cursors', async () => {
    const first = await session.request('GET', `${auditPath}?per_page=1`);
    const link = first.headers.get('link') ?? '';
    expect(link).toContain('rel="next"; results="true"');
    const next = /<([^>]+)>; rel="next"/.exec(link)?.[1] ?? '';
    const second = await session.request('GET', new URL(next).pathname + new URL(next).search);
    const firstRows = ((await first.json()) as { rows: AuditRowBody[] }).rows;
    const secondRows = ((await second.json()) as { rows: AuditRowBody[] }).rows;
    expect(firstRows).toHaveLength(1);
    expect(secondRows).toHaveLength(1);
    expect(secondRows[0]?.id).not.toBe(firstRows[0]?.id);
  });

  it('exports every matching row as CSV and JSON', async () => {
    const formula = '=HYPERLINK("http://example.com")';
    const created = await keyRequest('POST', keysPath, { name: formula });
    expect(created.status).toBe(201);

    const all = (await (await session.request('GET', auditPath)).json()) as {
      rows: AuditRowBody[];
    };
    const csv = await session.request('GET', `${auditPath}?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain('attachment');
    const text = await csv.text();
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^id,dateCreated,event,actorId/);
    expect(lines).toHaveLength(all.rows.length + 1);
    expect(text).toContain('HYPERLINK');
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);

    const json = await session.request('GET', `${auditPath}export/?format=json`);
    expect(json.status).toBe(200);
    const exported = (await json.json()) as AuditRowBody[];
    expect(exported.map((row) => row.id)).toEqual(all.rows.map((row) => row.id));

    const filtered = await session.request(
      'GET',
      `${auditPath}export/?format=csv&event=projectkey.remove`,
    );
    const filteredLines = (await filtered.text()).trimEnd().split('\r\n');
    expect(filteredLines).toHaveLength(2);
  });

  it("hides another organization's audit log", async () => {
    const outsider = await logInSession(picket, other.email, other.password);
    const list = await outsider.request('GET', auditPath);
    expect(list.status).toBe(404);
    const exported = await outsider.request('GET', `${auditPath}export/?format=csv`);
    expect(exported.status).toBe(404);
  });

  it('rejects UPDATE and DELETE of audit rows in the engine', async () => {
    const before = await db.kysely.selectFrom('auditLog').selectAll().orderBy('id').execute();
    expect(before.length).toBeGreaterThan(0);
    await expect(
      db.kysely.updateTable('auditLog').set({ event: 'tampered' }).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(db.kysely.deleteFrom('auditLog').execute()).rejects.toThrow(/append-only/);
    const after = await db.kysely.selectFrom('auditLog').selectAll().orderBy('id').execute();
    expect(after).toEqual(before);
  });
});
