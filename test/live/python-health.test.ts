/**
 * Sends sessions with Debian's sentry_sdk 1.9.10 (test/clients/python/health.py): two
 * application sessions of two users, one with a handled error, and a session ended by an
 * uncaught exception, then reads the release health back through the web API.
 */
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ReleaseHealthData } from '../../src/shared/api/releases.js';
import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { setupProject, startPicket } from '../helpers/picket.js';
import { waitForHealthData } from './api.js';
import { PYTHON_CLIENT_DIR, runProgram, runToExit } from './clients.js';

// Debian's interpreter, which has python3-sentry-sdk; another python3 on PATH may lack it.
const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(PYTHON_CLIENT_DIR, 'health.py');
const RELEASE = 'picket-python-health@1.0.0';
const CLIENT_TIMEOUT_MS = 20_000;
const WAIT_MS = 15_000;

let picket: PicketInstance | undefined;
let project: TestProject;
let crashExitCode: number | null;
let health: ReleaseHealthData;

beforeAll(async () => {
  if (!fs.existsSync(PYTHON)) {
    throw new Error(`${PYTHON} not found: install Debian's python3-sentry-sdk (see .ci/run)`);
  }
  picket = await startPicket();
  project = await setupProject(picket);
  await runProgram(PYTHON, [SCRIPT, project.dsn, 'sessions'], { timeoutMs: CLIENT_TIMEOUT_MS });
  crashExitCode = await runToExit(PYTHON, [SCRIPT, project.dsn, 'crash'], CLIENT_TIMEOUT_MS);

  health = await waitForHealthData(
    picket,
    project,
    RELEASE,
    (data) => data.totalSessions === 3 && data.sessionsCrashed === 1,
    WAIT_MS,
  );
});

afterAll(async () => {
  await picket?.stop();
});

describe('sentry-python 1.9.10 release health', () => {
  it('the crashing process exits with status 1', () => {
    expect(crashExitCode).toBe(1);
  });

  it('counts three sessions with one crash', () => {
    expect(health.totalSessions).toBe(3);
    expect(health.sessionsCrashed).toBe(1);
    expect(health.crashFreeSessions).toBeCloseTo(100 - 100 / 3, 6);
  });

  it('counts the session with a handled error as errored', () => {
    expect(health.sessionsErrored).toBe(1);
  });

  it('counts three users, one of them crashed', () => {
    expect(health.totalUsers).toBe(3);
    expect(health.crashFreeUsers).toBeCloseTo(100 - 100 / 3, 6);
  });
});
