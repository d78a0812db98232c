import { afterAll, describe, expect, it } from 'vitest';

import { createPostgresSchema, waitFor } from '../helpers/picket.js';
import { readRedisStreams } from './lib/ledger-check.js';
import { startOwnRedis, type OwnRedis } from './lib/own-servers.js';
import { IS_LONG_FORM, readSeed } from './lib/random.js';
import {
  finishAndCheck,
  pause,
  startLoad,
  startWorld,
  type ScenarioWorld,
} from './lib/scenario.js';

const SEED = readSeed();
const RESTARTS = IS_LONG_FORM ? 5 : 1;
const EVENTS_PER_SECOND = 150;
const TEST_TIMEOUT_MS = IS_LONG_FORM ? 1_800_000 : 300_000;

console.log(`reliability Redis restart: seed ${SEED} (RELIABILITY_SEED=${SEED} repeats it)`);

describe('Redis restart under load', () => {
  let redis: OwnRedis | undefined;
  let world: ScenarioWorld | undefined;

  afterAll(async () => {
    await world?.deployment.stop();
    await redis?.destroy();
  });

  it(
    'answers 503 or 429 with Retry-After while down and loses no acknowledged event',
    async () => {
      redis = await startOwnRedis();
      const { url } = await createPostgresSchema();
      world = await startWorld(
        {
          mode: 'split-redis',
          databaseUrl: url,
          redisUrl: redis.url,
          redisPrefix: 'picket-rel',
          workerCount: 1,
        },
        SEED,
      );
      const load = startLoad(world, EVENTS_PER_SECOND);
      const deployment = world.deployment;
      const hasStream = await waitFor(async () => {
        const streams = await readRedisStreams(deployment);
        return streams.streams > 0 ? true : undefined;
      }, 15_000).catch(() => false);
      expect(hasStream, 'no Redis stream: Picket did not queue in Redis').toBe(true);

      const random = world.random;
      const outageStatuses = new Map<string, number>();
      for (let restart = 0; restart < RESTARTS; restart += 1) {
        await pause(random.between(2_000, 5_000));
        const before = new Map(load.statuses);
        await redis.kill();
        await pause(random.between(3_000, 8_000));
        for (const [status, count] of load.statuses) {
          const during = count - (before.get(status) ?? 0);
          outageStatuses.set(status, (outageStatuses.get(status) ?? 0) + during);
        }
        await redis.start();
      }
      const acknowledgedAtRestart = load.acknowledged;
      await waitFor(
        () => Promise.resolve(load.acknowledged > acknowledgedAtRestart ? true : undefined),
        60_000,
      );

      const report = await finishAndCheck(
        world,
        load,
        'split-redis Redis restart',
        `${RESTARTS} Redis kills (AOF, appendfsync always)`,
      );
      const outage = [...outageStatuses].map(([status, count]) => `${status}: ${count}`);
      console.log(`reliability split-redis Redis restart: while down ${outage.join(', ')}`);

      expect(report.missing).toEqual([]);
      expect(report.duplicates).toEqual([]);
      expect(report.unknown).toEqual([]);
      expect(report.mismatches).toEqual([]);
      expect(world?.deployment.crashes).toEqual([]);
      expect(load.violations).toEqual({ missingRetryAfter: 0, unexpectedStatus: 0, examples: [] });
      expect(load.abandoned).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );
});
