/**
 * The checks that every ingest route shares, through the built server on SQLite. The key's
 * allowed domains, back-pressure and rate limits apply to security reports, minidumps,
 * attachment uploads, OTLP, cron check-ins and user feedback sent with a DSN. Minidumps with a
 * refused event and deeply nested security reports are checked here too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ingestUrl, newEventId, readOutcomes } from '../helpers/envelopes.js';
import {
  apiRequest,
  sendEnvelope,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

/** A minidump header: the signature, a version and empty stream directory fields. */
const MINIDUMP = Buffer.concat([
  Buffer.from('MDMP'),
  Buffer.from([0x93, 0xa7, 0, 0]),
  Buffer.alloc(24, 1),
]);
const FOREIGN_ORIGIN = 'https://evil.example';
const START_NANOS = BigInt(Date.now() - 5_000) * 1_000_000n;

let seed = 0;

function errorItem() {
  seed += 1;
  return { headers: { type: 'event' }, payload: { message: `gate test ${seed}`, level: 'error' } };
}

function cspReport() {
  return JSON.stringify({
    'csp-report': {
      'document-uri': 'https://shop.example/checkout',
      'effective-directive': 'script-src-elem',
      'blocked-uri': 'https://cdn.example/x.js',
    },
  });
}

function minidumpForm(fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    form.append(name, value);
  }
  form.append('upload_file_minidump', new Blob([MINIDUMP]), 'crash.dmp');
  return form;
}

function attachmentForm(): FormData {
  const form = new FormData();
  form.append('log', new Blob(['last words'], { type: 'text/plain' }), 'app.log');
  return form;
}

function traceBody(spanCount: number): string {
  const traceId = newEventId();
  const spans = Array.from({ length: spanCount }, (_, index) => ({
    traceId,
    spanId: (index + 1).toString(16).padStart(16, '0'),
    name: 'GET /orders',
    kind: 2,
    startTimeUnixNano: String(START_NANOS),
    endTimeUnixNano: String(START_NANOS + 1_500_000n),
  }));
  return JSON.stringify({ resourceSpans: [{ resource: {}, scopeSpans: [{ spans }] }] });
}

function logsBody(): string {
  const logRecords = [{ timeUnixNano: String(START_NANOS), body: { stringValue: 'order placed' } }];
  return JSON.stringify({ resourceLogs: [{ resource: {}, scopeLogs: [{ logRecords }] }] });
}

type Send = (project: TestProject, headers?: Record<string, string>) => Promise<Response>;

/** One request to each ingest route other than the envelope endpoint. */
const ROUTES: { name: string; send: Send }[] = [
  {
    name: 'security report',
    send: (project, headers = {}) =>
      fetch(ingestUrl(project, 'security/'), {
        method: 'POST',
        headers: { 'content-type': 'application/csp-report', ...headers },
        body: cspReport(),
      }),
  },
  {
    name: 'minidump upload',
    send: (project, headers = {}) =>
      fetch(ingestUrl(project, 'minidump/'), { method: 'POST', headers, body: minidumpForm() }),
  },
  {
    name: 'attachment upload',
    send: (project, headers = {}) =>
      fetch(ingestUrl(project, `events/${newEventId()}/attachments/`), {
        method: 'POST',
        headers,
        body: attachmentForm(),
      }),
  },
  {
    name: 'OTLP traces',
    send: (project, headers = {}) =>
      fetch(ingestUrl(project, 'integration/otlp/v1/traces'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: traceBody(1),
      }),
  },
  {
    name: 'OTLP logs',
    send: (project, headers = {}) =>
      fetch(ingestUrl(project, 'integration/otlp/v1/logs'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: logsBody(),
      }),
  },
  {
    name: 'cron check-in',
    send: (project, headers = {}) =>
      fetch(ingestUrl(project, 'cron/nightly/', 'status=ok'), { method: 'POST', headers }),
  },
  {
    name: 'user feedback with a DSN',
    send: (project, headers = {}) => postFeedback(project, headers),
  },
];

function postFeedback(project: TestProject, headers: Record<string, string> = {}) {
  const url = new URL(project.dsn);
  return fetch(
    `${url.protocol}//${url.host}/api/0/projects/${project.orgSlug}/${project.projectSlug}/user-feedback/`,
    {
      method: 'POST',
      headers: {
        authorization: `DSN ${project.dsn}`,
        'content-type': 'application/json',
        ...headers,
      },
      body: JSON.stringify({
        event_id: newEventId(),
        name: 'Jane',
        email: 'jane@example.com',
        comments: 'It broke.',
      }),
    },
  );
}

function sendRoute(name: string, project: TestProject, headers?: Record<string, string>) {
  const route = ROUTES.find((candidate) => candidate.name === name);
  if (route === undefined) {
    throw new Error(`no route named ${name}`);
  }
  return route.send(project, headers);
}

/** Counts the attachment blobs stored under the server's data folder. */
function countBlobs(picket: PicketInstance): number {
  const root = path.join(picket.dataDir, 'blobs', 'attachments');
  if (!fs.existsSync(root)) {
    return 0;
  }
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile()).length;
}

function keyPath(project: TestProject): string {
  return `/api/0/projects/${project.orgSlug}/${project.projectSlug}/keys/${project.publicKey}/`;
}

/** Waits until the project's outcomes reach `quantity` for the outcome, reason and category. */
async function waitForOutcome(
  picket: PicketInstance,
  project: TestProject,
  expected: { outcome: string; reason: string; category: string },
  quantity: number,
): Promise<number> {
  let last: unknown;
  try {
    return await waitFor(async () => {
      const rows = readOutcomes(picket, project.projectId);
      last = rows;
      const row = rows.find(
        (candidate) =>
          candidate.outcome === expected.outcome &&
          candidate.reason === expected.reason &&
          candidate.category === expected.category,
      );
      return row !== undefined && row.quantity >= quantity ? row.quantity : undefined;
    }, 15_000);
  } catch (error) {
    throw new Error(`outcomes never showed ${JSON.stringify(expected)}: ${JSON.stringify(last)}`, {
      cause: error,
    });
  }
}

describe('ingest gate', () => {
  let picket: PicketInstance;

  beforeAll(async () => {
    picket = await startPicket({
      env: {
        PICKET_SPIKE_PROTECTION_MIN_PER_MINUTE: '5',
        PICKET_SPIKE_PROTECTION_WARMUP_MINUTES: '0',
      },
    });
  });

  afterAll(async () => {
    await picket.stop();
  });

  describe('a key over its rate limit', () => {
    let project: TestProject;

    beforeAll(async () => {
      project = await setupProject(picket, 'keyquota');
      await apiRequest(picket, project.token, 'PUT', keyPath(project), {
        rateLimit: { window: 3600, count: 1 },
      });
      expect((await sendEnvelope(project.dsn, [errorItem()])).status).toBe(200);
      expect((await sendEnvelope(project.dsn, [errorItem()])).status).toBe(429);
    });

    it('gets 429 with rate-limit headers for a security report', async () => {
      const response = await sendRoute('security report', project);

      expect(response.status).toBe(429);
      expect(response.headers.get('x-sentry-rate-limits')).toMatch(
        /^\d+:default;error;security:key:key_quota$/,
      );
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      await waitForOutcome(
        picket,
        project,
        { outcome: 'rate_limited', reason: 'key_quota', category: 'security' },
        1,
      );
    });

    it('drops a minidump with 200', async () => {
      const blobsBefore = countBlobs(picket);
      const response = await sendRoute('minidump upload', project);

      expect(response.status).toBe(200);
      expect(await response.text()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
      expect(countBlobs(picket)).toBe(blobsBefore);
      await waitForOutcome(
        picket,
        project,
        { outcome: 'rate_limited', reason: 'key_quota', category: 'error' },
        2,
      );
    });

    it('drops an attachment upload with 429', async () => {
      const blobsBefore = countBlobs(picket);
      const response = await sendRoute('attachment upload', project);

      expect(response.status).toBe(429);
      expect(response.headers.get('x-sentry-rate-limits')).toMatch(/:key:key_quota$/);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(1);
      expect(countBlobs(picket)).toBe(blobsBefore);
      await waitForOutcome(
        picket,
        project,
        { outcome: 'rate_limited', reason: 'key_quota', category: 'attachment' },
        2,
      );
    });

    it('gets 429 for user feedback sent with the DSN', async () => {
      const response = await sendRoute('user feedback with a DSN', project);

      expect(response.status).toBe(429);
      expect(response.headers.get('x-sentry-rate-limits')).toMatch(/:key:key_quota$/);
      await waitForOutcome(
        picket,
        project,
        { outcome: 'rate_limited', reason: 'key_quota', category: 'default' },
        1,
      );
    });

    it('sends the rate-limit header on an accepted OTLP export', async () => {
      const response = await sendRoute('OTLP traces', project);

      expect(response.status).toBe(202);
      expect(response.headers.get('x-sentry-rate-limits')).toMatch(/:key:key_quota$/);
    });
  });

  describe('a key with allowed domains', () => {
    let project: TestProject;

    beforeAll(async () => {
      project = await setupProject(picket, 'origins');
      await apiRequest(picket, project.token, 'PUT', keyPath(project), {
        allowedDomains: ['shop.example'],
      });
    });

    it.each(ROUTES.map((route) => route.name))('refuses a foreign origin: %s', async (name) => {
      const response = await sendRoute(name, project, { origin: FOREIGN_ORIGIN });

      expect(response.status).toBe(403);
    });

    it('refuses a security report from a foreign page by its Referer', async () => {
      const response = await sendRoute('security report', project, {
        referer: `${FOREIGN_ORIGIN}/checkout`,
      });

      expect(response.status).toBe(403);
      await waitForOutcome(
        picket,
        project,
        { outcome: 'invalid', reason: 'cors', category: 'security' },
        2,
      );
    });

    it('refuses the opaque origin of a sandboxed page', async () => {
      const response = await sendRoute('security report', project, { origin: 'null' });

      expect(response.status).toBe(403);
    });

    it('accepts a security report from an allowed page', async () => {
      const response = await sendRoute('security report', project, {
        origin: 'https://shop.example',
      });

      expect(response.status).toBe(200);
    });
  });

  describe('spike protection on OTLP', () => {
    it('answers 429 to traces with more spans than the threshold', async () => {
      const project = await setupProject(picket, 'spikespans');
      const response = await fetch(ingestUrl(project, 'integration/otlp/v1/traces'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: traceBody(6),
      });

      expect(response.status).toBe(429);
      expect(response.headers.get('x-sentry-rate-limits')).toMatch(
        /^\d+:span:project:spike_protection$/,
      );
      await waitForOutcome(
        picket,
        project,
        { outcome: 'rate_limited', reason: 'spike_protection', category: 'span' },
        6,
      );
    });
  });

  describe('a minidump whose event is refused', () => {
    let project: TestProject;

    beforeAll(async () => {
      project = await setupProject(picket, 'bigdump');
    });

    it('rejects an oversized event with 413', async () => {
      const blobsBefore = countBlobs(picket);
      // Each quote doubles in the event's JSON, so 600 KB of form field makes a 1.2 MB event.
      const response = await fetch(ingestUrl(project, 'minidump/'), {
        method: 'POST',
        body: minidumpForm({ quotes: '"'.repeat(600_000) }),
      });

      expect(response.status).toBe(413);
      expect(countBlobs(picket)).toBe(blobsBefore);
    });

    it('rejects a deeply nested sentry field with 400', async () => {
      const depth = 100_000;
      const response = await fetch(ingestUrl(project, 'minidump/'), {
        method: 'POST',
        body: minidumpForm({ sentry: `{"extra":${'['.repeat(depth)}${']'.repeat(depth)}}` }),
      });

      expect(response.status).toBe(400);
    });

    it('rejects 1.2 MB of fields with 413', async () => {
      const response = await fetch(ingestUrl(project, 'minidump/'), {
        method: 'POST',
        body: minidumpForm({ first: 'x'.repeat(600_000), second: 'x'.repeat(600_000) }),
      });

      expect(response.status).toBe(413);
      expect(((await response.json()) as { detail: string }).detail).toContain('together');
    });
  });

  describe('a deeply nested security report', () => {
    it('is rejected with 400', async () => {
      const project = await setupProject(picket, 'deepcsp');
      const depth = 100_000;
      const response = await fetch(ingestUrl(project, 'security/'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"csp-report":${'['.repeat(depth)}${']'.repeat(depth)}}`,
      });

      expect(response.status).toBe(400);
    });
  });
});

describe('ingest gate under back-pressure', () => {
  describe('low disk space', () => {
    let picket: PicketInstance;
    let project: TestProject;

    beforeAll(async () => {
      // A mark above any disk's free space, so the server is always low on space.
      picket = await startPicket({ env: { PICKET_DISK_MIN_FREE_MB: '1000000000' } });
      project = await setupProject(picket, 'lowdisk');
      await waitFor(async () =>
        (await sendEnvelope(project.dsn, [errorItem()])).status === 503 ? true : undefined,
      );
    });

    afterAll(async () => {
      await picket.stop();
    });

    it.each(ROUTES.map((route) => route.name))('answers 503: %s', async (name) => {
      const response = await sendRoute(name, project);

      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('60');
    });

    it('writes no attachment files', () => {
      expect(countBlobs(picket)).toBe(0);
    });
  });

  describe('a queue backlog', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-gate-backlog-'));
    let ingest: PicketInstance;
    let project: TestProject;

    beforeAll(async () => {
      const setup = await startPicket({ dataDir });
      const created = await setupProject(setup, 'backlog');
      await setup.stop();
      ingest = await startPicket({
        dataDir,
        args: ['--role', 'ingest'],
        env: { PICKET_QUEUE_MAX_BACKLOG: '3' },
      });
      project = {
        ...created,
        dsn: created.dsn.replace(/@[^/]+/, `@${new URL(ingest.url).host}`),
      };
      await waitFor(async () =>
        (await sendEnvelope(project.dsn, [errorItem()])).status === 429 ? true : undefined,
      );
    });

    afterAll(async () => {
      await ingest.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it.each([
      ['security report', 429],
      ['attachment upload', 429],
      ['OTLP traces', 429],
      ['minidump upload', 503],
      ['OTLP logs', 503],
      ['cron check-in', 503],
    ])('refuses a %s with %i', async (name, status) => {
      const response = await sendRoute(name, project);

      expect(response.status).toBe(status);
      expect(response.headers.get('retry-after')).toBe('10');
    });
  });
});
