import { afterAll, describe, expect, it } from 'vitest';

import { createPostgresSchema } from '../helpers/picket.js';
import { startOwnPostgres, type OwnPostgres } from './lib/own-servers.js';
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

console.log(`reliability PostgreSQL restart: seed ${SEED} (RELIABILITY_SEED=${SEED} repeats it)`);

describe('PostgreSQL restart under load', () => {
  let postgres: OwnPostgres | undefined;
  let world: ScenarioWorld | undefined;

  afterAll(async () => {
    await world?.deployment.stop();
    await postgres?.destroy();
  });

  it(
    'answers 503 or 429 with Retry-After while down and loses no acknowledged event',
    async () => {
      postgres = await startOwnPostgres();
      const { url } = await createPostgresSchema(postgres.url);
      world = await startWorld(
        { mode: 'split-pg', databaseUrl: url, ingestCount: 2, workerCount: 1 },
        SEED,
      );
      const load = startLoad(world, EVENTS_PER_SECOND);
      const random = world.random;
      const outageStatuses = new Map<string, number>();
      let acknowledgedAfterRestart = 0;

      for (let restart = 0; restart < RESTARTS; restart += 1) {
        await pause(random.between(2_000, 5_000));
        const before = new Map(load.statuses);
        await postgres.stopImmediately();
        await pause(random.between(3_000, 8_000));
        for (const [status, count] of load.statuses) {
          const during = count - (before.get(status) ?? 0);
          outageStatuses.set(status, (outageStatuses.get(status) ?? 0) + during);
        }
        await postgres.start();
        const acknowledgedAtStart = load.acknowledged;
        await pause(3_000);
        acknowledgedAfterRestart += load.acknowledged - acknowledgedAtStart;
      }

      const report = await finishAndCheck(
        world,
        load,
        'split-pg PostgreSQL restart',
        `${RESTARTS} immediate stops`,
      );
      const outage = [...outageStatuses].map(([status, count]) => `${status}: ${count}`);
      console.log(`reliability split-pg PostgreSQL restart: while down ${outage.join(', ')}`);

      expect(report.missing).toEqual([]);
      expect(report.duplicates).toEqual([]);
      expect(report.unknown).toEqual([]);
      expect(report.mismatches).toEqual([]);
      expect(world?.deployment.crashes).toEqual([]);
      expect(load.violations).toEqual({ missingRetryAfter: 0, unexpectedStatus: 0, examples: [] });
      expect(load.abandoned).toBe(0);
      expect(acknowledgedAfterRestart).toBeGreaterThan(0);
    },
    TEST_TIMEOUT_MS,
  );
});
