/**
 * Browser security reports and minidump uploads on the built server: each becomes an error
 * event that the issue API returns, with the dump stored as an attachment.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ingestUrl } from '../helpers/envelopes.js';
import {
  apiGet,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

interface ApiIssue {
  id: string;
  title: string;
  culprit: string;
}

interface ApiEvent {
  eventID: string;
  groupID: string;
  title: string;
  platform: string;
  level: string;
  logger: string;
  message: string;
  release: string | null;
  environment: string | null;
  tags: { key: string; value: string }[];
  entries: { type: string; data: Record<string, unknown> }[];
  context: Record<string, unknown>;
}

/** A minidump header: the signature, a version and empty stream directory fields. */
const MINIDUMP = Buffer.concat([
  Buffer.from('MDMP'),
  Buffer.from([0x93, 0xa7, 0, 0]),
  Buffer.alloc(24, 1),
]);
const CHROME_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';

let picket: PicketInstance;
let project: TestProject;

async function listIssues(): Promise<ApiIssue[]> {
  return (await apiGet(
    picket,
    project.token,
    `/api/0/organizations/${project.orgSlug}/issues/?query=&limit=100`,
  )) as ApiIssue[];
}

async function latestEventOf(title: string): Promise<ApiEvent> {
  const issue = await waitFor(async () =>
    (await listIssues()).find((candidate) => candidate.title === title),
  );
  return (await apiGet(
    picket,
    project.token,
    `/api/0/organizations/${project.orgSlug}/issues/${issue.id}/events/latest/`,
  )) as ApiEvent;
}

function tag(event: ApiEvent, key: string): string | undefined {
  return event.tags.find((candidate) => candidate.key === key)?.value;
}

function postReport(body: string, contentType: string, query = ''): Promise<Response> {
  return fetch(ingestUrl(project, 'security/', query), {
    method: 'POST',
    headers: { 'content-type': contentType, 'user-agent': CHROME_UA },
    body,
  });
}

beforeAll(async () => {
  picket = await startPicket();
  project = await setupProject(picket, 'reports');
});

afterAll(async () => {
  await picket?.stop();
});

describe('CSP level 2 report', () => {
  let response: Response;
  let event: ApiEvent;

  beforeAll(async () => {
    response = await postReport(
      JSON.stringify({
        'csp-report': {
          'document-uri': 'https://shop.example/checkout',
          referrer: 'https://shop.example/',
          'violated-directive': 'script-src-elem',
          'effective-directive': 'script-src-elem',
          'original-policy': "script-src 'self'; report-uri /csp",
          disposition: 'enforce',
          'blocked-uri': 'https://evil.example/x.js',
          'status-code': 200,
        },
      }),
      'application/csp-report',
      'sentry_release=shop%401.2.3&sentry_environment=production',
    );
    event = await latestEventOf("Blocked 'script' from 'evil.example'");
  });

  it('answers 200 with an empty body', async () => {
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('sends the ingest CORS headers', () => {
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('becomes an error event with the csp logger', () => {
    expect(event.level).toBe('error');
    expect(event.logger).toBe('csp');
  });

  it('tags the directive and the blocked URI', () => {
    expect(tag(event, 'effective-directive')).toBe('script-src-elem');
    expect(tag(event, 'blocked-uri')).toBe('https://evil.example/x.js');
  });

  it('takes release and environment from the query', () => {
    expect(event.release).toBe('shop@1.2.3');
    expect(event.environment).toBe('production');
  });

  it('keeps the page URL and the browser user agent', () => {
    const request = event.entries.find((entry) => entry.type === 'request')?.data;
    expect(request?.url).toBe('https://shop.example/checkout');
    expect(JSON.stringify(request?.headers)).toContain('Chrome/120.0');
  });

  it('groups reports of the same directive and host', async () => {
    await postReport(
      JSON.stringify({
        'csp-report': {
          'document-uri': 'https://shop.example/cart',
          'effective-directive': 'script-src-elem',
          'blocked-uri': 'https://evil.example/other.js',
        },
      }),
      'application/csp-report',
    );
    const issue = await waitFor(async () => {
      const found = (await listIssues()).filter(
        (candidate) => candidate.title === "Blocked 'script' from 'evil.example'",
      );
      const detail = found[0]
        ? ((await apiGet(
            picket,
            project.token,
            `/api/0/organizations/${project.orgSlug}/issues/${found[0].id}/`,
          )) as { count: string })
        : undefined;
      return detail?.count === '2' ? found : undefined;
    });
    expect(issue).toHaveLength(1);
  });
});

describe('Reporting API reports', () => {
  it('stores each csp-violation of a list', async () => {
    const response = await postReport(
      JSON.stringify([
        {
          type: 'csp-violation',
          age: 10,
          url: 'https://shop.example/a',
          user_agent: CHROME_UA,
          body: {
            documentURL: 'https://shop.example/a',
            effectiveDirective: 'img-src',
            blockedURL: 'https://pixels.example/p.gif',
            disposition: 'enforce',
            originalPolicy: "img-src 'self'",
          },
        },
        {
          type: 'csp-violation',
          url: 'https://shop.example/b',
          body: {
            documentURL: 'https://shop.example/b',
            effectiveDirective: 'style-src-attr',
            blockedURL: 'inline',
          },
        },
      ]),
      'application/reports+json',
    );

    expect(response.status).toBe(200);
    await expect(latestEventOf("Blocked 'image' from 'pixels.example'")).resolves.toBeDefined();
    await expect(latestEventOf("Blocked unsafe inline 'style'")).resolves.toBeDefined();
  });
});

describe('certificate reports', () => {
  it('stores an Expect-CT report', async () => {
    const response = await postReport(
      JSON.stringify({
        'expect-ct-report': {
          'date-time': '2026-01-01T00:00:00Z',
          hostname: 'shop.example',
          port: 443,
          'effective-expiration-date': '2026-02-01T00:00:00Z',
          'served-certificate-chain': [],
          'validated-certificate-chain': [],
          scts: [],
        },
      }),
      'application/expect-ct-report+json',
    );
    expect(response.status).toBe(200);
    const event = await latestEventOf("Expect-CT failed for 'shop.example'");
    expect(event.logger).toBe('csp');
  });

  it('stores an HPKP report', async () => {
    const response = await postReport(
      JSON.stringify({
        'date-time': '2026-01-01T00:00:00Z',
        hostname: 'pinned.example',
        port: 443,
        'include-subdomains': false,
        'noted-hostname': 'pinned.example',
        'known-pins': ['pin-sha256="d6qzRu9zOECb90Uez27xWltNsj0e1Md7GkYYkVoZWmM="'],
      }),
      'application/json',
    );
    expect(response.status).toBe(200);
    await expect(latestEventOf("HPKP failed for 'pinned.example'")).resolves.toBeDefined();
  });
});

describe('invalid security reports', () => {
  it('rejects invalid JSON with 400', async () => {
    const response = await postReport('{"csp-report":', 'application/csp-report');
    expect(response.status).toBe(400);
  });

  it('rejects an unknown report shape with 400', async () => {
    const response = await postReport('{"hello":"world"}', 'application/json');
    expect(response.status).toBe(400);
  });

  it('rejects another content type with 415', async () => {
    const response = await postReport('{}', 'text/plain');
    expect(response.status).toBe(415);
  });

  it('rejects a report without a key', async () => {
    const response = await fetch(`${picket.url}/api/${project.projectId}/csp-report/`, {
      method: 'POST',
      headers: { 'content-type': 'application/csp-report' },
      body: '{"csp-report":{}}',
    });
    expect(response.status).toBe(401);
  });
});

describe('minidump upload', () => {
  async function attachmentsOf(eventId: string) {
    return waitFor(async () => {
      const rows = (await apiGet(
        picket,
        project.token,
        `/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${eventId}/attachments/`,
      )) as { id: string; name: string; type: string; size: number }[];
      return rows.length > 0 ? rows : undefined;
    });
  }

  async function storedEvent(eventId: string): Promise<ApiEvent> {
    return (await waitFor(() =>
      apiGet(
        picket,
        project.token,
        `/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${eventId}/`,
      ),
    )) as ApiEvent;
  }

  describe('multipart', () => {
    let response: Response;
    let eventId: string;

    beforeAll(async () => {
      const form = new FormData();
      form.append('sentry', JSON.stringify({ release: 'native@2.0.0', tags: { build: 'ci' } }));
      form.append('sentry[environment]', 'staging');
      form.append('sentry[user][id]', 'u-1');
      form.append('prod', 'crashpad-app');
      form.append('upload_file_minidump', new Blob([gzipSync(MINIDUMP)]), 'crash.dmp');
      form.append('log', new Blob(['last words'], { type: 'text/plain' }), 'app.log');
      response = await fetch(ingestUrl(project, 'minidump/'), { method: 'POST', body: form });
      eventId = (await response.text()).replaceAll('-', '');
    });

    it('answers with a hyphenated UUID in plain text', () => {
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(eventId).toMatch(/^[0-9a-f]{32}$/);
    });

    it('creates a fatal native Minidump event', async () => {
      const event = await storedEvent(eventId);
      expect(event.platform).toBe('native');
      expect(event.level).toBe('fatal');
      expect(event.title).toBe('Minidump');
    });

    it('merges the sentry field and bracket fields', async () => {
      const event = await storedEvent(eventId);
      expect(event.release).toBe('native@2.0.0');
      expect(event.environment).toBe('staging');
      expect(tag(event, 'build')).toBe('ci');
      expect(event.context.prod).toBe('crashpad-app');
    });

    it('stores the unwrapped dump and the other file as attachments', async () => {
      const rows = await waitFor(async () => {
        const found = await attachmentsOf(eventId);
        return found.length === 2 ? found : undefined;
      });
      const dump = rows.find((row) => row.type === 'event.minidump');
      expect(dump?.size).toBe(MINIDUMP.length);
      expect(rows.find((row) => row.name === 'app.log')?.type).toBe('event.attachment');

      const download = await fetch(
        `${picket.url}/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${eventId}/attachments/${dump!.id}/?download=1`,
        { headers: { authorization: `Bearer ${project.token}` } },
      );
      expect(Buffer.from(await download.arrayBuffer()).equals(MINIDUMP)).toBe(true);
    });
  });

  it('accepts a raw application/x-dmp body', async () => {
    const response = await fetch(ingestUrl(project, 'minidump/'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-dmp' },
      body: MINIDUMP,
    });
    const eventId = (await response.text()).replaceAll('-', '');

    expect(response.status).toBe(200);
    const rows = await attachmentsOf(eventId);
    expect(rows.map((row) => row.type)).toEqual(['event.minidump']);
    await expect(storedEvent(eventId)).resolves.toMatchObject({ level: 'fatal' });
  });

  it('rejects a file without the minidump signature', async () => {
    const form = new FormData();
    form.append('upload_file_minidump', new Blob(['not a dump']), 'crash.dmp');
    const response = await fetch(ingestUrl(project, 'minidump/'), { method: 'POST', body: form });
    expect(response.status).toBe(400);
  });

  it('rejects a form without upload_file_minidump', async () => {
    const form = new FormData();
    form.append('sentry', '{}');
    const response = await fetch(ingestUrl(project, 'minidump/'), { method: 'POST', body: form });
    expect(response.status).toBe(400);
  });

  it('rejects a sentry field that is not JSON', async () => {
    const form = new FormData();
    form.append('sentry', '{oops');
    form.append('upload_file_minidump', new Blob([MINIDUMP]), 'crash.dmp');
    const response = await fetch(ingestUrl(project, 'minidump/'), { method: 'POST', body: form });
    expect(response.status).toBe(400);
  });

  it('survives a client that disconnects mid-upload', async () => {
    const url = new URL(ingestUrl(project, 'minidump/'));
    const boundary = 'cut-off-upload';
    await new Promise<void>((resolve) => {
      const request = http.request(url, {
        method: 'POST',
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(10_000_000),
        },
      });
      request.on('error', () => resolve());
      request.write(
        `--${boundary}\r\nContent-Disposition: form-data; name="upload_file_minidump"; filename="c.dmp"\r\n\r\n`,
      );
      request.write(Buffer.concat([MINIDUMP, Buffer.alloc(100_000)]));
      setTimeout(() => {
        request.destroy();
        resolve();
      }, 300);
    });

    await waitFor(async () => {
      const tmp = fs.readdirSync(path.join(picket.dataDir, 'blobs', 'tmp'));
      return tmp.length === 0 ? true : undefined;
    });
    const health = await fetch(`${picket.url}/_health`);
    expect(health.status).toBe(200);
  });

  it('leaves no temporary blob files after rejected uploads', async () => {
    expect(fs.readdirSync(path.join(picket.dataDir, 'blobs', 'tmp'))).toEqual([]);
  });
});
