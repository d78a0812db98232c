/**
 * Follows every endpoint URL that a DSN key lists (security, minidump, cron, OTLP) as a client
 * configured from the project settings would, and checks that each one is served.
 */
import { gzipSync } from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { apiGet, setupProject, startPicket } from '../helpers/picket.js';

interface KeyDsn {
  public: string;
  csp: string | null;
  security: string | null;
  minidump: string | null;
  nel: string | null;
  unreal: string | null;
  cdn: string | null;
  crons: string | null;
  otlp_traces: string | null;
  otlp_logs: string | null;
}

let picket: PicketInstance;
let project: TestProject;
let dsn: KeyDsn;

beforeAll(async () => {
  picket = await startPicket();
  project = await setupProject(picket, 'endpoints');
  const keys = (await apiGet(
    picket,
    project.token,
    `/api/0/projects/${project.orgSlug}/${project.projectSlug}/keys/`,
  )) as { dsn: KeyDsn }[];
  dsn = keys[0]!.dsn;
});

afterAll(async () => {
  await picket?.stop();
});

describe('DSN key endpoints', () => {
  it('lists the routes Picket serves and null for the others', () => {
    const api = `${picket.url}/api/${project.projectId}`;
    expect(dsn.security).toBe(`${api}/security/?sentry_key=${project.publicKey}`);
    expect(dsn.csp).toBe(dsn.security);
    expect(dsn.minidump).toBe(`${api}/minidump/?sentry_key=${project.publicKey}`);
    expect(dsn.crons).toBe(`${api}/cron/___MONITOR_SLUG___/${project.publicKey}/`);
    expect(dsn.otlp_traces).toBe(`${api}/integration/otlp/v1/traces`);
    expect(dsn.otlp_logs).toBe(`${api}/integration/otlp/v1/logs`);
    expect([dsn.nel, dsn.unreal, dsn.cdn]).toEqual([null, null, null]);
  });

  it('accepts a CSP report at the security URL', async () => {
    const response = await fetch(dsn.security!, {
      method: 'POST',
      headers: { 'content-type': 'application/csp-report' },
      body: JSON.stringify({
        'csp-report': {
          'document-uri': 'https://shop.example/checkout',
          'violated-directive': 'script-src',
          'effective-directive': 'script-src',
          'blocked-uri': 'https://evil.example/x.js',
        },
      }),
    });
    expect(response.status).toBe(200);
  });

  it('accepts a check-in at the cron URL with the slug filled in', async () => {
    const url = dsn.crons!.replace('___MONITOR_SLUG___', 'nightly-backup');
    const response = await fetch(`${url}?status=ok`);
    expect(response.status).toBe(202);
  });

  it('accepts a minidump at the minidump URL', async () => {
    const dump = Buffer.concat([Buffer.from('MDMP'), Buffer.alloc(60)]);
    const form = new FormData();
    form.append('upload_file_minidump', new Blob([dump]), 'crash.dmp');
    const response = await fetch(dsn.minidump!, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });

  it('accepts OTLP JSON at the OTLP URLs with the key in X-Sentry-Auth', async () => {
    const headers = {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'x-sentry-auth': `sentry sentry_key=${project.publicKey}`,
    };
    const now = BigInt(Date.now()) * 1_000_000n;
    const traces = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '0af7651916cd43dd8448eb211c80319c',
                  spanId: 'b7ad6b7169203331',
                  name: 'GET /orders',
                  kind: 2,
                  startTimeUnixNano: String(now - 5_000_000n),
                  endTimeUnixNano: String(now),
                },
              ],
            },
          ],
        },
      ],
    };
    const logs = {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                { timeUnixNano: String(now), severityNumber: 9, body: { stringValue: 'hello' } },
              ],
            },
          ],
        },
      ],
    };

    for (const [url, body] of [
      [dsn.otlp_traces!, traces],
      [dsn.otlp_logs!, logs],
    ] as const) {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: gzipSync(JSON.stringify(body)),
      });
      expect(response.status, url).toBe(202);
    }
  });
});
