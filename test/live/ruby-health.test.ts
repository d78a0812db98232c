/**
 * Sends aggregated sessions with Debian's ruby-sentry-ruby 5.3.0 (test/clients/ruby/health.rb):
 * three sessions tracked with `Sentry.with_session_tracking`, one with a captured exception,
 * then reads the release health back through the web API.
 */
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { setupProject, startPicket } from '../helpers/picket.js';
import { waitForRelease } from './api.js';
import { REPOSITORY_ROOT, runProgram } from './clients.js';

const RUBY = '/usr/bin/ruby';
const SCRIPT = path.join(REPOSITORY_ROOT, 'test/clients/ruby/health.rb');
const RELEASE = 'picket-ruby-health@1.0.0';
const CLIENT_TIMEOUT_MS = 30_000;
const WAIT_MS = 15_000;

interface ApiRelease {
  firstEvent: string | null;
  projects: {
    hasHealthData: boolean;
    healthData: {
      crashFreeSessions: number | null;
      crashFreeUsers: number | null;
      totalSessions: number;
      totalUsers: number;
      sessionsCrashed: number;
      sessionsErrored: number;
    };
  }[];
}

let picket: PicketInstance | undefined;
let project: TestProject;
let release: ApiRelease;

beforeAll(async () => {
  if (!fs.existsSync(RUBY)) {
    throw new Error(`${RUBY} not found: install Debian's ruby-sentry-ruby (see .ci/run)`);
  }
  picket = await startPicket();
  project = await setupProject(picket);
  await runProgram(RUBY, [SCRIPT, project.dsn], { timeoutMs: CLIENT_TIMEOUT_MS });

  release = await waitForRelease<ApiRelease>(
    picket,
    project,
    RELEASE,
    (candidate) => candidate.projects[0]?.hasHealthData === true && candidate.firstEvent !== null,
    WAIT_MS,
  );
});

afterAll(async () => {
  await picket?.stop();
});

describe('sentry-ruby 5.3.0 release health', () => {
  it('counts the three aggregated sessions', () => {
    expect(release.projects[0]?.healthData.totalSessions).toBe(3);
  });

  it('counts the session with an exception as errored', () => {
    expect(release.projects[0]?.healthData.sessionsErrored).toBe(1);
    expect(release.projects[0]?.healthData.sessionsCrashed).toBe(0);
    expect(release.projects[0]?.healthData.crashFreeSessions).toBe(100);
  });

  it('has no users, because aggregates carry no distinct ids', () => {
    expect(release.projects[0]?.healthData.totalUsers).toBe(0);
    expect(release.projects[0]?.healthData.crashFreeUsers).toBeNull();
  });

  it('takes the first event time from the captured exception', () => {
    expect(Date.parse(release.firstEvent!)).toBeGreaterThan(Date.now() - 60_000);
  });
});
