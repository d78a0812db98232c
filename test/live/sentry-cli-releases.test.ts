/**
 * Runs the real sentry-cli 3 (test/clients/node) against Picket: `info`, `releases new`,
 * `set-commits`, `finalize`, `deploys new`, `releases list`, `releases info` and
 * `releases delete`, and checks each result through the release API.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { apiRequest, setupProject, startPicket } from '../helpers/picket.js';
import { NODE_CLIENT_DIR } from './clients.js';

const SENTRY_CLI = path.join(NODE_CLIENT_DIR, 'node_modules/.bin/sentry-cli');
const VERSION = 'cli-app@2.0.0';

let picket: PicketInstance;
let project: TestProject;
let gitDir: string;
let headSha: string;

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function run(executable: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      executable,
      args,
      { cwd: gitDir, timeout: 30_000, env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        let code = 0;
        if (error !== null) {
          code = typeof error.code === 'number' ? error.code : 1;
        }
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function sentryCli(...args: string[]): Promise<CliRun> {
  return run(SENTRY_CLI, args, {
    HOME: gitDir,
    SENTRY_URL: `${picket.url}/`,
    SENTRY_AUTH_TOKEN: project.token,
    SENTRY_ORG: project.orgSlug,
    SENTRY_PROJECT: project.projectSlug,
    SENTRY_DISABLE_UPDATE_CHECK: 'true',
  });
}

const api = (method: string, pathname: string) =>
  apiRequest(picket, project.token, method, pathname);
const releasePath = (version: string) =>
  `/api/0/organizations/${project.orgSlug}/releases/${encodeURIComponent(version)}/`;

beforeAll(async () => {
  picket = await startPicket();
  project = await setupProject(picket, 'cli');

  // set-commits reads the commits of a local git repository.
  gitDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-cli-git-'));
  const git = (...args: string[]) =>
    run('git', ['-c', 'user.name=Ada Lovelace', '-c', 'user.email=ada@example.com', ...args]);
  await git('init', '-q');
  await git('commit', '-q', '--allow-empty', '-m', 'Add the login page');
  headSha = (await git('rev-parse', 'HEAD')).stdout.trim();
}, 60_000);

afterAll(async () => {
  await picket.stop();
  fs.rmSync(gitDir, { recursive: true, force: true });
});

describe('sentry-cli releases', () => {
  it('info shows the token', async () => {
    const result = await sentryCli('info');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(project.email);
    expect(result.stdout).toContain('project:write');
  });

  it('releases new creates', async () => {
    const result = await sentryCli('releases', 'new', VERSION);
    expect(result.code, result.stderr).toBe(0);
    const release = (await api('GET', releasePath(VERSION))) as {
      version: string;
      projects: { slug: string }[];
    };
    expect(release.version).toBe(VERSION);
    expect(release.projects.map((p) => p.slug)).toEqual([project.projectSlug]);
  });

  it('set-commits stores commits', async () => {
    // Without a repository integration (no /repos/ route), sentry-cli sends the local commits.
    expect(headSha).toMatch(/^[0-9a-f]{40}$/);
    const result = await sentryCli(
      'releases',
      'set-commits',
      VERSION,
      '--commit',
      `acme/app@${headSha}`,
    );
    expect(result.code, result.stderr).toBe(0);
    const commits = (await api('GET', `${releasePath(VERSION)}commits/`)) as {
      id: string;
      message: string | null;
      author: { email: string } | null;
    }[];
    expect(commits.map((commit) => commit.id)).toEqual([headSha]);
    expect(commits[0]?.message).toContain('Add the login page');
    expect(commits[0]?.author?.email).toBe('ada@example.com');
  });

  it('finalize and deploys new', async () => {
    expect((await sentryCli('releases', 'finalize', VERSION)).code).toBe(0);
    const deploy = await sentryCli('deploys', 'new', '--release', VERSION, '-e', 'production');
    expect(deploy.code, deploy.stderr).toBe(0);

    const release = (await api('GET', releasePath(VERSION))) as {
      dateReleased: string | null;
      deployCount: number;
      lastDeploy: { environment: string } | null;
      commitCount: number;
    };
    expect(release.dateReleased).not.toBeNull();
    expect(release.deployCount).toBe(1);
    expect(release.lastDeploy?.environment).toBe('production');
    expect(release.commitCount).toBe(1);
  });

  it('releases list and info', async () => {
    const list = await sentryCli('releases', 'list');
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(VERSION);

    const info = await sentryCli('releases', 'info', VERSION);
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toContain(VERSION);
  });

  it('releases delete removes', async () => {
    expect((await sentryCli('releases', 'delete', VERSION)).code).toBe(0);
    await expect(api('GET', releasePath(VERSION))).rejects.toThrow(/answered 404/);
  });
});
