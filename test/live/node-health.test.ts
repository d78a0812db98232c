/**
 * Sends sessions (one of them crashed by an uncaught exception that ends the process) and cron
 * check-ins with the real @sentry/node SDK (test/clients/node/health-app.mjs), then reads the
 * release health and the monitors back through the web API.
 */
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ReleaseHealthData } from '../../src/shared/api/releases.js';
import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { apiGet, setupProject, startPicket, waitFor } from '../helpers/picket.js';
import { waitForHealthData } from './api.js';
import { NODE_CLIENT_DIR, runProgram, runToExit } from './clients.js';

const SCRIPT = path.join(NODE_CLIENT_DIR, 'health-app.mjs');
const RELEASE = 'picket-node-health@1.0.0';
const CLIENT_TIMEOUT_MS = 20_000;
const WAIT_MS = 15_000;

interface ApiMonitor {
  slug: string;
  config: Record<string, unknown>;
  environments: {
    name: string;
    status: string;
    lastCheckIn: string | null;
    nextCheckIn: string | null;
  }[];
}

interface ApiCheckIn {
  id: string;
  status: string;
  duration: number | null;
  environment: string;
}

let picket: PicketInstance | undefined;
let project: TestProject;
let checkInId: string;
let crashExitCode: number | null;
let health: ReleaseHealthData;
let monitors: Map<string, ApiMonitor>;

function checkInsOf(slug: string): Promise<ApiCheckIn[]> {
  return apiGet(
    picket!,
    project.token,
    `/api/0/projects/${project.orgSlug}/${project.projectSlug}/monitors/${slug}/checkins/`,
  ) as Promise<ApiCheckIn[]>;
}

beforeAll(async () => {
  picket = await startPicket();
  project = await setupProject(picket);

  const stdout = await runProgram(process.execPath, [SCRIPT, project.dsn, 'sessions'], {
    timeoutMs: CLIENT_TIMEOUT_MS,
  });
  checkInId = (JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { checkInId: string })
    .checkInId;
  // The crash mode ends with the SDK's exit code 1.
  crashExitCode = await runToExit(
    process.execPath,
    [SCRIPT, project.dsn, 'crash'],
    CLIENT_TIMEOUT_MS,
  );

  health = await waitForHealthData(
    picket,
    project,
    RELEASE,
    (data) => data.sessionsCrashed === 1 && data.totalSessions === 3,
    WAIT_MS,
  );

  monitors = await waitFor(async () => {
    const listed = (await apiGet(
      picket!,
      project.token,
      `/api/0/organizations/${project.orgSlug}/monitors/`,
    )) as ApiMonitor[];
    const settled =
      listed.length === 3 &&
      listed.every((monitor) => monitor.environments[0]?.status !== 'active');
    return settled ? new Map(listed.map((monitor) => [monitor.slug, monitor])) : undefined;
  }, WAIT_MS);
});

afterAll(async () => {
  await picket?.stop();
});

describe('@sentry/node 11.12.0 release health', () => {
  it('the crashing process exits with code 1', () => {
    expect(crashExitCode).toBe(1);
  });

  it('counts the process, explicit and crashed sessions', () => {
    expect(health.totalSessions).toBe(3);
    expect(health.sessionsCrashed).toBe(1);
    expect(health.crashFreeSessions).toBeCloseTo(100 - 100 / 3, 6);
  });

  it('counts the users of both processes, one of them crashed', () => {
    expect(health.totalUsers).toBe(2);
    expect(health.crashFreeUsers).toBe(50);
  });
});

describe('@sentry/node 11.12.0 check-ins', () => {
  it('captureCheckIn creates the monitor with its full config', () => {
    expect(monitors.get('node-nightly')?.config).toEqual({
      schedule_type: 'crontab',
      schedule: '30 2 * * 1-5',
      checkin_margin: 5,
      max_runtime: 60,
      timezone: 'America/New_York',
      failure_issue_threshold: 2,
      recovery_threshold: 3,
    });
  });

  it('captureCheckIn closes its check-in with the duration', async () => {
    const checkIns = await checkInsOf('node-nightly');
    expect(checkIns).toHaveLength(1);
    expect(checkIns[0]?.id.replaceAll('-', '')).toBe(checkInId);
    expect(checkIns[0]).toMatchObject({ status: 'ok', duration: 50, environment: 'live-test' });
  });

  it('the next check-in follows the crontab in New York time', () => {
    const next = monitors.get('node-nightly')?.environments[0]?.nextCheckIn ?? '';
    // 02:30 in New York is 07:30 UTC in winter and 06:30 UTC in summer, on a weekday.
    expect(next).toMatch(/T0[67]:30:00\.000Z$/);
    const weekday = new Date(Date.parse(next) - 5 * 3_600_000).getUTCDay();
    expect(weekday).toBeGreaterThanOrEqual(1);
    expect(weekday).toBeLessThanOrEqual(5);
  });

  it('withMonitor reports an ok run with an interval schedule', async () => {
    const monitor = monitors.get('node-hourly');
    const checkIns = await checkInsOf('node-hourly');

    expect(monitor?.config).toMatchObject({ schedule_type: 'interval', schedule: [1, 'hour'] });
    expect(monitor?.environments[0]?.status).toBe('ok');
    expect(checkIns[0]?.status).toBe('ok');
    const untilNext =
      Date.parse(monitor!.environments[0]!.nextCheckIn!) -
      Date.parse(monitor!.environments[0]!.lastCheckIn!);
    expect(untilNext).toBeGreaterThan(58 * 60_000);
    expect(untilNext).toBeLessThanOrEqual(60 * 60_000);
  });

  it('withMonitor reports a throwing callback as an error', async () => {
    const checkIns = await checkInsOf('node-failing');

    expect(monitors.get('node-failing')?.environments[0]?.status).toBe('error');
    expect(checkIns[0]?.status).toBe('error');
  });
});
