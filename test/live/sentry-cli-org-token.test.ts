/**
 * Runs the real sentry-cli 3.8.0 with only an organization token (`sntrys_`): no `--url`,
 * `SENTRY_URL`, `--org` or `SENTRY_ORG`, so the CLI must take Picket's URL and the organization
 * from the token itself. It creates a release, uploads source maps and finalizes the release.
 * The same token then gets 404 on another organization and 403 on a route that needs
 * project:write.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  apiGet,
  setupProject,
  startPicket,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';
import type { CliRun } from '../helpers/sentry-cli.js';
import { logInSession, tokenRequest } from '../helpers/token-session.js';
import { NODE_CLIENT_DIR } from './clients.js';

const SENTRY_CLI = path.join(NODE_CLIENT_DIR, 'node_modules/@sentry/cli/bin/sentry-cli');
const RELEASE = 'org-token-app@1.0.0';

let picket: PicketInstance;
let project: TestProject;
let other: TestProject;
let workDir: string;
let orgToken: string;

/** Runs sentry-cli with the organization token as its only setting besides the project. */
function sentryCli(...args: string[]): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: workDir,
    SENTRY_AUTH_TOKEN: orgToken,
    SENTRY_PROJECT: project.projectSlug,
    SENTRY_DISABLE_UPDATE_CHECK: 'true',
  };
  delete env.SENTRY_URL;
  delete env.SENTRY_ORG;
  return new Promise((resolve) => {
    execFile(SENTRY_CLI, args, { cwd: workDir, timeout: 60_000, env }, (error, stdout, stderr) => {
      let code = 0;
      if (error !== null) {
        code = typeof error.code === 'number' ? error.code : 1;
      }
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  picket = await startPicket();
  project = await setupProject(picket, 'orgcli');
  other = await setupProject(picket, 'orgcliother');
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-org-token-'));

  const session = await logInSession(picket, project.email, project.password);
  const response = await session.request(
    'POST',
    `/api/0/organizations/${project.orgSlug}/org-auth-tokens/`,
    { name: 'sentry-cli' },
  );
  orgToken = ((await response.json()) as { token: string }).token;
}, 60_000);

afterAll(async () => {
  await picket?.stop();
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe('sentry-cli with an organization token', () => {
  it('creates a release without --url or --org', async () => {
    const created = await sentryCli('releases', 'new', RELEASE);
    expect(created.code, created.stderr).toBe(0);
    const releases = (await apiGet(
      picket,
      project.token,
      `/api/0/organizations/${project.orgSlug}/releases/`,
    )) as { version: string }[];
    expect(releases.map((release) => release.version)).toContain(RELEASE);
  });

  it('uploads source maps', async () => {
    const sourceDir = path.join(workDir, 'src');
    const outDir = path.join(workDir, 'dist');
    fs.mkdirSync(sourceDir, { recursive: true });
    fs.writeFileSync(
      path.join(sourceDir, 'app.js'),
      'export function total(items) { return items.reduce((sum, item) => sum + item, 0); }\n' +
        'console.log(total([1, 2, 3]));\n',
    );
    await esbuild.build({
      entryPoints: [path.join(sourceDir, 'app.js')],
      outfile: path.join(outDir, 'app.min.js'),
      bundle: true,
      minify: true,
      sourcemap: true,
      logLevel: 'warning',
    });
    const injected = await sentryCli('sourcemaps', 'inject', outDir);
    expect(injected.code, injected.stderr).toBe(0);
    const upload = await sentryCli(
      'sourcemaps',
      'upload',
      '--release',
      RELEASE,
      '--url-prefix',
      '~/assets',
      '--wait',
      outDir,
    );
    expect(upload.code, upload.stderr).toBe(0);
    expect(upload.stdout).toContain('File processing complete');
  });

  it('finalizes the release', async () => {
    const finalized = await sentryCli('releases', 'finalize', RELEASE);
    expect(finalized.code, finalized.stderr).toBe(0);
    const release = (await apiGet(
      picket,
      project.token,
      `/api/0/organizations/${project.orgSlug}/releases/${encodeURIComponent(RELEASE)}/`,
    )) as { dateReleased: string | null };
    expect(release.dateReleased).not.toBeNull();
  });

  it("gets 404 on another organization's routes", async () => {
    const paths = [
      `/api/0/organizations/${other.orgSlug}/`,
      `/api/0/organizations/${other.orgSlug}/releases/`,
      `/api/0/projects/${other.orgSlug}/${other.projectSlug}/`,
    ];
    for (const pathname of paths) {
      const response = await tokenRequest(picket, orgToken, 'GET', pathname);
      expect(response.status, pathname).toBe(404);
    }
    // sentry-cli 3.8.0 itself replaces `--org` with the organization embedded in the token (it
    // warns and lists the token's organization), so only the raw requests above reach the other
    // organization.
    const cli = await sentryCli('releases', 'list', '--org', other.orgSlug);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stderr).toContain(`Using organization \`${project.orgSlug}\` (embedded in token)`);
    expect(cli.stdout).toContain(RELEASE);
  });

  it('gets 403 on a route that needs project:write', async () => {
    const response = await tokenRequest(
      picket,
      orgToken,
      'PUT',
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`,
      { name: 'renamed by CI' },
    );
    expect(response.status).toBe(403);
  });
});
