/**
 * Attacks on the scale-out additions: the metrics token, what the health and metrics endpoints
 * reveal, and secrets (the Redis and PostgreSQL passwords, the metrics token, the AWS secret key)
 * in responses and logs while Redis or S3 is down or misconfigured. Picket runs on PostgreSQL
 * with a password-protected redis-server of this file's own and s3rver.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildEnvelope, newEventId } from '../helpers/envelopes.js';
import {
  apiGet,
  createPostgresSchema,
  runCli,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';
import { findFreePort } from '../helpers/redis.js';
import { startS3, type TestS3 } from '../helpers/s3.js';

const REDIS_PASSWORD = `RedisPw${randomBytes(8).toString('hex')}`;
const PG_PASSWORD = `PgPw${randomBytes(8).toString('hex')}`;
const METRICS_TOKEN = `MetricsTok${randomBytes(12).toString('hex')}`;
const SECRET_KEY = randomBytes(32).toString('hex');
const WRONG_REDIS_PASSWORD = `WrongRedisPw${randomBytes(8).toString('hex')}`;
const AWS_SECRET = `AwsSecret${randomBytes(12).toString('hex')}`;
const PLANTED = [
  REDIS_PASSWORD,
  PG_PASSWORD,
  METRICS_TOKEN,
  SECRET_KEY,
  WRONG_REDIS_PASSWORD,
  AWS_SECRET,
];

interface PasswordRedis {
  url: string;
  process: ChildProcess;
}

/** Starts redis-server with a password on a free port and waits until it answers. */
async function startPasswordRedis(): Promise<PasswordRedis> {
  const port = await findFreePort();
  const child = spawn('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--requirepass',
    REDIS_PASSWORD,
  ]);
  const url = `redis://:${REDIS_PASSWORD}@127.0.0.1:${port}`;
  await waitFor(async () => {
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG' ? true : undefined;
    } catch {
      // Not listening yet.
      return undefined;
    } finally {
      probe.disconnect();
    }
  }, 10_000);
  return { url, process: child };
}

async function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

function findPlanted(text: string): string[] {
  return PLANTED.filter((secret) => text.includes(secret));
}

function withPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = PG_PASSWORD;
  return parsed.toString();
}

describe('scale-out endpoints and secrets', () => {
  let redis: PasswordRedis;
  let s3: TestS3;
  let s3Stopped = false;
  let databaseUrl: string;
  let picket: PicketInstance;
  let project: TestProject;

  beforeAll(async () => {
    redis = await startPasswordRedis();
    s3 = await startS3('picket-secrets', 'blobs');
    // PostgreSQL here trusts local connections, so the password is sent and never checked.
    databaseUrl = withPassword((await createPostgresSchema()).url);
    picket = await startPicket({
      databaseUrl,
      env: {
        ...s3.env,
        REDIS_URL: redis.url,
        DATABASE_READ_URL: databaseUrl,
        PICKET_METRICS_TOKEN: METRICS_TOKEN,
        PICKET_SECRET_KEY: SECRET_KEY,
      },
    });
    project = await setupProject(picket, 'secrets');
  }, 90_000);

  afterAll(async () => {
    await picket?.stop();
    await killProcess(redis.process);
    if (!s3Stopped) {
      await s3?.stop();
    }
  });

  async function scrape(authorization: string | undefined): Promise<number> {
    const response = await fetch(`${picket.url}/metrics`, {
      headers: authorization === undefined ? {} : { authorization },
    });
    await response.arrayBuffer();
    return response.status;
  }

  async function postEnvelope(body: Buffer): Promise<Response> {
    const dsn = new URL(project.dsn);
    return fetch(
      `${picket.url}/api/${project.projectId}/envelope/?sentry_key=${dsn.username}&sentry_version=7`,
      { method: 'POST', body: new Uint8Array(body) },
    );
  }

  it('accepts the metrics token only exactly', async () => {
    const attempts: Record<string, string | undefined> = {
      missing: undefined,
      empty: '',
      'scheme only': 'Bearer',
      'scheme and space': 'Bearer ',
      'basic scheme': `Basic ${Buffer.from(`x:${METRICS_TOKEN}`).toString('base64')}`,
      'token without scheme': METRICS_TOKEN,
      prefix: `Bearer ${METRICS_TOKEN.slice(0, -1)}`,
      'with suffix': `Bearer ${METRICS_TOKEN}x`,
      'two spaces': `Bearer  ${METRICS_TOKEN}`,
      'other case': `Bearer ${METRICS_TOKEN.toUpperCase()}`,
      'long header': `Bearer ${'a'.repeat(15_000)}`,
    };

    const statuses: Record<string, number> = {};
    for (const [name, header] of Object.entries(attempts)) {
      statuses[name] = await scrape(header);
    }

    for (const [name, status] of Object.entries(statuses)) {
      expect({ name, status }).toEqual({ name, status: 401 });
    }
    expect(await scrape(`Bearer ${METRICS_TOKEN}`)).toBe(200);
  });

  it('rejects a header over the size limit without a 5xx', async () => {
    const status = await scrape(`Bearer ${'a'.repeat(100_000)}`);

    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
  });

  it('names no tenant, address or secret on the operations endpoints', async () => {
    const eventId = newEventId();
    const sent = await postEnvelope(
      buildEnvelope({ event_id: eventId }, [
        { headers: { type: 'event' }, payload: { event_id: eventId, message: 'ops probe' } },
      ]),
    );
    expect(sent.status).toBe(200);
    const bodies: string[] = [];
    for (const path of ['/_health', '/_health/live', '/_health/ready']) {
      bodies.push(await (await fetch(`${picket.url}${path}`)).text());
    }
    const metrics = await fetch(`${picket.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    bodies.push(await metrics.text());
    const text = bodies.join('\n');
    const publicKey = new URL(project.dsn).username;
    const redisPort = new URL(redis.url).port;

    expect(text).not.toContain(project.orgSlug);
    expect(text).not.toContain(project.projectSlug);
    expect(text).not.toContain(publicKey);
    expect(text).not.toContain(`:${redisPort}`);
    expect(text).not.toContain('5432');
    expect(text).not.toContain(s3.endpoint);
    expect(text).not.toContain(picket.dataDir);
    expect(text).not.toMatch(/v\d+\.\d+\.\d+/);
    expect(findPlanted(text)).toEqual([]);
  });

  it('keeps a rejected Redis password out of the logs', async () => {
    const wrong = new URL(redis.url);
    wrong.password = WRONG_REDIS_PASSWORD;
    const rejected = await startPicket({
      databaseUrl,
      env: { REDIS_URL: wrong.toString(), PICKET_SECRET_KEY: SECRET_KEY },
    });
    try {
      await waitFor(
        async () => (rejected.logs.some((line) => line.includes('redis')) ? true : undefined),
        15_000,
      );
      const ready = await fetch(`${rejected.url}/_health/ready`);
      const body = await ready.text();

      expect(ready.status).toBe(503);
      expect(findPlanted(body)).toEqual([]);
      expect(findPlanted(rejected.logs.join('\n'))).toEqual([]);
    } finally {
      await rejected.stop();
    }
  }, 120_000);

  it('keeps the AWS secret key out of the startup error', async () => {
    const result = await runCli(['serve'], {
      env: {
        ...picket.env,
        PORT: '0',
        AWS_SECRET_ACCESS_KEY: AWS_SECRET,
        AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${await findFreePort()}`,
      },
    });

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('picket-secrets');
    expect(findPlanted(result.stdout + result.stderr)).toEqual([]);
  }, 120_000);

  it('keeps event data out of the logs when Redis rejects writes', async () => {
    const admin = new Redis(redis.url);
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    await admin.config('SET', 'maxmemory', '1');
    const marker = `person-${randomBytes(6).toString('hex')}@example.com`;
    try {
      const eventId = newEventId();
      const response = await postEnvelope(
        buildEnvelope({ event_id: eventId }, [
          {
            headers: { type: 'event' },
            payload: { event_id: eventId, message: 'redis full', user: { email: marker } },
          },
        ]),
      );
      await waitFor(
        async () => (picket.logs.some((line) => line.includes('OOM')) ? true : undefined),
        15_000,
      );

      expect(response.status).toBe(503);
      expect(picket.logs.filter((line) => line.includes(marker))).toEqual([]);
    } finally {
      await admin.config('SET', 'maxmemory', '0');
      admin.disconnect();
    }
  }, 120_000);

  it('keeps secrets out of responses and logs while Redis and S3 are down', async () => {
    await killProcess(redis.process);
    const eventId = newEventId();
    const ingest = await postEnvelope(
      buildEnvelope({ event_id: eventId }, [
        { headers: { type: 'event' }, payload: { event_id: eventId, message: 'redis down' } },
      ]),
    );
    const ingestBody = await ingest.text();
    const ready = await fetch(`${picket.url}/_health/ready`);
    const readyBody = await ready.text();
    const status = await fetch(`${picket.url}/api/0/picket/status/`, {
      headers: { authorization: `Bearer ${project.token}` },
    });
    const statusBody = await status.text();
    await s3.stop();
    s3Stopped = true;
    const storage = await apiGet(
      picket,
      project.token,
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/picket-storage/`,
    ).catch((error: unknown) => String(error));
    // The connection failure is logged asynchronously; wait for it before reading the logs.
    await waitFor(
      async () => (picket.logs.some((line) => line.includes('redis')) ? true : undefined),
      15_000,
    );

    expect(ingest.status).toBe(503);
    expect(ready.status).toBe(503);
    expect(findPlanted(ingestBody)).toEqual([]);
    expect(findPlanted(readyBody)).toEqual([]);
    expect(findPlanted(statusBody)).toEqual([]);
    expect(findPlanted(JSON.stringify(storage))).toEqual([]);
    expect(findPlanted(picket.logs.join('\n'))).toEqual([]);
  });
});
