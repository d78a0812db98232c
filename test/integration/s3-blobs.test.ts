/**
 * Blobs in S3 (s3rver) with PostgreSQL, across two processes with data folders of their own. An
 * ingest process takes an attachment and an event from minified code. A process with the web
 * and worker roles stores the artifact bundle, maps the event and serves the attachment. Every
 * blob must be in the bucket and none in either data folder.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildEnvelope, newEventId } from '../helpers/envelopes.js';
import {
  apiGet,
  createPostgresSchema,
  startPicket,
  setupProject,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';
import { startS3, type TestS3 } from '../helpers/s3.js';
import { buildApp, THROW_LINE, throwFrames, withDebugId } from '../helpers/source-maps.js';
import { buildSourceBundle } from '../helpers/zip-writer.js';

const PREFIX = 'picket/blobs';
const SECRET_KEY = randomBytes(32).toString('hex');
const CDN = 'https://cdn.example.com';
const BOUNDARY = 'picket-s3-boundary';
// Bytes that break text handling, and more than one read of the download stream.
const ATTACHMENT = Buffer.concat([Buffer.from([0, 13, 10, 0xff]), randomBytes(200_000)]);

interface ApiAttachment {
  id: string;
  name: string;
  size: number;
  sha1: string;
}

interface ApiFrame {
  lineNo: number | null;
  data: { symbolication?: { status: string; resolvedWith?: string } } | null;
}

interface ApiEvent {
  entries: { type: string; data: { values?: { stacktrace: { frames: ApiFrame[] } | null }[] } }[];
}

const sha1 = (content: Buffer) => createHash('sha1').update(content).digest('hex');

/** Lists the files under a folder, or nothing when it does not exist. */
function filesUnder(folder: string): string[] {
  if (!fs.existsSync(folder)) {
    return [];
  }
  return (fs.readdirSync(folder, { recursive: true }) as string[]).filter((entry) =>
    fs.statSync(path.join(folder, entry)).isFile(),
  );
}

describe('blobs in S3 with PostgreSQL', () => {
  let s3: TestS3;
  let web: PicketInstance;
  let ingest: PicketInstance;
  let project: TestProject;
  let ingestDsn: string;

  beforeAll(async () => {
    s3 = await startS3('picket-it', PREFIX);
    const { url } = await createPostgresSchema();
    const env = { ...s3.env, PICKET_SECRET_KEY: SECRET_KEY };
    web = await startPicket({ databaseUrl: url, env });
    ingest = await startPicket({ databaseUrl: url, env, args: ['--role', 'ingest'] });
    project = await setupProject(web, 's3');
    ingestDsn = project.dsn.replace(/@[^/]+/, `@${new URL(ingest.url).host}`);
  }, 120_000);

  afterAll(async () => {
    await ingest?.stop();
    await web?.stop();
    await s3?.stop();
  });

  async function postToIngest(body: Buffer): Promise<Response> {
    const dsn = new URL(ingestDsn);
    return fetch(
      `${dsn.protocol}//${dsn.host}/api/${project.projectId}/envelope/?sentry_key=${dsn.username}&sentry_version=7`,
      { method: 'POST', body: new Uint8Array(body) },
    );
  }

  async function sendToIngest(eventId: string, payload: Record<string, unknown>) {
    const response = await postToIngest(
      buildEnvelope({ event_id: eventId }, [{ headers: { type: 'event' }, payload }]),
    );
    expect(response.status).toBe(200);
  }

  async function uploadBundle(bundle: Buffer): Promise<void> {
    const org = `/api/0/organizations/${project.orgSlug}`;
    const headers = { authorization: `Bearer ${project.token}` };
    const checksum = sha1(bundle);
    const multipart = Buffer.concat([
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${checksum}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      bundle,
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]);
    const chunkReply = await fetch(`${web.url}${org}/chunk-upload/`, {
      method: 'POST',
      headers: { ...headers, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      body: new Uint8Array(multipart),
    });
    expect(chunkReply.status).toBe(200);

    const state = await waitFor(async () => {
      const reply = await fetch(`${web.url}${org}/artifactbundle/assemble/`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ checksum, chunks: [checksum], projects: [project.projectSlug] }),
      });
      const body = (await reply.json()) as { state: string; detail?: string | null };
      return body.state === 'ok' || body.state === 'error' ? body : undefined;
    });
    expect(state).toMatchObject({ state: 'ok' });
  }

  it('stores an attachment in the bucket and serves it from the other process', async () => {
    const eventId = newEventId();
    const response = await postToIngest(
      buildEnvelope({ event_id: eventId }, [
        {
          headers: { type: 'event' },
          payload: { event_id: eventId, message: 'with attachment', level: 'error' },
        },
        { headers: { type: 'attachment', filename: 'dump.bin' }, payload: ATTACHMENT },
      ]),
    );
    expect(response.status).toBe(200);
    const listPath = `/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${eventId}/attachments/`;
    const [attachment] = await waitFor(async () => {
      const listed = (await apiGet(web, project.token, listPath)) as ApiAttachment[];
      return listed.length > 0 ? listed : undefined;
    });

    const download = await fetch(`${web.url}${listPath}${attachment?.id}/?download=1`, {
      headers: { authorization: `Bearer ${project.token}` },
    });
    const body = Buffer.from(await download.arrayBuffer());

    expect(download.status).toBe(200);
    expect(body.equals(ATTACHMENT)).toBe(true);
    expect(attachment?.sha1).toBe(sha1(ATTACHMENT));
    expect(await s3.listKeys(`${PREFIX}/attachments/`)).toHaveLength(1);
  });

  it('maps an event with an artifact bundle stored in the bucket', async () => {
    const debugId = randomUUID();
    const app = withDebugId(await buildApp(), debugId);
    const url = `${CDN}/assets/app.min.js`;
    await uploadBundle(
      buildSourceBundle([
        {
          path: 'files/_/_/assets/app.min.js',
          url: '~/assets/app.min.js',
          content: app.code,
          headers: { 'debug-id': debugId, Sourcemap: 'app.min.js.map' },
        },
        {
          path: 'files/_/_/assets/app.min.js.map',
          url: '~/assets/app.min.js.map',
          type: 'source_map',
          content: JSON.stringify(app.map),
          headers: { 'debug-id': debugId },
        },
      ]),
    );
    const eventId = newEventId();
    await sendToIngest(eventId, {
      event_id: eventId,
      platform: 'javascript',
      exception: {
        values: [
          {
            type: 'RangeError',
            value: 'cart is empty',
            stacktrace: { frames: throwFrames(app.code, url) },
          },
        ],
      },
      debug_meta: { images: [{ type: 'sourcemap', code_file: url, debug_id: debugId }] },
    });

    const event = (await waitFor(
      () =>
        apiGet(
          web,
          project.token,
          `/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${eventId}/`,
        ) as Promise<ApiEvent>,
      30_000,
    )) as ApiEvent;
    const exception = event.entries.find((entry) => entry.type === 'exception');
    const top = exception?.data.values?.[0]?.stacktrace?.frames.at(-1);

    expect(top?.data?.symbolication).toMatchObject({ status: 'mapped', resolvedWith: 'debug-id' });
    expect(top?.lineNo).toBe(THROW_LINE);
    expect(await s3.listKeys(`${PREFIX}/artifacts/`)).toHaveLength(2);
  });

  it('keeps no blob in either data folder', () => {
    expect(filesUnder(path.join(web.dataDir, 'blobs'))).toEqual([]);
    expect(filesUnder(path.join(ingest.dataDir, 'blobs'))).toEqual([]);
  });

  it('prints no warning of the AWS SDK', () => {
    const output = [...web.logs, ...ingest.logs].join('\n');

    expect(output).not.toContain('NodeVersionSupportWarning');
  });
});

describe('blob store check at start', () => {
  let s3: TestS3;

  beforeAll(async () => {
    s3 = await startS3('picket-check', 'blobs');
  });

  afterAll(async () => {
    await s3?.stop();
  });

  // s3rver accepts any secret key, so the planted one only checks what the failure prints.
  it('names the missing bucket and its endpoint, not the secret key', async () => {
    const secret = 'planted-secret-d41c9e';
    const failure = await startPicket({
      env: {
        ...s3.env,
        PICKET_BLOB_URL: 's3://no-such-bucket/blobs',
        AWS_SECRET_ACCESS_KEY: secret,
      },
    }).then(
      async (picket) => {
        await picket.stop();
        return 'started';
      },
      (error: unknown) => String(error),
    );

    expect(failure).toContain(`S3 bucket "no-such-bucket" at ${s3.endpoint} is not reachable`);
    expect(failure).not.toContain(secret);
  });
});
