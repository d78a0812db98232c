import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';

import { createPostgresSchema, waitFor } from '../helpers/picket.js';
import { startS3, type TestS3 } from '../helpers/s3.js';
import type { DeploymentOptions } from './lib/deployment.js';
import { readRedisStreams } from './lib/ledger-check.js';
import { IS_LONG_FORM, readSeed } from './lib/random.js';
import {
  finishAndCheck,
  killAtRandom,
  pause,
  startLoad,
  startWorld,
  type ScenarioWorld,
} from './lib/scenario.js';

const SEED = readSeed();
const EVENTS_PER_SECOND = 150;
const SHARED_REDIS_URL = 'redis://127.0.0.1:6379';
const KILLS = {
  embedded: IS_LONG_FORM ? 20 : 1,
  'split-pg': IS_LONG_FORM ? 20 : 2,
  'split-redis': IS_LONG_FORM ? 20 : 2,
};
const TEST_TIMEOUT_MS = IS_LONG_FORM ? 1_800_000 : 300_000;

console.log(`reliability kill -9: seed ${SEED} (RELIABILITY_SEED=${SEED} repeats it)`);

let world: ScenarioWorld | undefined;
let redisPrefix: string | undefined;
let s3: TestS3 | undefined;

afterEach(async () => {
  await world?.deployment.stop();
  world = undefined;
  await s3?.stop();
  s3 = undefined;
  if (redisPrefix !== undefined) {
    await deleteRedisKeys(redisPrefix);
    redisPrefix = undefined;
  }
});

/** Deletes the keys under this test's own prefix on the shared Redis (never FLUSHALL). */
async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(SHARED_REDIS_URL);
  try {
    const stream = redis.scanStream({ match: `${prefix}*`, count: 500 });
    for await (const keys of stream as AsyncIterable<string[]>) {
      if (keys.length > 0) {
        await redis.del(...keys);
      }
    }
  } finally {
    redis.disconnect();
  }
}

async function runKills(options: DeploymentOptions, seed: number) {
  world = await startWorld(options, seed);
  const load = startLoad(world, EVENTS_PER_SECOND);
  await pause(1_500);
  const killed = await killAtRandom(world, KILLS[options.mode]);
  await pause(1_500);

  const faults = `${killed.length} kills (${killed.join(' ')})`;
  return { load, report: await finishAndCheck(world, load, options.mode, faults) };
}

describe('kill -9 under load', () => {
  it(
    'keeps every acknowledged event once in the embedded mode',
    async () => {
      const { load, report } = await runKills({ mode: 'embedded' }, SEED);

      expect(report.missing).toEqual([]);
      expect(report.duplicates).toEqual([]);
      expect(report.unknown).toEqual([]);
      expect(report.mismatches).toEqual([]);
      expect(world?.deployment.crashes).toEqual([]);
      expect(load.violations).toEqual({ missingRetryAfter: 0, unexpectedStatus: 0, examples: [] });
      expect(report.acknowledged).toBeGreaterThan(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'keeps every acknowledged event once with PostgreSQL and split roles',
    async () => {
      const { url } = await createPostgresSchema();
      const { load, report } = await runKills({ mode: 'split-pg', databaseUrl: url }, SEED + 1);

      expect(report.missing).toEqual([]);
      expect(report.duplicates).toEqual([]);
      expect(report.unknown).toEqual([]);
      expect(report.mismatches).toEqual([]);
      expect(world?.deployment.crashes).toEqual([]);
      expect(load.violations).toEqual({ missingRetryAfter: 0, unexpectedStatus: 0, examples: [] });
      expect(report.acknowledged).toBeGreaterThan(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'keeps every acknowledged event once with the Redis queue',
    async () => {
      const { url } = await createPostgresSchema();
      redisPrefix = `picket-rel-${process.pid}-${Date.now()}`;
      const options: DeploymentOptions = {
        mode: 'split-redis',
        databaseUrl: url,
        redisUrl: SHARED_REDIS_URL,
        redisPrefix,
      };
      // Blobs go to an S3-compatible server of the test's own, as in a real split deployment.
      if (process.env.RELIABILITY_BLOB_URL === undefined) {
        s3 = await startS3('picket-reliability');
        options.blobUrl = s3.env.PICKET_BLOB_URL;
        options.env = s3.env;
      } else {
        options.blobUrl = process.env.RELIABILITY_BLOB_URL;
      }
      world = await startWorld(options, SEED + 2);
      const probe = startLoad(world, 20);
      const deployment = world.deployment;
      const hasStream = await waitFor(async () => {
        const streams = await readRedisStreams(deployment);
        return streams.streams > 0 ? true : undefined;
      }, 15_000).catch(() => false);
      await probe.finish(30_000);
      expect(
        hasStream,
        `no Redis stream under prefix "${redisPrefix}": Picket did not queue in Redis`,
      ).toBe(true);

      const load = startLoad(world, EVENTS_PER_SECOND);
      for (const [eventId, event] of probe.events) {
        load.events.set(eventId, event);
      }
      await pause(1_500);
      const killed = await killAtRandom(world, KILLS['split-redis']);
      await pause(1_500);
      const faults = `${killed.length} kills (${killed.join(' ')})`;
      const report = await finishAndCheck(world, load, 'split-redis', faults);

      expect(report.missing).toEqual([]);
      expect(report.duplicates).toEqual([]);
      expect(report.unknown).toEqual([]);
      expect(report.mismatches).toEqual([]);
      expect(world?.deployment.crashes).toEqual([]);
      expect(load.violations).toEqual({ missingRetryAfter: 0, unexpectedStatus: 0, examples: [] });
      expect(report.acknowledged).toBeGreaterThan(0);
    },
    TEST_TIMEOUT_MS,
  );
});
