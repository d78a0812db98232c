import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { waitFor } from '../helpers/picket.js';
import { IS_LONG_FORM, readSeed } from './lib/random.js';
import {
  finishAndCheck,
  pause,
  startLoad,
  startWorld,
  type ScenarioWorld,
} from './lib/scenario.js';

const SEED = readSeed();
const EVENTS_PER_SECOND = 100;
const TMPFS_SIZE = '64m';
const FILL_FILE = 'fill.bin';
const FULL_FOR_MS = IS_LONG_FORM ? 15_000 : 5_000;
const TEST_TIMEOUT_MS = IS_LONG_FORM ? 900_000 : 300_000;

console.log(`reliability disk full: seed ${SEED} (RELIABILITY_SEED=${SEED} repeats it)`);

function freeBytes(folder: string): number {
  const stats = fs.statfsSync(folder);
  return stats.bavail * stats.bsize;
}

/** Writes `fill.bin` until the file system returns ENOSPC, then returns the bytes written. */
function fillDisk(folder: string): number {
  const file = fs.openSync(path.join(folder, FILL_FILE), 'a');
  let written = 0;
  try {
    for (const chunkSize of [1_048_576, 4_096, 512]) {
      const chunk = Buffer.alloc(chunkSize, 0x5a);
      for (;;) {
        try {
          written += fs.writeSync(file, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') {
            throw error;
          }
          break;
        }
      }
    }
  } finally {
    fs.closeSync(file);
  }
  return written;
}

function freeDisk(folder: string): void {
  fs.rmSync(path.join(folder, FILL_FILE), { force: true });
}

/** Counts the responses of the load by status while `during` runs. */
async function countStatusesDuring(
  statuses: Map<string, number>,
  during: () => Promise<void>,
): Promise<Map<string, number>> {
  const before = new Map(statuses);
  await during();
  const counts = new Map<string, number>();
  for (const [status, count] of statuses) {
    const added = count - (before.get(status) ?? 0);
    if (added > 0) {
      counts.set(status, added);
    }
  }
  return counts;
}

describe('disk full in the embedded mode', () => {
  const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-reliability-tmpfs-'));
  let mounted = false;
  let world: ScenarioWorld | undefined;

  afterAll(async () => {
    await world?.deployment.stop();
    if (mounted) {
      execFileSync('umount', [mountPoint]);
    }
    fs.rmSync(mountPoint, { recursive: true, force: true });
  });

  it(
    'answers 503 while the disk is full and recovers once space is freed',
    async () => {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_SIZE}`, 'tmpfs', mountPoint]);
      mounted = true;
      // The free-space check (8 MiB here) turns ingest away before the disk is full; the second
      // phase turns the check off so that the queue write itself meets ENOSPC.
      world = await startWorld(
        { mode: 'embedded', dataDir: mountPoint, env: { PICKET_DISK_MIN_FREE_MB: '8' } },
        SEED,
      );
      const load = startLoad(world, EVENTS_PER_SECOND);
      await pause(2_000);

      const whileChecked = await countStatusesDuring(load.statuses, async () => {
        fillDisk(mountPoint);
        await pause(FULL_FOR_MS);
      });
      freeDisk(mountPoint);
      const acknowledgedBefore = load.acknowledged;
      await waitFor(
        () => Promise.resolve(load.acknowledged > acknowledgedBefore ? true : undefined),
        60_000,
      );

      // The same process on the same port, so the client keeps sending to it. It is killed
      // rather than stopped: while a stopping server closes, Fastify answers 503 without
      // Retry-After, which this scenario does not test.
      const picket = world.deployment.web;
      await picket.kill();
      picket.env.PICKET_DISK_MIN_FREE_MB = '0';
      await picket.start();
      const whileUnchecked = await countStatusesDuring(load.statuses, async () => {
        fillDisk(mountPoint);
        await pause(FULL_FOR_MS);
      });
      const freeWhileFull = freeBytes(mountPoint);
      freeDisk(mountPoint);
      const acknowledgedAtFree = load.acknowledged;
      await waitFor(
        () => Promise.resolve(load.acknowledged > acknowledgedAtFree ? true : undefined),
        60_000,
      ).catch((error: unknown) => {
        const statuses = [...load.statuses].map(([status, count]) => `${status}: ${count}`);
        throw new Error(
          `no event acknowledged within 60 s after freeing the disk (responses ${statuses.join(', ')}); last log lines:\n${picket.logs.slice(-15).join('\n')}`,
          { cause: error },
        );
      });

      const report = await finishAndCheck(
        world,
        load,
        'embedded disk full',
        `${TMPFS_SIZE} tmpfs filled twice (free-space check on, then off)`,
      );
      const describeCounts = (counts: Map<string, number>) =>
        [...counts].map(([status, count]) => `${status}: ${count}`).join(', ');
      console.log(
        `reliability embedded disk full: with the check ${describeCounts(whileChecked)}; without it ${describeCounts(whileUnchecked)} (${freeWhileFull} bytes free)`,
      );

      expect(report.missing).toEqual([]);
      expect(report.duplicates).toEqual([]);
      expect(report.unknown).toEqual([]);
      expect(report.mismatches).toEqual([]);
      expect(world?.deployment.crashes).toEqual([]);
      expect(load.violations).toEqual({ missingRetryAfter: 0, unexpectedStatus: 0, examples: [] });
      expect(load.abandoned).toBe(0);
      expect(whileChecked.get('503') ?? 0).toBeGreaterThan(0);
    },
    TEST_TIMEOUT_MS,
  );
});
