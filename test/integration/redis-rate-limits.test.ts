/**
 * Rate limits across processes: two `--role ingest` servers share PostgreSQL and Redis, and
 * together admit a key's limit once, not once each. With counters in memory each would admit
 * the whole limit.
 */
import { randomBytes } from 'node:crypto';

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  apiRequest,
  createPostgresSchema,
  sendEnvelope,
  setupProject,
  startPicket,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';
import {
  createTestRedisPrefix,
  deleteKeys,
  scanKeys,
  TEST_REDIS_URL,
} from '../helpers/redis-prefix.js';

const LIMIT = 10;
// The maximum window, so that the test almost never runs across a window boundary.
const WINDOW_SECONDS = 86_400;

describe('key rate limit across two ingest processes', () => {
  const prefix = createTestRedisPrefix('ingest');
  let web: PicketInstance;
  let ingests: PicketInstance[] = [];
  let project: TestProject;

  beforeAll(async () => {
    const { url } = await createPostgresSchema();
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      PICKET_REDIS_PREFIX: prefix,
      PICKET_SECRET_KEY: randomBytes(32).toString('hex'),
    };
    web = await startPicket({ databaseUrl: url, env, args: ['--role', 'web'] });
    project = await setupProject(web, 'shared-limit');
    await apiRequest(
      web,
      project.token,
      'PUT',
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/keys/${project.publicKey}/`,
      { rateLimit: { window: WINDOW_SECONDS, count: LIMIT } },
    );
    ingests = await Promise.all(
      [0, 1].map(() => startPicket({ databaseUrl: url, env, args: ['--role', 'ingest'] })),
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.all(ingests.map((ingest) => ingest.stop()));
    await web?.stop();
    await deleteKeys(prefix);
  });

  it('admits the limit once in total', async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 2 * LIMIT; index += 1) {
      const ingest = ingests[index % 2]!;
      const dsn = project.dsn.replace(/@[^/]+/, `@${new URL(ingest.url).host}`);
      const response = await sendEnvelope(dsn, [
        { headers: { type: 'event' }, payload: { message: `shared ${index}`, level: 'error' } },
      ]);
      statuses.push(response.status);
    }

    expect(statuses.filter((status) => status === 200)).toHaveLength(LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(LIMIT);
  });

  it('keeps the counters in Redis with an expiry', async () => {
    const client = new Redis(TEST_REDIS_URL);
    try {
      // The same prefix also holds the queue stream (`<prefix>:queue`), which has no expiry.
      const keys = (await scanKeys(client, prefix)).filter(
        (key) => !key.startsWith(`${prefix}:queue`),
      );
      const ttls = await Promise.all(keys.map((key) => client.pttl(key)));

      expect(keys.some((key) => key.startsWith(`${prefix}:rl:key:`))).toBe(true);
      expect(keys.every((key) => key.startsWith(`${prefix}:rl:`))).toBe(true);
      expect(ttls.every((ttl) => ttl > 0)).toBe(true);
    } finally {
      client.disconnect();
    }
  });
});
