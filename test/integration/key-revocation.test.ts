/**
 * How fast a disabled DSN key stops working, on SQLite and PostgreSQL. One server runs every
 * role and a second one runs `--role ingest` on the same database. The key is disabled through
 * the first server's API: its own ingest rejects the next event, and the second server rejects
 * events once its key cache expires. The delay is printed, not asserted; the test asserts only
 * that the key is rejected after `KEY_TTL_MS` plus a margin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { KEY_TTL_MS } from '../../src/server/features/ingest/project-key-cache.js';
import { SERVER_ENGINES } from '../helpers/engines.js';
import {
  apiRequest,
  sendEnvelope,
  setupProject,
  startPicket,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

/** Time allowed on top of the cache lifetime for the request itself and a slow machine. */
const MARGIN_MS = 1_500;

let seed = 0;

function errorItem() {
  seed += 1;
  return { headers: { type: 'event' }, payload: { message: `revocation ${seed}`, level: 'error' } };
}

const isRejected = (status: number) => status === 401 || status === 403;

describe.each(SERVER_ENGINES)('disabled key on $name', (engine) => {
  let web: PicketInstance;
  let ingest: PicketInstance;
  let project: TestProject;
  let ingestDsn: string;

  beforeAll(async () => {
    const databaseUrl = await engine.databaseUrl();
    web = await startPicket({ databaseUrl });
    project = await setupProject(web, 'revoke');
    ingest = await startPicket({
      databaseUrl,
      dataDir: web.dataDir,
      args: ['--role', 'ingest'],
    });
    ingestDsn = project.dsn.replace(/@[^/]+/, `@${new URL(ingest.url).host}`);
  }, 60_000);

  afterAll(async () => {
    await ingest?.stop();
    await web?.stop();
  });

  it('is rejected within the cache lifetime', async () => {
    const warm = await sendEnvelope(ingestDsn, [errorItem()]);
    expect(warm.status).toBe(200);
    const own = await sendEnvelope(project.dsn, [errorItem()]);
    expect(own.status).toBe(200);

    await apiRequest(
      web,
      project.token,
      'PUT',
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/keys/${project.publicKey}/`,
      { isActive: false },
    );
    const disabledAt = Date.now();

    const sameProcess = await sendEnvelope(project.dsn, [errorItem()]);
    expect(isRejected(sameProcess.status), `status ${sameProcess.status}`).toBe(true);

    let rejectedAfterMs: number | undefined;
    while (rejectedAfterMs === undefined && Date.now() - disabledAt < KEY_TTL_MS + MARGIN_MS) {
      const response = await sendEnvelope(ingestDsn, [errorItem()]);
      if (isRejected(response.status)) {
        rejectedAfterMs = Date.now() - disabledAt;
      } else {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    console.log(
      `${engine.name}: the separate ingest rejected the disabled key after ${rejectedAfterMs ?? 'more than'} ms (cache lifetime ${KEY_TTL_MS} ms)`,
    );

    const wait = disabledAt + KEY_TTL_MS + MARGIN_MS - Date.now();
    if (wait > 0) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const late = await sendEnvelope(ingestDsn, [errorItem()]);
    expect(isRejected(late.status), `status ${late.status}`).toBe(true);
  }, 30_000);
});
