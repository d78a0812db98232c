import { afterAll, describe, expect, it } from 'vitest';

import {
  createPostgresSchema,
  runCli,
  sendEnvelope,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';
import { deleteRedisKeys, SHARED_REDIS_URL, uniqueRedisPrefix } from '../helpers/redis.js';

const PREFIX = uniqueRedisPrefix('redisq-e2e');
const started: PicketInstance[] = [];

async function start(
  databaseUrl: string,
  prefix: string,
  args: string[] = [],
  env: Record<string, string> = {},
) {
  const picket = await startPicket({
    databaseUrl,
    args,
    env: {
      REDIS_URL: SHARED_REDIS_URL,
      PICKET_REDIS_PREFIX: prefix,
      PICKET_QUEUE_RECLAIM_SECONDS: '1',
      ...env,
    },
  });
  started.push(picket);
  return picket;
}

function sendEvent(dsn: string, eventId: string, message: string): Promise<Response> {
  return sendEnvelope(
    dsn,
    [{ headers: { type: 'event' }, payload: { event_id: eventId, message } }],
    {
      event_id: eventId,
    },
  );
}

async function fetchEvent(web: PicketInstance, project: TestProject, eventId: string) {
  return waitFor(async () => {
    const response = await fetch(
      `${web.url}/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${eventId}/`,
      { headers: { authorization: `Bearer ${project.token}` } },
    );
    return response.ok ? ((await response.json()) as { title: string }) : undefined;
  }, 30_000);
}

afterAll(async () => {
  await Promise.all(started.map((picket) => picket.stop()));
  await deleteRedisKeys(PREFIX);
});

describe('Redis queue end to end', () => {
  it('stores an event sent through the HTTP API', async () => {
    const { url } = await createPostgresSchema();
    const picket = await start(url, `${PREFIX}:all`);
    const project = await setupProject(picket, 'redis');
    const eventId = 'a'.repeat(32);

    const response = await sendEvent(project.dsn, eventId, 'through redis');
    const event = await fetchEvent(picket, project, eventId);

    expect(response.status).toBe(200);
    expect(event.title).toBe('through redis');
  });

  it('reports the queue in picket queue status', async () => {
    const { url } = await createPostgresSchema();
    const prefix = `${PREFIX}:status`;
    const picket = await start(url, prefix);

    const status = await waitFor(async () => {
      const result = await runCli(['queue', 'status'], { env: picket.env });
      return result.stdout.includes('Group workers:') ? result : undefined;
    }, 30_000);

    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Queue ${prefix}:queue: 0 records`);
    expect(status.stdout).toContain(`Dead letter ${prefix}:queue:dead: 0 records`);
  });

  it('runs ingest and worker as separate processes', async () => {
    const { url } = await createPostgresSchema();
    const prefix = `${PREFIX}:split`;
    const web = await start(url, prefix, ['--role', 'web']);
    const project = await setupProject(web, 'split');
    // With no worker yet, the backlog grows; past one record ingest responds with 429, which shows
    // that the ingest-only process measures the backlog in Redis.
    const ingest = await start(url, prefix, ['--role', 'ingest'], {
      PICKET_QUEUE_MAX_BACKLOG: '1',
    });
    const dsn = project.dsn.replace(new URL(web.url).host, new URL(ingest.url).host);

    const first = await sendEvent(dsn, 'b'.repeat(32), 'split first');
    const second = await sendEvent(dsn, 'c'.repeat(32), 'split second');
    const throttled = await waitFor(async () => {
      const response = await sendEvent(dsn, 'd'.repeat(32), 'split throttled');
      return response.status === 429 ? response : undefined;
    }, 30_000);
    const worker = await start(url, prefix, ['--role', 'worker']);
    const event = await fetchEvent(web, project, 'c'.repeat(32));
    // The worker reports its batches to its process's /metrics, on the Redis queue as well.
    const stored = await waitFor(async () => {
      const text = await (await fetch(`${worker.url}/metrics`)).text();
      const match = /^picket_worker_records_processed_total\{kind="event"\} (\d+)/m.exec(text);
      return match !== null && Number(match[1]) >= 2 ? Number(match[1]) : undefined;
    }, 30_000);

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(throttled.headers.get('retry-after')).not.toBeNull();
    expect(event.title).toBe('split second');
    expect(stored).toBeGreaterThanOrEqual(2);
  });
});
