import path from 'node:path';

import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SERVER_ENGINES } from '../helpers/engines.js';
import {
  apiGet,
  apiRequest,
  runCli,
  setupProject,
  startPicket,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

interface AuditRow {
  event: string;
  target_type: string | null;
  data: string;
}

async function readAudit(
  picket: PicketInstance,
  databaseUrl: string | undefined,
): Promise<AuditRow[]> {
  const query =
    "SELECT event, target_type, data FROM audit_log WHERE event = 'datascrubbing.edit' ORDER BY id";
  if (databaseUrl === undefined) {
    const db = new Database(path.join(picket.dataDir, 'picket.sqlite'), { readonly: true });
    const rows = db.prepare(query).all() as AuditRow[];
    db.close();
    return rows;
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const result = await client.query<AuditRow>(query);
  await client.end();
  return result.rows;
}

async function status(
  picket: PicketInstance,
  token: string,
  method: string,
  pathname: string,
  body?: unknown,
): Promise<number> {
  const response = await fetch(`${picket.url}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.status;
}

describe.each(SERVER_ENGINES)('data-scrubbing API on $name', ({ databaseUrl: makeUrl }) => {
  let picket: PicketInstance;
  let project: TestProject;
  let databaseUrl: string | undefined;
  let readOnlyToken: string;
  let orgPath: string;
  let projectPath: string;

  beforeAll(async () => {
    databaseUrl = await makeUrl();
    picket = await startPicket({ databaseUrl });
    project = await setupProject(picket, 'scrubapi');
    orgPath = `/api/0/organizations/${project.orgSlug}/data-scrubbing/`;
    projectPath = `/api/0/projects/${project.orgSlug}/${project.projectSlug}/data-scrubbing/`;
    const created = await runCli(
      ['token', 'create', '--user', project.email, '--scopes', 'org:read,project:read'],
      { env: picket.env },
    );
    readOnlyToken = created.stdout.trim();
  });

  afterAll(async () => {
    await picket.stop();
  });

  it('returns the defaults of a new project', async () => {
    const settings = await apiGet(picket, project.token, projectPath);

    expect(settings).toMatchObject({
      dataScrubber: true,
      dataScrubberDefaults: true,
      scrubIPAddresses: false,
      organization: { dataScrubber: false, scrubIPAddresses: false },
      effective: { dataScrubber: true },
    });
  });

  it('rejects changes without a write scope', async () => {
    expect(await status(picket, readOnlyToken, 'PUT', orgPath, { scrubIPAddresses: true })).toBe(
      403,
    );
    expect(await status(picket, readOnlyToken, 'PUT', projectPath, { dataScrubber: false })).toBe(
      403,
    );
    expect(await status(picket, readOnlyToken, 'GET', projectPath)).toBe(200);
  });

  it('rejects invalid settings with 400', async () => {
    const unsafe = JSON.stringify({
      rules: { slow: { type: 'pattern', pattern: '(a+)+$' } },
      applications: { $string: ['slow'] },
    });

    expect(
      await status(picket, project.token, 'PUT', projectPath, { relayPiiConfig: unsafe }),
    ).toBe(400);
    expect(await status(picket, project.token, 'PUT', orgPath, { safeFields: 'x' })).toBe(400);
  });

  it('forces organization flags on the project and records the change', async () => {
    await apiRequest(picket, project.token, 'PUT', orgPath, {
      scrubIPAddresses: true,
      sensitiveFields: ['customer_ref'],
    });
    const settings = (await apiGet(picket, project.token, projectPath)) as {
      scrubIPAddresses: boolean;
      effective: { scrubIPAddresses: boolean; sensitiveFields: string[] };
    };
    const audit = await readAudit(picket, databaseUrl);
    const last = audit.at(-1);

    expect(settings.scrubIPAddresses).toBe(false);
    expect(settings.effective.scrubIPAddresses).toBe(true);
    expect(settings.effective.sensitiveFields).toEqual(['customer_ref']);
    expect(last?.target_type).toBe('organization');
    expect(JSON.parse(last?.data ?? '{}')).toMatchObject({
      before: { scrubIPAddresses: false },
      after: { scrubIPAddresses: true },
    });
  });

  it('accepts the fields in the project update, as Sentry does', async () => {
    const detailsPath = `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`;
    const updated = (await apiRequest(picket, project.token, 'PUT', detailsPath, {
      safeFields: ['extra.keep'],
      dataScrubberDefaults: false,
    })) as { safeFields: string[]; dataScrubberDefaults: boolean };
    const audit = await readAudit(picket, databaseUrl);

    expect(updated.safeFields).toEqual(['extra.keep']);
    expect(updated.dataScrubberDefaults).toBe(false);
    expect(audit.at(-1)?.target_type).toBe('project');
  });

  it('rejects a preview without a write scope', async () => {
    const created = await runCli(
      ['token', 'create', '--user', project.email, '--scopes', 'org:read,project:read,event:read'],
      { env: picket.env },
    );
    const eventReadToken = created.stdout.trim();

    expect(await status(picket, eventReadToken, 'POST', `${projectPath}preview/`, {})).toBe(403);
  });

  it('answers 404 for a preview without events', async () => {
    expect(await status(picket, project.token, 'POST', `${projectPath}preview/`, {})).toBe(404);
  });
});
