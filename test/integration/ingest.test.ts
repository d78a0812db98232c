import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  apiGet,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

const EVENT = {
  level: 'error',
  platform: 'node',
  release: 'shop@2.0.0',
  environment: 'staging',
  exception: {
    values: [
      {
        type: 'TypeError',
        value: 'cannot read properties of undefined',
        stacktrace: {
          frames: [
            { filename: '/srv/app/src/cart.js', function: 'checkout', lineno: 10, in_app: true },
          ],
        },
      },
    ],
  },
};

function eventId(seed: number): string {
  return seed.toString(16).padStart(32, '0');
}

function envelope(
  id: string,
  payload: unknown = { ...EVENT, event_id: id },
  header: Record<string, unknown> = { event_id: id },
) {
  return `${JSON.stringify(header)}\n{"type":"event"}\n${JSON.stringify(payload)}`;
}

describe('ingest endpoints', () => {
  let picket: PicketInstance;
  let project: TestProject;
  let envelopeUrl: string;

  beforeAll(async () => {
    picket = await startPicket();
    project = await setupProject(picket, 'ingest');
    envelopeUrl = `${picket.url}/api/${project.projectId}/envelope/?sentry_key=${project.publicKey}&sentry_version=7`;
  });

  afterAll(async () => {
    await picket.stop();
  });

  const post = (
    url: string,
    body: string | Uint8Array<ArrayBuffer>,
    headers: Record<string, string> = {},
  ) => fetch(url, { method: 'POST', body, headers });

  async function fetchEvent(id: string) {
    return waitFor(async () => {
      const response = await fetch(
        `${picket.url}/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${id}/`,
        { headers: { authorization: `Bearer ${project.token}` } },
      );
      return response.ok ? ((await response.json()) as Record<string, unknown>) : undefined;
    });
  }

  it('accepts an envelope with query-string auth and answers its event id', async () => {
    const id = eventId(1);
    const response = await post(envelopeUrl, envelope(id));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id });
    const event = await fetchEvent(id);
    expect(event.release).toBe('shop@2.0.0');
    expect(event.environment).toBe('staging');
  });

  it('accepts X-Sentry-Auth on the store endpoint', async () => {
    const id = eventId(2);
    const response = await post(
      `${picket.url}/api/${project.projectId}/store/`,
      JSON.stringify({ ...EVENT, event_id: id }),
      {
        'x-sentry-auth': `Sentry sentry_key=${project.publicKey}, sentry_version=7, sentry_client=test/1.0`,
        'content-type': 'application/json',
      },
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id });
    expect((await fetchEvent(id)).title).toContain('TypeError');
  });

  it('authenticates through the envelope dsn header', async () => {
    const id = eventId(3);
    const response = await post(
      `${picket.url}/api/${project.projectId}/envelope/`,
      envelope(id, { ...EVENT, event_id: id }, { event_id: id, dsn: project.dsn }),
    );

    expect(response.status).toBe(200);
    await fetchEvent(id);
  });

  it.each([
    ['gzip', (body: Buffer) => gzipSync(body)],
    ['deflate', (body: Buffer) => deflateSync(body)],
    ['br', (body: Buffer) => brotliCompressSync(body)],
    ['zstd', (body: Buffer) => execFileSync('zstd', ['-c', '-q'], { input: body })],
    ['', (body: Buffer) => body],
  ])('decodes Content-Encoding %j', async (encoding, compress) => {
    const id = eventId(100 + encoding.length);
    const response = await post(envelopeUrl, new Uint8Array(compress(Buffer.from(envelope(id)))), {
      'content-encoding': encoding,
    });

    expect(response.status).toBe(200);
    await fetchEvent(id);
  });

  it('accepts a chunked body without Content-Length', async () => {
    const id = eventId(4);
    const body = gzipSync(envelope(id));
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const url = new URL(envelopeUrl);
      const request = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: `${url.pathname}${url.search}`,
          method: 'POST',
          headers: { 'content-encoding': 'gzip' },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode);
        },
      );
      request.on('error', reject);
      request.write(body.subarray(0, 10));
      setTimeout(() => request.end(body.subarray(10)), 50);
    });

    expect(status).toBe(200);
    await fetchEvent(id);
  });

  it('answers CORS preflight and exposes the rate-limit headers', async () => {
    const preflight = await fetch(envelopeUrl, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example', 'access-control-request-method': 'POST' },
    });
    const response = await post(envelopeUrl, envelope(eventId(5)), {
      origin: 'http://app.example',
    });

    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-sentry-auth');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-expose-headers')).toContain('x-sentry-rate-limits');
    expect(response.headers.get('access-control-expose-headers')).toContain('retry-after');
  });

  it('stores an event sent twice only once', async () => {
    const id = eventId(6);
    await post(envelopeUrl, envelope(id));
    await post(envelopeUrl, envelope(id));
    const event = await fetchEvent(id);

    const issue = (await apiGet(
      picket,
      project.token,
      `/api/0/issues/${String(event.groupID)}/events/`,
    )) as unknown[];
    const ids = (issue as { eventID: string }[])
      .map((row) => row.eventID)
      .filter((value) => value === id);
    expect(ids).toHaveLength(1);
  });

  it('answers unknown item types and non-event envelopes with 200 and {}', async () => {
    const body = `{}\n{"type":"something_new"}\n{"a":1}\n{"type":"session"}\n{"sid":"x","status":"ok"}`;
    const response = await post(envelopeUrl, body);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
  });

  it('rejects an unknown public key with 403', async () => {
    const response = await post(
      `${picket.url}/api/${project.projectId}/envelope/?sentry_key=${'0'.repeat(32)}`,
      envelope(eventId(7)),
    );
    expect(response.status).toBe(403);
  });

  it('rejects a request without auth with 401', async () => {
    const response = await post(
      `${picket.url}/api/${project.projectId}/envelope/`,
      envelope(eventId(8)),
    );
    expect(response.status).toBe(401);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/auth/i);
  });

  it('rejects two auth sources with 401', async () => {
    const response = await post(envelopeUrl, envelope(eventId(9)), {
      'x-sentry-auth': `Sentry sentry_key=${project.publicKey}`,
    });
    expect(response.status).toBe(401);
  });

  it('rejects a key of another project with 403', async () => {
    const response = await post(
      `${picket.url}/api/999/envelope/?sentry_key=${project.publicKey}`,
      envelope(eventId(10)),
    );
    expect(response.status).toBe(403);
  });

  it('rejects invalid event JSON with 400 and a message', async () => {
    const response = await post(
      envelopeUrl,
      `{"event_id":"${eventId(11)}"}\n{"type":"event"}\n{"level": nope}`,
    );
    const body = (await response.json()) as { detail: string };

    expect(response.status).toBe(400);
    expect(body.detail).toMatch(/JSON/);
  });

  it('rejects a truncated envelope with 400', async () => {
    const response = await post(
      envelopeUrl,
      `{"event_id":"${eventId(12)}"}\n{"type":"event","length":500}\n{"level":"error"}`,
    );
    expect(response.status).toBe(400);
  });

  it('rejects an envelope header that is not JSON with 400', async () => {
    const response = await post(envelopeUrl, 'not json\n{"type":"event"}\n{}');
    expect(response.status).toBe(400);
  });

  it('keeps the event beside a malformed item', async () => {
    const id = eventId(13);
    const body = `{"event_id":"${id}"}\n{"type":"event"}\n${JSON.stringify({ ...EVENT, event_id: id })}\n{"type":"attachment","length":99999}\nshort`;
    const response = await post(envelopeUrl, body);

    expect(response.status).toBe(200);
    await fetchEvent(id);
  });

  it('rejects JSON nested too deep with 400 and stays up', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const response = await post(envelopeUrl, `{}\n{"type":"event"}\n{"extra":${deep}}`);
    const health = await fetch(`${picket.url}/_health`);

    expect(response.status).toBe(400);
    expect(health.status).toBe(200);
  });

  it('rejects a gzip bomb with 413 without inflating it', async () => {
    const bomb = gzipSync(Buffer.alloc(300 * 1024 * 1024), { level: 9 });
    const response = await post(envelopeUrl, new Uint8Array(bomb), { 'content-encoding': 'gzip' });

    expect(response.status).toBe(413);
  });

  it('rejects an unknown content encoding with 415', async () => {
    const response = await post(envelopeUrl, envelope(eventId(14)), {
      'content-encoding': 'compress',
    });
    expect(response.status).toBe(415);
  });

  it('rejects an event item over 1 MiB with 413', async () => {
    const id = eventId(15);
    const big = { ...EVENT, event_id: id, extra: { blob: 'x'.repeat(1_100_000) } };
    const response = await post(envelopeUrl, envelope(id, big));
    const body = (await response.json()) as { detail: string };

    expect(response.status).toBe(413);
    expect(body.detail).toMatch(/size limit/);
  });

  it('rejects a store body over 1 MiB with 413', async () => {
    const big = JSON.stringify({ ...EVENT, extra: { blob: 'x'.repeat(1_100_000) } });
    const response = await post(
      `${picket.url}/api/${project.projectId}/store/?sentry_key=${project.publicKey}`,
      big,
    );
    expect(response.status).toBe(413);
  });
});
