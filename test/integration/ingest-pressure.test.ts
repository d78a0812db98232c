/**
 * Spike protection and back-pressure through the real server (SQLite): a project throttled
 * above its spike threshold, an ingest process whose queue backlog passes its mark, and a data
 * folder whose free space falls under its mark.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  apiGet,
  apiRequest,
  sendEnvelope,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

let seed = 0;

function errorItem() {
  seed += 1;
  return {
    headers: { type: 'event' },
    payload: { message: `pressure test ${seed}`, level: 'error' },
  };
}

/** Waits until at least `seconds` remain in the current minute, so counts stay in one minute. */
async function waitForFreshMinute(seconds: number) {
  const remaining = 60_000 - (Date.now() % 60_000);
  if (remaining < seconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, remaining + 100));
  }
}

interface SpikeBody {
  spikeProtection: { enabled: boolean; active: boolean; lastThrottledAt: string | null };
}

describe('spike protection', () => {
  let picket: PicketInstance;
  let project: TestProject;
  let controlsPath: string;

  beforeAll(async () => {
    picket = await startPicket({
      env: {
        PICKET_SPIKE_PROTECTION_MIN_PER_MINUTE: '5',
        PICKET_SPIKE_PROTECTION_WARMUP_MINUTES: '0',
      },
    });
    project = await setupProject(picket, 'spike');
    controlsPath = `/api/0/projects/${project.orgSlug}/${project.projectSlug}/ingest-controls/`;
  });

  afterAll(async () => {
    await picket.stop();
  });

  it('throttles a project above its threshold and reports it active', async () => {
    await waitForFreshMinute(40);
    const before = (await apiGet(picket, project.token, controlsPath)) as SpikeBody;
    const statuses: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      statuses.push((await sendEnvelope(project.dsn, [errorItem()])).status);
    }
    const throttled = await sendEnvelope(project.dsn, [errorItem()]);
    const after = (await apiGet(picket, project.token, controlsPath)) as SpikeBody;
    const organization = (await apiGet(
      picket,
      project.token,
      `/api/0/organizations/${project.orgSlug}/ingest-controls/`,
    )) as ({ project: { slug: string } } & SpikeBody)[];

    expect(before.spikeProtection).toMatchObject({ enabled: true, active: false });
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('x-sentry-rate-limits')).toMatch(
      /^\d+:default;error;security:project:spike_protection$/,
    );
    expect(Number(throttled.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(after.spikeProtection.active).toBe(true);
    expect(after.spikeProtection.lastThrottledAt).not.toBeNull();
    expect(organization[0]?.project.slug).toBe(project.projectSlug);
    expect(organization[0]?.spikeProtection.active).toBe(true);
  });

  it('stops throttling when switched off for the project', async () => {
    await waitForFreshMinute(20);
    for (let index = 0; index < 6; index += 1) {
      await sendEnvelope(project.dsn, [errorItem()]);
    }
    const switched = (await apiRequest(picket, project.token, 'PUT', controlsPath, {
      spikeProtection: { enabled: false },
    })) as SpikeBody;

    const accepted = await sendEnvelope(project.dsn, [errorItem()]);

    expect(switched.spikeProtection).toMatchObject({ enabled: false, active: false });
    expect(accepted.status).toBe(200);
  });
});

describe('queue backlog', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-backlog-'));
  const servers: PicketInstance[] = [];
  let project: TestProject;
  let ingest: PicketInstance;

  beforeAll(async () => {
    const setup = await startPicket({ dataDir });
    project = await setupProject(setup, 'backlog');
    await setup.stop();
    ingest = await startPicket({
      dataDir,
      args: ['--role', 'ingest'],
      env: { PICKET_QUEUE_MAX_BACKLOG: '3' },
    });
    servers.push(ingest);
  });

  afterAll(async () => {
    for (const server of servers) {
      await server.stop();
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 429 past the mark and accepts again once a worker catches up', async () => {
    const dsn = project.dsn.replace(/@[^/]+/, `@${new URL(ingest.url).host}`);
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let index = 0; index < 10 && refused === undefined; index += 1) {
      const response = await sendEnvelope(dsn, [errorItem()]);
      statuses.push(response.status);
      refused = response.status === 429 ? response : undefined;
    }

    expect(refused?.status, `statuses: ${statuses.join(', ')}`).toBe(429);
    expect(refused?.headers.get('retry-after')).toBe('10');
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(1);

    servers.push(await startPicket({ dataDir, args: ['--role', 'worker'] }));
    const accepted = await waitFor(async () => {
      const response = await sendEnvelope(dsn, [errorItem()]);
      return response.status === 200 ? response : undefined;
    }, 20_000);
    expect(accepted.status).toBe(200);
  });
});

/** Mounts a tmpfs of `sizeMb` on a new folder, or returns undefined where mounting fails. */
function mountTmpfs(sizeMb: number): string | undefined {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', folder], {
      stdio: 'ignore',
    });
    return folder;
  } catch {
    // Not root or no mount permission: the caller falls back to a mark above the free space.
    fs.rmSync(folder, { recursive: true, force: true });
    return undefined;
  }
}

describe('free disk space', () => {
  let tmpfs: string | undefined;
  let picket: PicketInstance;
  let project: TestProject;

  beforeAll(async () => {
    tmpfs = mountTmpfs(96);
    picket =
      tmpfs === undefined
        ? await startPicket({ env: { PICKET_DISK_MIN_FREE_MB: '1000000000' } })
        : await startPicket({ dataDir: tmpfs, env: { PICKET_DISK_MIN_FREE_MB: '48' } });
    project = await setupProject(picket, 'disk');
  });

  afterAll(async () => {
    await picket.stop();
    if (tmpfs !== undefined) {
      execFileSync('umount', [tmpfs]);
      fs.rmSync(tmpfs, { recursive: true, force: true });
    }
  });

  it('answers 503 with Retry-After while the data folder is low on space', async () => {
    const filler = tmpfs === undefined ? undefined : path.join(tmpfs, 'filler');
    if (filler !== undefined) {
      const before = await sendEnvelope(project.dsn, [errorItem()]);
      expect(before.status).toBe(200);
      fs.writeFileSync(filler, Buffer.alloc(64 * 1024 * 1024));
    }

    const refused = await waitFor(async () => {
      const response = await sendEnvelope(project.dsn, [errorItem()]);
      return response.status === 503 ? response : undefined;
    });
    const keys = await apiGet(
      picket,
      project.token,
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/keys/`,
    );

    expect(refused.headers.get('retry-after')).toBe('60');
    expect(((await refused.json()) as { detail: string }).detail).toContain('low on disk space');
    expect(keys).toHaveLength(1);

    if (filler !== undefined) {
      fs.rmSync(filler);
      const accepted = await waitFor(async () => {
        const response = await sendEnvelope(project.dsn, [errorItem()]);
        return response.status === 200 ? response : undefined;
      });
      expect(accepted.status).toBe(200);
    }
  });
});
